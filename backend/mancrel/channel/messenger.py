"""Messenger (the Send API's webhooks): a page delivery's messages as stored items, and a stored
item read back for the inbox. Echoes of the page's own sends are dropped when the delivery is cut
into items: they are our replies (or a rep's from Meta's inbox), never a customer's message."""

import json
from datetime import UTC, datetime
from typing import Any

from mancrel.channel.exceptions import UnparseablePayload
from mancrel.channel.meta import Item, entries
from mancrel.inbox.inbound import InboundChat, NotAMessage


def items(parsed: dict[str, Any]) -> list[Item]:
    found: list[Item] = []
    for entry in entries(parsed):
        for event in entry.get("messaging") or []:
            if not isinstance(event, dict):
                continue
            message = event.get("message") if isinstance(event.get("message"), dict) else None
            postback = event.get("postback") if isinstance(event.get("postback"), dict) else None
            if message is not None and not message.get("is_echo") and message.get("mid"):
                key = f"mid:{message['mid']}"
            elif postback is not None:  # a tap on a button we sent: the customer chose something
                sender = str((event.get("sender") or {}).get("id"))
                key = f"postback:{postback.get('mid') or sender + ':' + str(event.get('timestamp'))}"
            else:
                continue  # echoes, delivery and read receipts, reactions: nobody wrote to us
            found.append(Item(key[:998], {"type": "messaging", "page_id": str(entry.get("id") or ""),
                                          "messaging": event}))
    return found


def _text(event: dict[str, Any]) -> tuple[str, str, dict | None]:
    """Words, kind and the first attachment's media."""
    if isinstance(event.get("postback"), dict):
        return str(event["postback"].get("title") or event["postback"].get("payload") or ""), "postback", None
    message = event.get("message") or {}
    attachments = [a for a in message.get("attachments") or [] if isinstance(a, dict)]
    labels = [f"[{a.get('type') or 'file'}]" for a in attachments]
    words = "\n".join([*labels, str(message.get("text") or "")]).strip()
    first = attachments[0] if attachments else None
    media = {"url": (first.get("payload") or {}).get("url"), "kind": first.get("type")} if first else None
    return words, (first.get("type") if first and not message.get("text") else "text"), media


def read(body: bytes, content_type: str) -> InboundChat | NotAMessage:
    stored = json.loads(body)
    event = stored.get("messaging") if stored.get("type") == "messaging" else None
    if not isinstance(event, dict):
        raise UnparseablePayload("not a stored Messenger item")
    if (event.get("message") or {}).get("is_echo"):
        return NotAMessage("an echo of the page's own message")
    psid = str((event.get("sender") or {}).get("id") or "")
    if not psid:
        raise UnparseablePayload("a Messenger message without sender.id")
    words, kind, media = _text(event)
    message = event.get("message") or {}
    mid = message.get("mid") or (event.get("postback") or {}).get("mid") or f"postback:{psid}:{event.get('timestamp')}"
    try:
        at = datetime.fromtimestamp(int(event.get("timestamp")) / 1000, UTC)  # Messenger counts milliseconds
    except (TypeError, ValueError, OverflowError):
        at = datetime.now(UTC)
    reply_to = (message.get("reply_to") or {}).get("mid")
    return InboundChat(sender_id=psid, provider_message_id=str(mid), text=words, occurred_at=at, kind=kind,
                       reply_to=str(reply_to) if reply_to else None,
                       media=media if media and media.get("url") else None)
