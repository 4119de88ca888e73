"""HTML form bodies as webhook providers post them (Mailgun, SendGrid), read from the raw bytes
the signature was checked over: url-encoded, or multipart/form-data with files."""

import email
import email.policy
from urllib.parse import parse_qsl

from mancrel.inbox.inbound import InboundAttachment


class FormError(ValueError):
    pass


def parse_form(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, InboundAttachment]]:
    """(fields, files by field name)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))), {}
        except (UnicodeDecodeError, ValueError) as exc:
            raise FormError("the form is not valid url-encoded UTF-8") from exc
    if kind != "multipart/form-data" or "boundary=" not in content_type:
        raise FormError(f"expected a form body, got {kind or 'no content type'}")
    # multipart/form-data is MIME (RFC 7578): the standard parser reads it given its header.
    message = email.message_from_bytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body,
                                       policy=email.policy.HTTP)
    if not message.is_multipart() or message.defects:
        raise FormError("the multipart form could not be read")
    fields: dict[str, str] = {}
    files: dict[str, InboundAttachment] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = InboundAttachment(filename=filename, content_type=part.get_content_type(), content=payload)
        else:
            charset = part.get_content_charset() or "utf-8"
            fields[name] = payload.decode(charset, "replace")
    return fields, files
