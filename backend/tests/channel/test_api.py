"""`/api/v1/channels`: admins create and change channels; secrets are write-only and rotatable."""

import uuid

from sqlalchemy import select

from mancrel.audit.models import AuditEntry
from mancrel.channel.models import Channel
from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user

MAILGUN = {"kind": "email", "name": "Support mail",
           "settings": {"address": "orders@shop.example", "inbound": "mailgun",
                        "smtp": {"host": "smtp.shop.example", "port": 587, "username": "orders@shop.example"}},
           "secrets": {"signing_key": "key-abc", "smtp_password": "smtp-pass"}}


async def test_admin_creates_a_channel_and_never_sees_its_secrets_again(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    created = await client.post("/api/v1/channels", json=MAILGUN, headers=auth_headers(admin))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["webhook_path"] == f"/webhook/email/{body['id']}"
    assert body["secrets_set"] == ["signing_key", "smtp_password"]
    assert "key-abc" not in created.text and "smtp-pass" not in created.text
    listed = await client.get("/api/v1/channels", headers=auth_headers(admin))
    assert [c["id"] for c in listed.json()["items"]] == [body["id"]] and "key-abc" not in listed.text
    stored = await db.scalar(select(Channel).where(Channel.name == "Support mail"))
    assert "key-abc" not in (stored.secrets_encrypted or "")  # encrypted at rest
    entries = list(await db.scalars(select(AuditEntry).where(AuditEntry.entity_type == "channel")))
    assert entries and all("key-abc" not in str(e.after) for e in entries)


async def test_rotating_a_secret_replaces_it_and_keeps_the_others(client, db) -> None:
    from mancrel.channel.service import secrets_of

    admin = await make_user(db, role=Role.admin)
    channel_id = (await client.post("/api/v1/channels", json=MAILGUN, headers=auth_headers(admin))).json()["id"]
    patched = await client.patch(f"/api/v1/channels/{channel_id}", headers=auth_headers(admin),
                                 json={"secrets": {"signing_key": "key-new"}, "settings": {"smtp": {"port": 2525}}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["settings"]["smtp"] == {"host": "smtp.shop.example", "port": 2525,
                                                  "username": "orders@shop.example", "security": "starttls"}
    stored = await db.get(Channel, uuid.UUID(channel_id))
    await db.refresh(stored)
    assert secrets_of(stored) == {"signing_key": "key-new", "smtp_password": "smtp-pass"}
    update = await db.scalar(select(AuditEntry).where(AuditEntry.action == "channel.updated"))
    assert update.after["secrets_rotated"] == ["signing_key"] and "key-new" not in str(update.after)


async def test_invalid_settings_other_kinds_and_non_admins_are_refused(client, db) -> None:
    admin, rep, manager = [await make_user(db, role=r) for r in (Role.admin, Role.rep, Role.manager)]
    no_key = MAILGUN | {"secrets": {}}
    bad_port = MAILGUN | {"settings": MAILGUN["settings"] | {"smtp": {"host": "h", "port": 0}}}
    imap_without = MAILGUN | {"settings": {"address": "orders@shop.example", "inbound": "imap"}}
    whatsapp = MAILGUN | {"kind": "whatsapp"}
    for payload, field in ((no_key, "secrets.signing_key"), (bad_port, "settings.smtp.port"),
                           (imap_without, "settings"), (whatsapp, "settings.phone_number_id")):
        response = await client.post("/api/v1/channels", json=payload, headers=auth_headers(admin))
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.json()
    for user in (rep, manager):
        assert (await client.post("/api/v1/channels", json=MAILGUN, headers=auth_headers(user))).status_code == 403
        assert (await client.get("/api/v1/channels", headers=auth_headers(user))).status_code == 403
    assert await db.scalar(select(Channel).where(Channel.name == "Support mail")) is None


async def test_health_and_delete(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    channel_id = (await client.post("/api/v1/channels", json=MAILGUN, headers=auth_headers(admin))).json()["id"]
    health = await client.get(f"/api/v1/channels/{channel_id}/health", headers=auth_headers(admin))
    assert health.status_code == 200
    assert health.json() | {"channel_id": None} == {
        "channel_id": None, "enabled": True, "last_received_at": None, "last_polled_at": None, "last_error": None,
        "last_error_at": None, "messages_in_24h": 0, "messages_out_24h": 0, "outbound_queued": 0,
        "outbound_failed": 0, "outbound_retrying": 0, "inbound_failed": 0, "token_error": None,
        "token_error_at": None}
    assert (await client.delete(f"/api/v1/channels/{channel_id}", headers=auth_headers(admin))).status_code == 204
    assert (await client.get(f"/api/v1/channels/{channel_id}", headers=auth_headers(admin))).status_code == 404
