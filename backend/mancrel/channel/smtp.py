"""Sending a reply through the channel's SMTP server (aiosmtplib), in the steps that say when mail
could have been delivered.

Only the answer to DATA's final "." can deliver a mail: connecting, TLS, AUTH, MAIL FROM and RCPT TO
cannot. So the session is opened and the envelope accepted first; then `before_data` runs (the
email job records the attempt and commits it); then DATA. The outcome is one of:
- `Refused` before or at DATA with an SMTP reply: certainly not delivered (transient 4xx or not);
- `Uncertain`: the connection broke or timed out after the message was handed over, before the
  server answered: it may have been delivered, so it is never sent again automatically.
"""

import ssl
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

TIMEOUT_SECONDS = 30.0


class Refused(Exception):
    """The server refused (or could not be reached) before accepting the mail: not delivered."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.transient = transient


class Uncertain(Exception):
    """Handed over, but the server's verdict never arrived."""


def _angle(message_id: str) -> str:
    return f"<{message_id.strip('<>')}>"


def build(outbound, *, from_name: str = "") -> EmailMessage:
    """The MIME message of an inbox OutboundEmail, with its threading headers."""
    message = EmailMessage()
    message["From"] = f"{from_name} <{outbound.from_address}>" if from_name else outbound.from_address
    message["To"] = ", ".join(outbound.to)
    if outbound.cc:
        message["Cc"] = ", ".join(outbound.cc)
    message["Subject"] = outbound.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = _angle(outbound.rfc_message_id)
    if outbound.in_reply_to:
        message["In-Reply-To"] = _angle(outbound.in_reply_to)
    if outbound.references:
        message["References"] = " ".join(_angle(ref) for ref in outbound.references)
    message.set_content(outbound.text)
    return message


def _client(settings: dict, password: str | None) -> aiosmtplib.SMTP:
    smtp = settings["smtp"]
    security = smtp.get("security", "starttls")
    return aiosmtplib.SMTP(
        hostname=smtp["host"], port=int(smtp["port"]), username=smtp.get("username") or None,
        password=password if smtp.get("username") else None, timeout=TIMEOUT_SECONDS,
        use_tls=security == "tls", start_tls=security == "starttls",
        tls_context=ssl.create_default_context() if security != "none" else None)


def _refused(exc: Exception) -> Refused:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        return Refused(f"recipients refused: {exc}", transient=all(400 <= c < 500 for c in codes))
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return Refused(f"SMTP {exc.code}: {exc.message}", transient=400 <= exc.code < 500)
    # Connection refused, TLS trouble, timeouts before DATA: the server never had the mail.
    return Refused(f"SMTP server unreachable: {exc!r}", transient=True)


async def send(message: EmailMessage, *, settings: dict, password: str | None,
               before_data: Callable[[], Awaitable[None]]) -> str:
    """Deliver `message`; the server's acceptance answer. Raises Refused or Uncertain."""
    client = _client(settings, password)
    recipients = [a.addr_spec for h in ("To", "Cc") for a in (message[h].addresses if message[h] else ())]
    sender = message["From"].addresses[0].addr_spec
    try:
        await client.connect()
        await client.mail(sender)
        refused = []
        for recipient in recipients:
            try:
                await client.rcpt(recipient)
            except aiosmtplib.SMTPRecipientRefused as exc:
                refused.append(exc)
        if refused:
            raise aiosmtplib.SMTPRecipientsRefused(refused)
    except (aiosmtplib.SMTPException, OSError) as exc:
        client.close()
        raise _refused(exc) from exc
    try:
        await before_data()
        try:
            response = await client.data(message.as_bytes())
        except aiosmtplib.SMTPResponseException as exc:
            raise _refused(exc) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise Uncertain(f"the connection ended before the server answered: {exc!r}") from exc
    finally:
        client.close()
    return f"{response.code} {response.message}"
