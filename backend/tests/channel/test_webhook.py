"""`POST /webhook/email/{id}` over HTTP for each provider: accepted mail is stored once with its
ingest job and becomes a message; every refusal is problem+json and stores nothing."""

import json
import time

from sqlalchemy import select

from mancrel.channel import tasks
from mancrel.channel.models import InboundEvent
from mancrel.inbox.models import Message
from mancrel.worker.models import OutboxMessage
from tests.channel.factories import (
    basic,
    count_events,
    form_body,
    mailgun_form,
    make_channel,
    multipart,
    postmark_payload,
)


async def _ingest_all(db, channel_id) -> list[Message]:
    events = list(await db.scalars(select(InboundEvent).where(InboundEvent.channel_id == channel_id)))
    for event in events:
        await tasks.ingest_event.run_async(db, event_id=event.id)
    return list(await db.scalars(select(Message).where(Message.channel_id == channel_id)))


async def test_mailgun_forward_is_stored_with_its_job_and_becomes_a_message(client, db) -> None:
    channel = await make_channel(db)
    body, headers = form_body(mailgun_form())

    response = await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)

    assert response.status_code == 200, response.text
    [event] = list(await db.scalars(select(InboundEvent).where(InboundEvent.channel_id == channel.id)))
    assert event.dedupe_key == "m1@customer.example" and event.body == body
    jobs = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == "channel.ingest_event")))
    assert [j.kwargs for j in jobs] == [{"event_id": str(event.id)}]
    assert jobs[0].id == event.id  # the job's id is its event's: an ingest batch that stores it revokes it by that
    [message] = await _ingest_all(db, channel.id)
    assert message.sender == "ann@customer.example" and message.subject == "Socks in size M?"
    assert "merino socks" in message.text
    await db.refresh(event)
    assert event.status == "processed" and event.message_id == message.id


async def test_mailgun_retry_of_the_same_message_is_a_duplicate_not_a_second_message(client, db) -> None:
    channel = await make_channel(db)
    fields = mailgun_form()
    body, headers = form_body(fields)
    assert (await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)).status_code == 200

    again = await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)
    resigned = form_body(mailgun_form())  # the same Message-ID under a fresh signature
    third = await client.post(f"/webhook/email/{channel.id}", content=resigned[0], headers=resigned[1])

    assert again.json() == {"status": "duplicate"} and third.json() == {"status": "duplicate"}
    assert await count_events(db, channel.id) == 1
    assert len(await _ingest_all(db, channel.id)) == 1


async def test_mailgun_refusals_store_nothing(client, db) -> None:
    channel = await make_channel(db)
    used = mailgun_form(message_id="<first@customer.example>")
    body, headers = form_body(used)
    assert (await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)).status_code == 200
    cases = {
        "wrong key": (mailgun_form(message_id="<a@c.example>", key="not-the-key"), 401),
        "stale": (mailgun_form(message_id="<b@c.example>", timestamp=int(time.time()) - 600), 401),
        "missing": ({k: v for k, v in mailgun_form(message_id="<c@c.example>").items() if k != "signature"}, 401),
        # A captured signature (timestamp, token, signature) carrying another message.
        "replayed token": (mailgun_form(message_id="<d@c.example>", token=used["token"],
                                        timestamp=int(used["timestamp"])), 406),
    }
    for name, (fields, status) in cases.items():
        body, headers = form_body(fields)
        response = await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)
        assert response.status_code == status, (name, response.text)
        assert response.headers["content-type"] == "application/problem+json", name
    assert await count_events(db, channel.id) == 1


async def test_unknown_disabled_oversized_and_unreadable_deliveries_are_refused(client, db) -> None:
    channel = await make_channel(db)
    imap_fed = await make_channel(db, inbound="imap", settings={"imap": {"host": "127.0.0.1", "port": 143,
                                                                        "username": "u"}},
                                  secrets={"imap_password": "p"})
    body, headers = form_body(mailgun_form())
    assert (await client.post("/webhook/email/6c1b2b8e-0000-4000-8000-000000000000", content=body,
                              headers=headers)).status_code == 404
    assert (await client.post(f"/webhook/email/{imap_fed.id}", content=body, headers=headers)).status_code == 404
    assert (await client.post("/webhook/email/not-a-uuid", content=body, headers=headers)).status_code == 404
    huge = await client.post(f"/webhook/email/{channel.id}", content=b"x" * (25 * 1024 * 1024 + 1), headers=headers)
    assert huge.status_code == 413
    garbled = await client.post(f"/webhook/email/{channel.id}", content=b"\xff\xfe=%%",
                                headers={"content-type": "application/x-www-form-urlencoded"})
    assert garbled.status_code in (400, 401)
    not_form = await client.post(f"/webhook/email/{channel.id}", content=b"{}",
                                 headers={"content-type": "application/json"})
    assert not_form.status_code == 400 and not_form.json()["type"] == "/problems/unparseable-payload"
    channel.enabled = False
    await db.flush()
    assert (await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)).status_code == 404
    assert await count_events(db, channel.id) == 0


async def test_postmark_json_with_basic_auth_end_to_end(client, db) -> None:
    channel = await make_channel(db, inbound="postmark")
    body = json.dumps(postmark_payload()).encode()
    json_headers = {"content-type": "application/json"}

    for wrong in ({}, basic(password="nope"), basic(user="other")):
        refused = await client.post(f"/webhook/email/{channel.id}", content=body, headers=json_headers | wrong)
        assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert await count_events(db, channel.id) == 0

    accepted = await client.post(f"/webhook/email/{channel.id}", content=body, headers=json_headers | basic())
    assert accepted.status_code == 200
    [message] = await _ingest_all(db, channel.id)
    assert message.provider_message_id == "pm1@customer.example"  # the RFC id, not Postmark's own
    assert message.text == "Where is order 1001?" and message.html.startswith("<p>")
    assert message.sender_name == "Bob Buyer"


async def test_sendgrid_parsed_and_raw_forms_end_to_end(client, db) -> None:
    channel = await make_channel(db, inbound="sendgrid")
    headers_block = ("From: Cat Buyer <cat@customer.example>\r\nTo: orders@shop.example\r\n"
                     "Subject: Gift wrap?\r\nMessage-ID: <sg1@customer.example>\r\n")
    parsed, parsed_headers = multipart(
        {"headers": headers_block, "from": "Cat Buyer <cat@customer.example>", "to": "orders@shop.example",
         "subject": "Gift wrap?", "text": "Can you gift wrap it?", "envelope": json.dumps(
             {"to": ["orders@shop.example"], "from": "cat@customer.example"}), "attachments": "1"},
        {"attachment1": ("note.txt", "text/plain", b"a note")})
    raw_mail = ("From: Dan <dan@customer.example>\r\nTo: orders@shop.example\r\nSubject: Raw one\r\n"
                "Message-ID: <sg2@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello raw\r\n")
    raw, raw_headers = multipart({"email": raw_mail, "envelope": json.dumps({"from": "dan@customer.example"})})

    refused = await client.post(f"/webhook/email/{channel.id}", content=parsed, headers=parsed_headers)
    assert refused.status_code == 401
    for body, headers in ((parsed, parsed_headers), (raw, raw_headers)):
        response = await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers | basic())
        assert response.status_code == 200, response.text

    messages = {m.provider_message_id: m for m in await _ingest_all(db, channel.id)}
    assert set(messages) == {"sg1@customer.example", "sg2@customer.example"}
    assert messages["sg1@customer.example"].text == "Can you gift wrap it?"
    assert messages["sg2@customer.example"].text.strip() == "Hello raw"
