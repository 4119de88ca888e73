"""`make run`'s demo can show its two promises: replies go out (to a local outbox that keeps them),
and shipping/returns questions get drafts from the demo's knowledge entries."""

import importlib
from email.message import EmailMessage

from sqlalchemy import select

from mancrel.channel import smtp
from mancrel.channel.models import Channel
from mancrel.demo import SEEDERS
from mancrel.demo_outbox import HOST, DemoOutbox
from mancrel.inbox import demo as inbox_demo
from mancrel.reply import grounding, retrieval
from mancrel.reply.local_provider import LocalProvider
from mancrel.reply.provider import DraftRequest


async def _seed_demo(db) -> None:
    for module in SEEDERS:  # the real seeders, in their order
        await importlib.import_module(module).seed(db)


async def _demo_channel(db) -> Channel:
    return await db.scalar(select(Channel).where(Channel.name == inbox_demo.DEMO_CHANNEL)
                           .execution_options(populate_existing=True))


async def test_a_shipping_question_gets_a_grounded_draft_from_the_demo_knowledge(db) -> None:
    await _seed_demo(db)
    question = "Do you ship to Norway, and how long does it usually take?"
    facts = await retrieval.retrieve(db, text=question, intent="shipping")
    assert [k.topic for k in facts.knowledge] == ["shipping"]
    draft = await LocalProvider().draft(DraftRequest(intent="shipping", language="en", customer_name="Lena",
                                                     customer_text=question, facts=facts, signature="The shop"))
    assert draft.text is not None and "Norway" in draft.text and "3 to 6 business days" in draft.text
    assert (await grounding.check(db, draft=draft.text, facts=facts, customer_text=question,
                                  max_age_seconds=900)).ok
    returns = await retrieval.retrieve(db, text="How do I send the poles back?", intent="returns_refund")
    assert [k.topic for k in returns.knowledge] == ["returns"]
    # "Where is my order?" needs the order, not the shipping text: no entry answers it.
    assert (await retrieval.retrieve(db, text="Where is my order #TH-1042?", intent="order_status")).knowledge == []


async def test_the_demo_mailbox_sends_to_the_local_outbox_which_keeps_the_mail(db, tmp_path) -> None:
    await _seed_demo(db)
    said: list[str] = []
    outbox = DemoOutbox(tmp_path / "outbox", on_mail=said.append)
    port = outbox.start()
    try:
        assert await inbox_demo.use_outbox(db, HOST, port)
        channel = await _demo_channel(db)
        assert channel.settings["smtp"] == {"host": HOST, "port": port, "security": "none"}
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = inbox_demo.SHOP, "lena@example.net", "Re: Norway"
        message.set_content("Hi Lena,\n.a line starting with a dot\n\nThe shop")

        async def nothing() -> None:
            pass

        answer = await smtp.send(message, settings=channel.settings, password=None, before_data=nothing)
    finally:
        outbox.stop()
    assert answer.startswith("250") and "not delivered" in answer
    (kept,) = (tmp_path / "outbox").iterdir()
    assert b"Subject: Re: Norway" in kept.read_bytes() and b"\n.a line starting with a dot" in kept.read_bytes()
    assert said and "lena@example.net" in said[0] and str(kept) in said[0]


async def test_a_real_outgoing_server_an_admin_set_is_left_alone(db) -> None:
    await _seed_demo(db)
    channel = await _demo_channel(db)
    real = {"host": "smtp.example.com", "port": 587, "username": "shop", "security": "starttls"}
    channel.settings = {**channel.settings, "smtp": real}
    await db.flush()
    assert not await inbox_demo.use_outbox(db, HOST, 2525)
    assert (await _demo_channel(db)).settings["smtp"] == real
