"""Webhook signature checks over the raw request bytes, in constant time.

Standard Webhooks: `v1,<base64 HMAC-SHA256>` entries over "{id}.{timestamp}.{body}" with a
`whsec_` secret and a 5-minute timestamp tolerance. Shopify and WooCommerce: base64
HMAC-SHA256 of the body. Several secrets may be valid at once (during a rotation).
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping

TOLERANCE_SECONDS = 5 * 60


class SignatureError(Exception):
    """Why a delivery was refused; logged, never echoed in detail to the sender."""


def standard_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_` secret: base64 after the prefix, padding optional."""
    encoded = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("the source's secret is not a valid whsec_ secret") from exc


def standard_signature(secret: str, msg_id: str, timestamp: int | str, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(standard_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_standard(secrets: Iterable[str], headers: Mapping[str, str], body: bytes, *, now: float) -> None:
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise SignatureError("webhook-id, webhook-timestamp and webhook-signature are required")
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise SignatureError("webhook-timestamp is not unix seconds") from exc
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise SignatureError("webhook-timestamp is outside the 5-minute tolerance")
    offered = [entry.split(",", 1)[1].encode() for entry in signatures.split()
               if entry.startswith("v1,")]  # other versions are ignored, as the spec says
    for secret in secrets:
        expected = standard_signature(secret, msg_id, timestamp, body).split(",", 1)[1].encode()
        if any(hmac.compare_digest(expected, candidate) for candidate in offered):
            return
    raise SignatureError("no valid v1 signature")


def body_hmac_base64(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify_body_hmac(secrets: Iterable[str], signature: str | None, body: bytes) -> None:
    """Shopify (`X-Shopify-Hmac-Sha256`) and WooCommerce (`X-WC-Webhook-Signature`)."""
    if not signature:
        raise SignatureError("signature header is missing")
    offered = signature.strip().encode()
    for secret in secrets:
        if hmac.compare_digest(body_hmac_base64(secret, body).encode(), offered):
            return
    raise SignatureError("signature does not match")
