"""The whole inbound path with a real API app and a real worker: a signed WhatsApp delivery is
acknowledged, ingested by the worker, classified by `ai.process_message` like an email, and the
browsers hear of each step."""

import json
import uuid

from sqlalchemy import delete, select

from mancrel import events
from mancrel.ai.models import Classification
from mancrel.channel.models import Channel
from mancrel.contact.models import Contact
from mancrel.core.redis import get_redis
from mancrel.inbox.models import Message
from tests.channel.meta.factories import make_meta_channel, signed, wa_delivery, wa_message
from tests.factories import make_user
from tests.worker.helpers import eventually


async def test_a_signed_whatsapp_delivery_is_ingested_and_classified_by_the_worker(
        committed_db, committed_client, celery_worker) -> None:
    owner = await make_user(committed_db)
    owner_id = owner.id
    channel = await make_meta_channel(committed_db, owner_id=owner_id)
    channel_id = channel.id
    await committed_db.commit()
    wa_id = "49151" + str(uuid.uuid4().int)[:7]
    pubsub = get_redis().pubsub()
    await pubsub.subscribe(events.CHANNEL)
    body, headers = signed(wa_delivery(wa_message(wa_id=wa_id, body="Where is my order #1042? It is late."),
                                       wa_id=wa_id))
    try:
        response = await committed_client.post(f"/webhook/meta/{channel_id}", content=body, headers=headers)
        assert response.status_code == 200 and response.json()["stored"] == 1, response.text

        async def classified():
            committed_db.expire_all()
            message = await committed_db.scalar(select(Message).where(Message.channel_id == channel_id))
            return message if message is not None and message.classification_id else None

        try:  # the first message may also train the classifier's first version (about half a minute)
            message = await eventually(classified, within=240, interval=0.2)
        except AssertionError:
            raise AssertionError(celery_worker.output()[-3000:]) from None
        assert message.sender == wa_id and message.text == "Where is my order #1042? It is late."

        heard = []

        async def heard_both():
            while (event := await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)) is not None:
                heard.append(json.loads(event["data"]))
            topics = {(e["topic"], e["payload"].get("message_id")) for e in heard}
            return {("message.created", str(message.id)), ("message.classified", str(message.id))} <= topics

        await eventually(heard_both, within=10)
        assert all(e["audience"] == str(owner_id) for e in heard if e["topic"].startswith("message."))
    finally:
        await pubsub.aclose()
        await committed_db.execute(delete(Channel).where(Channel.id == channel_id))  # events, conversations, messages
        await committed_db.execute(delete(Contact).where(Contact.whatsapp_id == wa_id))
        await committed_db.execute(delete(Classification).where(Classification.owner_id == owner_id))
        await committed_db.commit()
