"""The junk gate: automated mail is stored and shown under the junk filter, but never becomes a
contact, a lead, a classification job or an automatic reply.

The rules are the ones mail systems themselves use to say "a machine sent this" (RFC 3834
Auto-Submitted, Precedence, list headers, auto-reply markers, bounces with the null return path or a
delivery-status report) plus senders that cannot read a reply and the shop writing to itself.
"""

import re
from dataclasses import dataclass

from mancrel.inbox.inbound import InboundEmail

_MACHINE_LOCAL_PARTS = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|notifications?"
    r"|auto[-_.]?(reply|responder|confirm))([+\-_.].*)?$")
_AUTOREPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response-suppress")


@dataclass(frozen=True)
class Verdict:
    reason: str            # what a rep reads under "why is this junk"
    is_bounce: bool = False


def local_part(address: str) -> str:
    return address.rsplit("@", 1)[0].lower()


def machine_address(address: str) -> bool:
    """A sender that cannot read a reply (no-reply@, mailer-daemon@, notifications@, ...)."""
    return bool(_MACHINE_LOCAL_PARTS.match(local_part(address.strip())))


def is_bounce(email: InboundEmail) -> bool:
    content_type = (email.header("content-type") or "").lower()
    return (email.return_path == "" or "report-type=delivery-status" in content_type.replace(" ", "")
            or local_part(email.from_address) in ("mailer-daemon", "postmaster"))


def judge(email: InboundEmail, *, shop_addresses: set[str]) -> Verdict | None:
    """Why this mail is automated, or None for a person's mail."""
    if "@" not in email.from_address:
        return Verdict("no sender address to answer")
    if is_bounce(email):
        return Verdict("bounce (delivery status report or empty return path)", is_bounce=True)
    auto_submitted = (email.header("auto-submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return Verdict(f"Auto-Submitted: {auto_submitted}")
    precedence = (email.header("precedence") or "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return Verdict(f"Precedence: {precedence}")
    if email.header("list-unsubscribe") is not None or email.header("list-id") is not None:
        return Verdict("mailing list (List-Unsubscribe)")
    autoreply = next((h for h in _AUTOREPLY_HEADERS if email.header(h) is not None), None)
    if autoreply:
        return Verdict(f"auto-reply ({autoreply})")
    sender = email.from_address.strip().lower()
    if _MACHINE_LOCAL_PARTS.match(local_part(sender)):
        return Verdict(f"automated sender ({local_part(sender)}@)")
    if sender in shop_addresses:
        return Verdict("sent from the shop's own address")
    return None


_MESSAGE_ID = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def bounced_message_ids(email: InboundEmail) -> list[str]:
    """Message-IDs a bounce refers to: In-Reply-To/References, then any Message-ID quoted in the
    report (a delivery-status report attaches the original headers)."""
    ids = [mid for mid in (email.in_reply_to, *email.references) if mid]
    body = "\n".join(p for p in (email.text, email.html) if p)
    for line in body.splitlines():
        if line.lower().lstrip().startswith("message-id:"):
            ids.extend(_MESSAGE_ID.findall(line))
    for attachment in email.attachments:
        if attachment.content_type.lower() in ("message/rfc822", "message/delivery-status", "text/rfc822-headers"):
            ids.extend(_MESSAGE_ID.findall(attachment.content.decode("utf-8", "replace")))
    return list(dict.fromkeys(bare_id(m) for m in ids))


def bare_id(message_id: str) -> str:
    """`<abc@host>` -> `abc@host`: how Message-IDs are stored and compared."""
    return message_id.strip().strip("<>").strip()
