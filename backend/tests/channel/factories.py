import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import service as channel_service
from mancrel.channel.models import InboundEvent
from mancrel.channel.schemas import ChannelCreate
from mancrel.core.permissions import Role
from mancrel.inbox.models import Message
from tests.factories import auth_headers, make_user

SIGNING_KEY = "key-test-mailgun-0123456789"
BASIC_USER, BASIC_PASSWORD = "inbound", "hook-password"
SHOP = "orders@shop.example"


async def make_channel(session: AsyncSession, *, inbound: str = "mailgun", name: str | None = None,
                       settings: dict | None = None, secrets: dict | None = None):
    base = {"address": SHOP, "inbound": inbound}
    if inbound in ("postmark", "sendgrid"):
        base["basic_auth_user"] = BASIC_USER
    default_secrets = {"mailgun": {"signing_key": SIGNING_KEY},
                       "postmark": {"basic_auth_password": BASIC_PASSWORD},
                       "sendgrid": {"basic_auth_password": BASIC_PASSWORD}}.get(inbound, {})
    channel = await channel_service.create(session, actor=None, data=ChannelCreate(
        kind="email", name=name or f"mail {uuid.uuid4().hex[:6]}", settings=base | (settings or {}),
        secrets=default_secrets if secrets is None else secrets))
    await session.flush()
    return channel


def mailgun_form(*, message_id: str | None = "<m1@customer.example>", key: str = SIGNING_KEY,
                 timestamp: int | None = None, token: str | None = None, subject: str = "Socks in size M?",
                 text: str = "Do you have the merino socks in M?") -> dict[str, str]:
    timestamp_s, token = str(timestamp or int(time.time())), token or uuid.uuid4().hex
    headers = [["From", "Ann Buyer <ann@customer.example>"], ["To", SHOP], ["Subject", subject]]
    if message_id:
        headers.append(["Message-Id", message_id])
    return {"sender": "ann@customer.example", "from": "Ann Buyer <ann@customer.example>", "recipient": SHOP,
            "subject": subject, "body-plain": text, "message-headers": json.dumps(headers),
            "timestamp": timestamp_s, "token": token,
            "signature": hmac.new(key.encode(), (timestamp_s + token).encode(), hashlib.sha256).hexdigest()}


def form_body(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return urlencode(fields).encode(), {"content-type": "application/x-www-form-urlencoded"}


def basic(user: str = BASIC_USER, password: str = BASIC_PASSWORD) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def postmark_payload(message_id: str = "<pm1@customer.example>") -> dict:
    return {"FromFull": {"Email": "bob@customer.example", "Name": "Bob Buyer"},
            "ToFull": [{"Email": SHOP, "Name": ""}], "CcFull": [], "Subject": "Order 1001",
            "TextBody": "", "HtmlBody": "<p>Where is <b>order 1001</b>?</p>", "MessageID": "pm-internal-1",
            "Date": "Thu, 03 Dec 2026 10:00:00 +0000",
            "Headers": [{"Name": "Message-ID", "Value": message_id},
                        {"Name": "Return-Path", "Value": "<bob@customer.example>"}],
            "Attachments": [{"Name": "photo.png", "Content": base64.b64encode(b"\x89PNG...").decode(),
                             "ContentType": "image/png", "ContentLength": 7}]}


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]] | None = None) -> tuple[bytes, dict]:
    boundary = "xYzZY" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, (filename, content_type, content) in (files or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


async def count_events(session: AsyncSession, channel_id) -> int:
    return await session.scalar(select(func.count()).select_from(InboundEvent)
                                .where(InboundEvent.channel_id == channel_id))


async def reread_message(session: AsyncSession, message_id) -> Message:
    """The message as the database has it now (what another transaction, e.g. a send job, committed)."""
    session.expire_all()
    return await session.scalar(select(Message).where(Message.id == message_id))


async def channel_health(client, session: AsyncSession, channel_id) -> dict:
    """GET /api/v1/channels/{id}/health as an admin (created and committed here)."""
    admin = auth_headers(await make_user(session, role=Role.admin))
    await session.commit()
    response = await client.get(f"/api/v1/channels/{channel_id}/health", headers=admin)
    assert response.status_code == 200, response.text
    return response.json()
