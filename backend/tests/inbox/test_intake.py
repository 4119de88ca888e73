"""Every customer email becomes a conversation: threading, identity, the junk gate, idempotency."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.inbox.inbound import InboundAttachment
from mancrel.inbox.models import Attachment, Conversation, Message
from mancrel.worker.models import OutboxMessage
from tests.contact.factories import make_contact
from tests.factories import make_user
from tests.inbox.factories import SHOP, inbound, make_channel, receive


async def _jobs(db, name: str, message: Message) -> int:
    return await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == name, OutboxMessage.kwargs["message_id"].astext == str(message.id)))


async def test_an_unknown_sender_becomes_a_lead_with_a_conversation_and_a_classification_job(db):
    owner = await make_user(db)
    channel = await make_channel(db, owner=owner)
    message = await receive(db, channel, inbound("Jane.Doe@Customer.example", name="Jane van Doe",
                                                 text="Is the trail jacket in stock?\n\n-- \nJane"))
    conversation = await db.get(Conversation, message.conversation_id)
    contact = await db.get(Contact, conversation.contact_id)
    assert (contact.first_name, contact.last_name, contact.emails) == ("Jane", "van Doe", ["jane.doe@customer.example"])
    assert contact.source == "email" and contact.owner_id == owner.id and contact.lifecycle_stage == "lead"
    assert conversation.subject == "Trail jacket" and conversation.status == "open" and conversation.unread_count == 1
    assert message.own_words == "Is the trail jacket in stock?"  # the signature is not the customer's words
    assert await _jobs(db, "ai.process_message", message) == 1


async def test_the_same_mail_twice_is_one_message(db):
    channel = await make_channel(db)
    mail = inbound(message_id="<order-42@customer.example>")
    first = await receive(db, channel, mail)
    assert await receive(db, channel, mail) is None
    no_id = inbound(message_id=None, subject="No id", text="Same words")
    assert await receive(db, channel, no_id) is not None
    assert await receive(db, channel, no_id) is None  # the content hash stands in for a missing Message-ID
    assert first.provider_message_id == "order-42@customer.example"
    count = await db.scalar(select(func.count()).select_from(Message).where(Message.channel_id == channel.id))
    assert count == 2


async def test_a_reply_joins_its_thread_by_in_reply_to_then_references_right_to_left(db):
    channel = await make_channel(db)
    first = await receive(db, channel, inbound(message_id="<a@x>", subject="Order 1"))
    other = await receive(db, channel, inbound(message_id="<b@x>", subject="Order 2"))
    by_header = await receive(db, channel, inbound(in_reply_to="<a@x>", subject="something else"))
    assert by_header.conversation_id == first.conversation_id
    # References right to left: the newest known id wins; unknown ids are skipped.
    by_refs = await receive(db, channel, inbound(references=["<a@x>", "<b@x>", "<unknown@x>"], subject="zzz"))
    assert by_refs.conversation_id == other.conversation_id


async def test_subject_only_matches_need_the_same_counterpart_within_30_days(db):
    channel = await make_channel(db)
    first = await receive(db, channel, inbound(subject="Question about socks"))
    same = await receive(db, channel, inbound(subject="RE: Fwd: question about  socks", message_id="auto"))
    assert same.conversation_id == first.conversation_id
    forwarded = await receive(db, channel, inbound(subject="Fwd: Question about socks"))
    assert forwarded.conversation_id == first.conversation_id
    stranger = await receive(db, channel, inbound("bob@else.example", name="Bob", subject="Re: Question about socks"))
    assert stranger.conversation_id != first.conversation_id
    conversation = await db.get(Conversation, first.conversation_id)
    conversation.last_message_at = datetime.now(UTC) - timedelta(days=31)
    await db.flush()
    late = await receive(db, channel, inbound(subject="Re: Question about socks"))
    assert late.conversation_id != first.conversation_id


async def test_known_merged_and_ambiguous_senders(db):
    manager = await make_user(db, role=Role.manager)
    channel = await make_channel(db)
    known = await make_contact(db, actor=manager, emails=["known@customer.example"])
    message = await receive(db, channel, inbound("KNOWN@customer.example"))
    assert (await db.get(Conversation, message.conversation_id)).contact_id == known.id
    # A merged-away contact is deleted; its address lives on in the contact it was merged into.
    gone = await make_contact(db, actor=manager, emails=["merged@customer.example"])
    gone.deleted_at = datetime.now(UTC)
    survivor = Contact(first_name="Survivor", emails=["merged@customer.example"], owner_id=manager.id)
    db.add(survivor)
    await db.flush()
    message = await receive(db, channel, inbound("merged@customer.example"))
    assert (await db.get(Conversation, message.conversation_id)).contact_id == survivor.id
    # Two live contacts share the address: the most recently active one gets the mail.
    older = Contact(first_name="Older", emails=["shared@customer.example"],
                    last_contacted_at=datetime.now(UTC) - timedelta(days=9))
    newer = Contact(first_name="Newer", emails=["shared@customer.example"],
                    last_contacted_at=datetime.now(UTC) - timedelta(days=1))
    db.add_all([older, newer])
    await db.flush()
    message = await receive(db, channel, inbound("shared@customer.example"))
    assert (await db.get(Conversation, message.conversation_id)).contact_id == newer.id
    created = await db.scalar(select(func.count()).select_from(Contact).where(
        Contact.emails.overlap(["known@customer.example", "merged@customer.example", "shared@customer.example"])))
    assert created == 5  # no contact was made for any of them


async def test_automated_mail_is_junk_and_never_a_lead(db):
    channel = await make_channel(db)
    cases = [
        {"headers": [("Auto-Submitted", "auto-replied")]},
        {"headers": [("Precedence", "bulk")]},
        {"headers": [("List-Unsubscribe", "<mailto:unsub@news.example>")]},
        {"headers": [("X-Autoreply", "yes")]},
        {"sender": "no-reply@shopify.example"},
        {"sender": "MAILER-DAEMON@mx.example", "return_path": ""},
        {"sender": SHOP},
        {"sender": "undisclosed-recipients"},
    ]
    contacts_before = await db.scalar(select(func.count()).select_from(Contact))
    for case in cases:
        mail = inbound(case.get("sender", "person@else.example"), headers=case.get("headers"),
                       return_path=case.get("return_path"))
        message = await receive(db, channel, mail)
        assert message.is_junk and message.junk_reason, case
        assert (await db.get(Conversation, message.conversation_id)).is_junk
        assert await _jobs(db, "ai.process_message", message) == 0
    assert await db.scalar(select(func.count()).select_from(Contact)) == contacts_before
    human = await receive(db, channel, inbound(headers=[("Auto-Submitted", "no")]))
    assert not human.is_junk


async def test_a_bounce_of_our_mail_marks_it_failed(db):
    channel = await make_channel(db)
    customer_mail = await receive(db, channel, inbound(message_id="<q@customer.example>"))
    ours = Message(conversation_id=customer_mail.conversation_id, channel_id=channel.id, direction="outbound",
                   sender=SHOP, subject="Re: Trail jacket", text="Yes", provider_message_id="reply-1@mancrel",
                   status="sent")
    db.add(ours)
    await db.flush()
    report = inbound("mailer-daemon@mx.customer.example", name="Mail Delivery System", subject="Undelivered Mail",
                     text="550 5.1.1 mailbox unavailable\n\nOriginal headers:\nMessage-ID: <reply-1@mancrel>",
                     headers=[("Content-Type", "multipart/report; report-type=delivery-status")], return_path="")
    bounce = await receive(db, channel, report)
    await db.refresh(ours)
    assert bounce.is_junk and ours.status == "failed" and "550 5.1.1" in ours.failure_reason


async def test_html_only_mail_is_read_as_text_and_attachments_keep_metadata(db, monkeypatch):
    from mancrel.inbox import service

    monkeypatch.setattr(service, "ATTACHMENT_CONTENT_CAP", 10)
    channel = await make_channel(db)
    mail = inbound(text=None, html="<html><style>p{}</style><body><p>Do you ship&nbsp;to Norway?</p>"
                                   "<blockquote>old quoted mail</blockquote></body></html>",
                   attachments=[InboundAttachment("photo.jpg", "image/jpeg", b"x" * 50),
                                InboundAttachment("note.txt", "text/plain", b"hello")])
    message = await receive(db, channel, mail)
    assert message.text.startswith("Do you ship to Norway?") and message.html.startswith("<html>")
    assert message.own_words == "Do you ship to Norway?"
    rows = {a.filename: a for a in await db.scalars(select(Attachment).where(Attachment.message_id == message.id))}
    assert rows["photo.jpg"].size == 50 and rows["photo.jpg"].content is None  # over the cap: metadata only
    assert rows["note.txt"].content == b"hello"
