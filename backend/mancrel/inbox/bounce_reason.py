"""Why a bounce says our mail was not delivered, in the words a rep needs: the receiving server's
answer ("550 5.1.1 Recipient address rejected: User unknown"), not the whole report.

A delivery-status report (RFC 3464) carries it as the recipient's Diagnostic-Code (or at least its
Status); mail systems that send a plain notice quote the SMTP answer in the text ("... said: 550
5.1.1 <ann@...>: Recipient address rejected ..."). The recipient's address in the answer and
Postfix's "(in reply to RCPT TO command)" are dropped: the rep knows whom we wrote to.
"""

import re

from mancrel.inbox.inbound import InboundEmail

REASON_CAP = 300
_DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")
# An SMTP reply with its enhanced status code: "550 5.1.1 ..." or "550-5.1.1 ...".
_SMTP_ANSWER = re.compile(r"\b([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b[ :]*(.*)")
_ADDRESS = re.compile(r"<[^<>\s]+@[^<>\s]+>:?\s*")
_IN_REPLY_TO = re.compile(r"\(in reply to [^)]*\)", re.IGNORECASE)


def _unfolded(text: str) -> list[str]:
    """Lines with their folded continuations (a line starting with a space) joined back."""
    lines: list[str] = []
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    return lines


def _clean(answer: str) -> str:
    answer = _IN_REPLY_TO.sub("", _ADDRESS.sub("", answer))
    return " ".join(answer.split())[:REASON_CAP]


def _from_report(email: InboundEmail) -> str | None:
    for attachment in email.attachments:
        if attachment.content_type.lower() not in _DSN_TYPES:
            continue
        fields: dict[str, str] = {}
        for line in _unfolded(attachment.content.decode("utf-8", "replace")):
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), value.strip())
        diagnostic = fields.get("diagnostic-code", "")
        if diagnostic:  # "smtp; 550 5.1.1 <ann@...>: Recipient address rejected"
            return _clean(diagnostic.split(";", 1)[-1])
        if fields.get("status"):
            return _clean(f"status {fields['status']}" + (f" ({fields['action']})" if fields.get("action") else ""))
    return None


def _from_text(email: InboundEmail) -> str | None:
    for line in _unfolded(email.text or ""):
        found = _SMTP_ANSWER.search(line)
        if found:
            return _clean(" ".join(found.groups()))
    return None


def reason(email: InboundEmail) -> str:
    """The server's answer from the report or the text; else the text's first words, as before."""
    return (_from_report(email) or _from_text(email)
            or " ".join((email.text or email.subject or "bounced").split())[:500])
