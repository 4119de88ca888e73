"""`email_batch.receive_emails` against `service.receive_email`: the same mail stored one by one on
one channel and as one batch on another ends the same way (threads, contacts, duplicates, junk,
unread counts), with a handful of statements instead of about fifteen a mail."""

from sqlalchemy import event, select

from mancrel.contact.models import Contact
from mancrel.inbox.email_batch import receive_emails
from mancrel.inbox.models import Conversation
from tests.inbox.factories import inbound, make_channel, make_contact, receive


def _mail(domain: str) -> list:
    """A burst as a shop sees it: a reply to a stored thread, a new customer writing twice (once by
    subject, once as a retry of the same Message-ID), a colleague answering in that thread, an
    out-of-office notice and a known customer."""
    def who(name: str) -> str:
        return f"{name}@{domain}"

    return [
        inbound(who("ann"), name="Ann", subject="Re: Order 1001", message_id="<ann-2@x>", in_reply_to="<ann-1@x>"),
        inbound(who("bob"), name="Bob Stone", subject="Gift wrap?", message_id="<bob-1@x>"),
        inbound(who("bob"), name="Bob Stone", subject="Re: Gift wrap?", message_id="<bob-2@x>"),
        inbound(who("cat"), name="Cat", subject="Re: Gift wrap?", message_id="<cat-1@x>", references=["<bob-1@x>"]),
        inbound(who("bob"), name="Bob Stone", subject="Gift wrap?", message_id="<bob-1@x>"),
        inbound(who("dan"), name="Dan", subject="Out of office", message_id="<dan-1@x>",
                headers=[("Auto-Submitted", "auto-replied")]),
        inbound(who("eve"), name="Eve", subject="Invoice copy", message_id="<eve-1@x>"),
    ]


async def _outcome(db, channel, domain: str, results: list) -> list[tuple]:
    """Each mail's fate in channel-independent terms: None for a duplicate, else the thread it
    joined (numbered by first appearance), that thread's unread count, junk flag and contact."""
    threads: dict = {}
    summary = []
    for message in results:
        if message is None:
            summary.append(None)
            continue
        conversation = await db.get(Conversation, message.conversation_id, populate_existing=True)
        contact = await db.get(Contact, conversation.contact_id) if conversation.contact_id else None
        summary.append((threads.setdefault(conversation.id, len(threads)), conversation.unread_count,
                        conversation.is_junk, contact.emails[0].replace(domain, "d") if contact else None))
    return summary


async def test_a_batch_ends_as_the_same_mail_taken_one_by_one(db, engine) -> None:
    outcomes, statements = [], []
    for domain, batched in (("one.example", False), ("batch.example", True)):
        channel = await make_channel(db)
        await receive(db, channel, inbound(f"ann@{domain}", name="Ann", subject="Order 1001", message_id="<ann-1@x>"))
        await make_contact(db, email=f"eve@{domain}", first_name="Eve")
        count = [0]

        def counted(*_: object, _count=count) -> None:
            _count[0] += 1

        event.listen(engine.sync_engine, "before_cursor_execute", counted)
        if batched:
            results = await receive_emails(db, channel=channel, emails=_mail(domain))
        else:
            results = [await receive(db, channel, mail) for mail in _mail(domain)]
        await db.flush()
        event.remove(engine.sync_engine, "before_cursor_execute", counted)
        outcomes.append(await _outcome(db, channel, domain, results))
        statements.append(count[0])
        contacts = list(await db.scalars(select(Contact.id).where(Contact.emails.overlap(
            [f"{n}@{domain}" for n in ("ann", "bob", "cat", "dan", "eve")]))))
        assert len(contacts) == 4  # ann, bob, cat, eve: the notice makes none

    one_by_one, batch = outcomes
    assert batch == one_by_one
    ann, bob, bob_again, cat, retry, notice, eve = one_by_one
    assert ann[1] == 2 and retry is None and notice[2] is True
    assert bob[0] == bob_again[0] == cat[0] and cat[1] == 3  # by subject, then by reference
    assert eve[3] == "eve@d"
    assert statements[1] * 2 < statements[0], statements
