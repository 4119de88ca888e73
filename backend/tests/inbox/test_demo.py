"""`make run`'s demo inbox: customer mail about the demo catalogue, through the real intake."""

import importlib

from sqlalchemy import func, select

from mancrel.contact.models import Contact
from mancrel.demo import SEEDERS
from mancrel.inbox import demo as inbox_demo
from mancrel.inbox.models import Conversation, Message
from mancrel.user import service as user_service
from mancrel.worker.models import OutboxMessage
from tests.factories import auth_headers


async def test_the_demo_inbox_has_a_dozen_conversations_waiting_for_the_classifier(client, db):
    for module in SEEDERS:  # the real seeders in their registered order, up to the inbox's
        if module.split(".")[1] in ("user", "company", "contact", "inbox"):
            await importlib.import_module(module).seed(db)
    manager = await user_service.get_by_email(db, "maria.manager@example.com")
    inbox = (await client.get("/api/v1/conversations?limit=50", headers=auth_headers(manager))).json()["items"]
    junk = (await client.get("/api/v1/conversations?junk=true", headers=auth_headers(manager))).json()["items"]
    assert len(inbox) == 11 and len(junk) == 1 and junk[0]["subject"] == "This week in outdoor retail"
    assert all(c["contact"] is not None for c in inbox)
    thread = next(c for c in inbox if c["unread_count"] == 2)  # the follow-up joined its thread
    assert thread["subject"] == "Socks in size L?"
    sam = await db.scalar(select(Contact).where(Contact.emails.contains(["sam.okafor@example.org"])))
    assert sam is not None and sam.source == "email"
    customer_mail = await db.scalar(select(func.count()).select_from(Message).join(Conversation).where(
        Conversation.is_junk.is_(False)))
    jobs = await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == "ai.process_message"))
    assert customer_mail == jobs == 12
    hint = await inbox_demo.webhook_hint(db, "http://127.0.0.1:8000")
    assert hint.startswith("POST http://127.0.0.1:8000/webhook/email/") and "signing key" in hint
