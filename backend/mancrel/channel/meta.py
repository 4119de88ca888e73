"""What Meta's webhooks share (WhatsApp, Messenger, Lead Ads): the subscription handshake, the
`X-Hub-Signature-256` check over the raw bytes, and cutting one delivery into its items.

Meta batches: one POST may carry several messages, statuses or leads, and redelivers a POST for
days. Each item is stored as its own event under its own key (wamid, mid, status id + status,
leadgen id), so a redelivery, or an item met again in another batch, is never a second record.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mancrel.channel.exceptions import UnparseablePayload, WebhookRefused
from mancrel.core.errors import Forbidden

INGEST_JOB = "channel.ingest_event"
LEAD_JOB = "channel.fetch_lead"  # channel/lead_ads.py
MAX_CHALLENGE = 200


class HandshakeRefused(Forbidden):
    title, slug = "Verification token does not match", "meta-verify-token-mismatch"


@dataclass(frozen=True, slots=True)
class Item:
    """One thing a delivery carries, as it is stored: its key, its own JSON and the job that reads it."""

    dedupe_key: str
    body: dict[str, Any]
    job: str = INGEST_JOB

    def encoded(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode()


def handshake(params: Mapping[str, str], verify_token: str | None) -> str:
    """The challenge to echo when Meta's `hub.verify_token` is ours; 403 otherwise."""
    given = params.get("hub.verify_token") or ""
    challenge = params.get("hub.challenge") or ""
    ok = bool(verify_token) and hmac.compare_digest(given.encode(), (verify_token or "").encode())
    if params.get("hub.mode") != "subscribe" or not ok or not challenge or len(challenge) > MAX_CHALLENGE:
        raise HandshakeRefused("The verify token does not match this channel's.")
    return challenge


def verify_signature(headers: Mapping[str, str], body: bytes, app_secret: str | None) -> None:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`, compared in constant time."""
    if not app_secret:
        raise WebhookRefused("The channel has no app secret set.")
    scheme, _, given = (headers.get("x-hub-signature-256") or "").strip().partition("=")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    matches = hmac.compare_digest(given.strip().lower().encode("utf-8", "replace"), expected.encode())
    if scheme.lower() != "sha256" or not matches:
        raise WebhookRefused("Missing or wrong X-Hub-Signature-256.")


def payload(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnparseablePayload("The body is not JSON.") from exc
    if not isinstance(parsed, dict) or not isinstance(parsed.get("entry", []), list):
        raise UnparseablePayload("The body is not a Meta webhook object (object, entry[]).")
    return parsed


def entries(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in parsed.get("entry") or [] if isinstance(e, dict)]


def changes(entry: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The `value` of each of the entry's changes of this field."""
    return [c["value"] for c in entry.get("changes") or []
            if isinstance(c, dict) and c.get("field", field) == field and isinstance(c.get("value"), dict)]


def leadgen_items(parsed: dict[str, Any]) -> list[Item]:
    """Lead Ads: the change's `value` as it came (leadgen_id, page_id, form_id, ad_id, created_time),
    keyed by leadgen id, for channel/lead_ads.py's fetch job."""
    found = []
    for entry in entries(parsed):
        for value in changes(entry, "leadgen"):
            leadgen_id = str(value.get("leadgen_id") or "")
            if leadgen_id:
                found.append(Item(f"leadgen:{leadgen_id}"[:998], value, LEAD_JOB))
    return found
