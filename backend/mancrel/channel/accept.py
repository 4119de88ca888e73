"""What every webhook adapter answers for a delivery it accepts, and the checks they share."""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from mancrel.channel.exceptions import WebhookRefused


@dataclass(frozen=True, slots=True)
class Accepted:
    dedupe_key: str             # the RFC Message-ID (bare), else "sha256:" of the body
    replay_token: str | None    # a signature's one-time token (Mailgun), stored unique per channel


def dedupe_key(message_id: str | None, body: bytes) -> str:
    if message_id:
        return message_id[:998]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def check_basic_auth(headers: Mapping[str, str], *, user: str | None, password: str | None) -> None:
    """HTTP basic auth as the provider sends it from `https://user:pass@host/...` (Postmark, SendGrid).
    Both parts compared in constant time, and both always compared, so timing tells nothing."""
    if not user or not password:
        raise WebhookRefused("The channel has no basic auth user and password set.")
    scheme, _, encoded = (headers.get("authorization") or "").partition(" ")
    try:
        given = base64.b64decode(encoded.strip(), validate=True) if scheme.lower() == "basic" else b""
    except (binascii.Error, ValueError):
        given = b""
    given_user, _, given_password = given.partition(b":")
    user_ok = hmac.compare_digest(given_user, user.encode())
    password_ok = hmac.compare_digest(given_password, password.encode())
    if not (user_ok and password_ok):
        raise WebhookRefused("Wrong or missing basic auth credentials.")
