"""The Meta chat channels' jobs: send a reply through the Graph API, download a WhatsApp (or
Messenger) message's media, and fetch a Messenger customer's name.

Sending follows the email job's rule: the attempt is committed (`sending`) before the call, so a
worker killed mid-call leaves a message marked uncertain rather than one sent twice. A call that
never reached Meta (connection refused, an unsafe URL) goes back to `queued` and is retried.
"""

import uuid

from celery import current_task
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import graph, template_fill
from mancrel.channel.models import RETRY_REASON, Channel, ChannelKind
from mancrel.channel.repository import ChannelRepository
from mancrel.channel.service import secrets_of
from mancrel.contact import service as contact_service
from mancrel.core import product_metrics
from mancrel.core.db import unit_of_work
from mancrel.inbox import chat
from mancrel.inbox import service as inbox_service
from mancrel.inbox.delivery_failure import GAVE_UP, UNCERTAIN
from mancrel.inbox.models import DeliveryStatus
from mancrel.worker.errors import PermanentError, TransientError
from mancrel.worker.task import job

SEND_RETRIES = 8
# Starts with delivery_failure.UNCERTAIN: a person resending it is asked to confirm (inbox/resend.py).
SEND_UNCERTAIN = (f"{UNCERTAIN}: the Graph API call was interrupted before Meta answered, so it is not sent "
             "again automatically; check with the customer before resending")


def _template(outbound: chat.OutboundChat, template: dict) -> dict:
    """Graph's template message: the approved template by name and language, with the values it was queued with."""
    return {"messaging_product": "whatsapp", "to": outbound.to, "type": "template",
            "template": template_fill.graph_template(template)}


def _request(channel: Channel, outbound: chat.OutboundChat) -> tuple[str, dict]:
    """The Graph API path and JSON body of a reply on this channel."""
    settings = channel.settings or {}
    if channel.kind == ChannelKind.whatsapp:
        if outbound.template is not None:
            return f"{settings['phone_number_id']}/messages", _template(outbound, outbound.template)
        body: dict = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": outbound.to,
                      "type": "text", "text": {"preview_url": False, "body": outbound.text}}
        if outbound.reply_to:
            body["context"] = {"message_id": outbound.reply_to}  # shown as a quote of the customer's message
        return f"{settings['phone_number_id']}/messages", body
    body = {"recipient": {"id": outbound.to}, "messaging_type": "RESPONSE", "message": {"text": outbound.text}}
    if outbound.tag:  # a person answering after the 24-hour window, within Messenger's 7 days
        body.update(messaging_type="MESSAGE_TAG", tag=outbound.tag)
    return f"{settings['page_id']}/messages", body


def _sent_id(channel: Channel, answer: dict) -> str:
    if channel.kind == ChannelKind.whatsapp:
        return str(((answer.get("messages") or [{}])[0]).get("id") or "")
    return str(answer.get("message_id") or "")


async def _finish(outbound: chat.OutboundChat, kind: str, *, provider_id: str | None = None,
                  failure: str | None = None, token_error: str | None = None) -> None:
    async with unit_of_work() as session:
        health = ChannelRepository(session)
        if failure is None:
            await chat.record_provider_id(session, outbound.message_id, provider_id or "")
            await inbox_service.mark_sent(session, outbound.message_id)
            await health.record_health(outbound.channel_id, token_ok=True, clear_send_error=True)
        else:
            await inbox_service.mark_failed(session, outbound.message_id, failure)
            await health.record_health(outbound.channel_id, error=f"sending failed: {failure}", token_error=token_error)
    product_metrics.outbound(kind, sent=failure is None)


def _last_try() -> bool:
    request = getattr(current_task, "request", None)
    return request is not None and (request.retries or 0) >= SEND_RETRIES


async def _claim(message_id: uuid.UUID) -> tuple[chat.OutboundChat, Channel, str] | None:
    """The reply, its channel and token, with the attempt committed first; None when it must not go out."""
    async with unit_of_work() as session:
        outbound = await chat.outbound_chat(session, message_id)
        if outbound is None:
            return None
        retryable = outbound.status == DeliveryStatus.failed and (outbound.failure_reason or "").startswith(GAVE_UP)
        if outbound.status == DeliveryStatus.sending:  # an earlier run died mid-call: maybe sent
            await inbox_service.mark_failed(session, message_id, SEND_UNCERTAIN)
            await ChannelRepository(session).record_health(outbound.channel_id,
                                                           error=f"sending failed: {SEND_UNCERTAIN}")
            return None
        if outbound.status != DeliveryStatus.queued and not retryable:
            return None  # sent, delivered, read or failed already
        if outbound.too_late:  # queued in time, but the queue held it past Meta's window: Meta would refuse it
            await inbox_service.mark_failed(session, message_id, f"not sent, the reply window closed while it "
                                                                 f"waited: {outbound.too_late}")
            return None
        channel = await ChannelRepository(session).get(outbound.channel_id)
        token = secrets_of(channel).get("access_token") if channel is not None else None
        if channel is None or channel.kind not in chat.CHAT_KINDS or not token:
            await inbox_service.mark_failed(session, message_id, "the channel is gone or has no access token")
            return None
        await inbox_service.mark_sending(session, message_id)
    return outbound, channel, token


@job("channel.send_meta_message", max_retries=SEND_RETRIES, retry_base=5.0, retry_max=900.0)
async def send_meta_message(session: AsyncSession, message_id: uuid.UUID) -> str:
    """Send a queued WhatsApp / Messenger reply; Meta's answer (the new message's id) is the commit point."""
    claimed = await _claim(message_id)
    if claimed is None:
        return "skipped"
    outbound, channel, token = claimed
    path, body = _request(channel, outbound)
    try:
        answer = await graph.call("POST", graph.base_url(channel.settings), path, token=token, json=body)
    except graph.GraphError as exc:
        if exc.token_rejected:
            await _finish(outbound, channel.kind, failure=str(exc), token_error=str(exc))
            raise PermanentError(str(exc)) from exc
        if exc.sent:
            await _finish(outbound, channel.kind, failure=f"{SEND_UNCERTAIN} ({exc})")
            raise PermanentError(str(exc)) from exc
        if exc.transient and not _last_try():
            async with unit_of_work() as retry:  # the thread shows "Retrying: ..."; health warns until a send works
                await inbox_service.mark_queued(retry, message_id, f"{RETRY_REASON}: {exc}")
                await ChannelRepository(retry).record_health(channel.id, error=f"sending is being retried: {exc}")
            raise TransientError(str(exc)) from exc
        failure = f"{GAVE_UP} {SEND_RETRIES + 1} attempts: {exc}" if exc.transient else str(exc)
        await _finish(outbound, channel.kind, failure=failure)
        raise PermanentError(str(exc)) from exc
    await _finish(outbound, channel.kind, provider_id=_sent_id(channel, answer))
    return "sent"


@job("channel.fetch_media", max_retries=5, retry_base=5.0)
async def fetch_media(session: AsyncSession, message_id: uuid.UUID) -> str:
    """Download a chat message's media and keep it as the message's attachment (bytes up to the cap)."""
    message = await inbox_service.get_message(session, message_id)
    media = (message.headers or {}).get("media") if message is not None else None
    channel = await session.get(Channel, message.channel_id) if message is not None else None
    if message is None or channel is None or not media or await inbox_service.has_attachments(session, message_id):
        return "skipped"
    token = secrets_of(channel).get("access_token") or ""
    try:
        if media.get("id"):  # WhatsApp: ask for a short-lived URL, then fetch it with the same token
            info = await graph.call("GET", graph.base_url(channel.settings), str(media["id"]), token=token)
            url, declared, bearer = str(info.get("url") or ""), info.get("file_size"), token
        else:  # Messenger: the webhook gave a CDN link that needs no token
            url, declared, bearer = str(media.get("url") or ""), None, None
        got = await graph.download(url, token=bearer, cap=inbox_service.ATTACHMENT_CONTENT_CAP,
                                   declared_size=int(declared) if str(declared or "").isdigit() else None)
    except graph.GraphError as exc:
        if exc.token_rejected:
            await _token_refused(channel.id, str(exc))
            raise PermanentError(str(exc)) from exc
        raise (TransientError if exc.transient else PermanentError)(str(exc)) from exc
    await inbox_service.add_attachment(session, message_id, filename=str(media.get("filename") or ""),
                                       content_type=media.get("mime_type") or got.mime_type, content=got.content,
                                       size=got.size)
    return "stored" if got.content is not None else "too large: metadata only"


async def _token_refused(channel_id: uuid.UUID, error: str) -> None:
    async with unit_of_work() as other:  # kept when this job's own transaction rolls back
        await ChannelRepository(other).record_health(channel_id, error=error, token_error=error)


@job("channel.fetch_messenger_profile", max_retries=3, retry_base=10.0)
async def fetch_messenger_profile(session: AsyncSession, channel_id: uuid.UUID, contact_id: uuid.UUID) -> str:
    """A Messenger customer's name (the webhook has only their PSID), when the page may read it."""
    channel = await session.get(Channel, channel_id)
    contact = await contact_service.get(session, contact_id)
    if channel is None or contact is None or not contact.messenger_psid:
        return "skipped"
    try:
        profile = await graph.call("GET", graph.base_url(channel.settings), contact.messenger_psid,
                                   token=secrets_of(channel).get("access_token") or "",
                                   params={"fields": "first_name,last_name"})
    except graph.GraphError as exc:
        if exc.token_rejected:
            await _token_refused(channel.id, str(exc))
        if exc.transient:
            raise TransientError(str(exc)) from exc
        return f"not allowed: {exc}"  # no profile permission: the contact keeps its PSID only
    named = await contact_service.name_if_blank(session, contact_id, first=str(profile.get("first_name") or ""),
                                                last=str(profile.get("last_name") or ""))
    return "named" if named else "unchanged"
