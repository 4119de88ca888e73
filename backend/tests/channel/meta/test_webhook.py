"""`/webhook/meta/{id}` over HTTP: the subscription handshake, the signature over the raw bytes
(nothing stored when it is missing or wrong), one stored event per item with its job, and
redeliveries answered without a second record."""

import hashlib
import hmac
import json
import uuid

from sqlalchemy import select

from mancrel.channel import service as channel_service
from mancrel.channel.schemas import ChannelCreate, ChannelUpdate
from mancrel.worker.models import OutboxMessage
from tests.channel.meta.factories import (
    SECRETS,
    VERIFY_TOKEN,
    events_of,
    ingest_all,
    make_meta_channel,
    post,
    signed,
    wa_delivery,
    wa_message,
    wa_status,
)

# Published by pywa (github.com/david-lev/pywa, tests/test_server.py, test_webhook_updates_validator):
# a real WhatsApp Cloud API delivery, the app secret it was signed with (reset by its author) and
# the X-Hub-Signature-256 Meta sent with it. The signature is recomputed below, not trusted.
PYWA_SECRET = "1222e786b144d0e85b9f365372d93676"
PYWA_BODY = (b'{"object":"whatsapp_business_account","entry":[{"id":"264937493375603","changes":[{"value":'
             b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550953877","phone_number_id":'
             b'"277321005464405"},"contacts":[{"profile":{"name":"PyWa Tests"},"wa_id":"972544401243"}],"messages":'
             b'[{"from":"972544401243","id":"wamid.HBgMOTcyNTQ0NDAxMjQzFQIAEhggM0RFQTNCMEEwRTY3QzUwODYzMDc4NjQ4QzM4'
             b'ODAxM0YA","timestamp":"1730231903","text":{"body":"Hey there! I am using PyWa."},"type":"text"}]},'
             b'"field":"messages"}]}]}')
PYWA_SIGNATURE = "sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441"


async def test_handshake_echoes_the_challenge_only_for_the_right_token(client, db) -> None:
    channel = await make_meta_channel(db)
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}

    right = await client.get(f"/webhook/meta/{channel.id}", params=query | {"hub.verify_token": VERIFY_TOKEN})
    wrong = await client.get(f"/webhook/meta/{channel.id}", params=query | {"hub.verify_token": "guess"})
    unknown = await client.get("/webhook/meta/00000000-0000-0000-0000-000000000000",
                               params=query | {"hub.verify_token": VERIFY_TOKEN})

    assert right.status_code == 200 and right.text == "1158201444"
    assert right.headers["content-type"].startswith("text/plain")
    assert wrong.status_code == 403 and wrong.headers["content-type"] == "application/problem+json"
    assert "1158201444" not in wrong.text
    assert unknown.status_code == 404


async def test_signed_delivery_is_stored_with_its_job_and_becomes_a_message(client, db) -> None:
    channel = await make_meta_channel(db)
    response = await post(client, channel.id, wa_delivery(wa_message(wamid="wamid.A1", body="Hi there")))

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted", "stored": 1, "duplicates": 0}
    [event] = await events_of(db, channel.id)
    assert event.dedupe_key == "wamid:wamid.A1" and event.provider == "whatsapp"
    jobs = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == "channel.ingest_event")))
    assert [j.kwargs for j in jobs] == [{"event_id": str(event.id)}]
    [message] = await ingest_all(db, channel.id)
    assert message.text == "Hi there" and message.provider_message_id == "wamid.A1"


async def test_bad_signatures_are_refused_and_store_nothing(client, db) -> None:
    channel = await make_meta_channel(db)
    body, headers = signed(wa_delivery(wa_message()))
    changed = bytearray(body)
    changed[body.index(b"Hello")] ^= 0x01  # one byte of the text: "Iello"
    cases = {
        "missing": (body, {"content-type": "application/json"}),
        "wrong secret": signed(body, secret="not-the-app-secret"),
        "one byte changed": (bytes(changed), headers),
        "sha1 scheme": (body, {**headers, "x-hub-signature-256": headers["x-hub-signature-256"].replace("256=", "1=")}),
    }
    for name, (content, sent_headers) in cases.items():
        response = await client.post(f"/webhook/meta/{channel.id}", content=content, headers=sent_headers)
        assert response.status_code == 401, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json", name
    assert await events_of(db, channel.id) == []


async def test_redeliveries_and_repeated_items_are_never_a_second_record(client, db) -> None:
    channel = await make_meta_channel(db)
    first = wa_delivery(wa_message(wamid="wamid.D1"), statuses=[wa_status("wamid.OUT9", "delivered")])
    assert (await post(client, channel.id, first)).json()["stored"] == 2

    again = await post(client, channel.id, first)  # Meta's retry of the same POST
    # A new batch holding an old message, the same status again and a new status of the same message.
    mixed = wa_delivery(wa_message(wamid="wamid.D1"), wa_message(wamid="wamid.D2"),
                        statuses=[wa_status("wamid.OUT9", "delivered"), wa_status("wamid.OUT9", "read")])
    third = await post(client, channel.id, mixed)

    assert again.json() == {"status": "accepted", "stored": 0, "duplicates": 2}
    assert third.json() == {"status": "accepted", "stored": 2, "duplicates": 2}
    keys = sorted(e.dedupe_key for e in await events_of(db, channel.id))
    assert keys == ["status:wamid.OUT9:delivered", "status:wamid.OUT9:read", "wamid:wamid.D1", "wamid:wamid.D2"]


async def test_a_deleted_or_disabled_channel_takes_nothing(client, db) -> None:
    channel = await make_meta_channel(db)
    channel.enabled = False
    await db.flush()
    response = await post(client, channel.id, wa_delivery(wa_message()))
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    assert await events_of(db, channel.id) == []


async def test_a_body_that_is_not_json_is_refused_after_the_signature(client, db) -> None:
    channel = await make_meta_channel(db)
    response = await post(client, channel.id, b"not json{")
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert await events_of(db, channel.id) == []


async def test_pywa_published_delivery_verifies_and_parses(client, db) -> None:
    recomputed = "sha256=" + hmac.new(PYWA_SECRET.encode(), PYWA_BODY, hashlib.sha256).hexdigest()
    assert recomputed == PYWA_SIGNATURE  # our reading of the scheme agrees with Meta's real signature
    channel = await make_meta_channel(db)
    await channel_service.update(db, channel=channel, actor=None, data=ChannelUpdate(
        settings={"phone_number_id": "277321005464405"}, secrets={"app_secret": PYWA_SECRET}))

    response = await client.post(f"/webhook/meta/{channel.id}", content=PYWA_BODY,
                                 headers={"content-type": "application/json", "x-hub-signature-256": recomputed})
    tampered = await client.post(f"/webhook/meta/{channel.id}", content=PYWA_BODY.replace(b"Hey", b"hey"),
                                 headers={"content-type": "application/json", "x-hub-signature-256": recomputed})

    assert response.status_code == 200 and response.json()["stored"] == 1, response.text
    assert tampered.status_code == 401
    [message] = await ingest_all(db, channel.id)
    assert message.text == "Hey there! I am using PyWa." and message.sender == "972544401243"
    assert message.sender_name == "PyWa Tests"
    assert message.provider_message_id == json.loads(PYWA_BODY)["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    [event] = await events_of(db, channel.id)
    assert (event.status, event.message_id) == ("processed", message.id)


async def test_a_leadgen_change_is_stored_once_with_the_lead_fetch_job(client, db) -> None:
    # Where its deals go is Lead Ads' own business (tests/channel/test_lead_ads.py): any ids here.
    channel = await channel_service.create(db, actor=None, data=ChannelCreate(
        kind="lead_ads", name="lead forms", secrets=SECRETS,
        settings={"page_id": "102938475610", "pipeline_id": str(uuid.uuid4()), "stage_id": str(uuid.uuid4())}))
    value = {"leadgen_id": "444444444444", "page_id": "102938475610", "form_id": "555", "ad_id": "666",
             "adgroup_id": "777", "created_time": 1764930000}
    delivery = {"object": "page", "entry": [{"id": "102938475610", "time": 1764930001,
                                             "changes": [{"field": "leadgen", "value": value}]}]}

    first = await post(client, channel.id, delivery)
    again = await post(client, channel.id, delivery)

    assert first.json()["stored"] == 1 and again.json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    [event] = await events_of(db, channel.id)
    assert event.dedupe_key == "leadgen:444444444444" and json.loads(event.body) == value
    jobs = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == "channel.fetch_lead")))
    assert [j.kwargs for j in jobs] == [{"event_id": str(event.id)}]
