"""Taking a provider's webhook delivery: find the channel (cached), let its adapter verify the
delivery and name its dedupe key(s), and hand it to the group-committing batcher, which stores it
with its job (`channel.ingest_event`, or Lead Ads' `channel.fetch_lead`) before the provider gets its
2xx. Everything slow (parsing the whole mail, threading, contacts) happens in that job.

`ChannelIntake` is the part every webhook channel shares (cache, batcher, storing); `EmailIntake`
and `MetaIntake` say which channels they serve and how a delivery is verified and cut up. A Meta
delivery may carry many items: each is stored as its own event under its own key."""

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import messenger, meta, whatsapp
from mancrel.channel.exceptions import ChannelNotFound, DeliveryNotStored, ReplayedToken
from mancrel.channel.models import Channel, ChannelKind
from mancrel.channel.providers import WEBHOOK_ADAPTERS
from mancrel.channel.repository import ChannelRepository, InboundEventRepository
from mancrel.core.cached_lookup import DEFAULT_TTL_SECONDS, CachedLookup
from mancrel.core.db import utcnow
from mancrel.core.security import decrypt_secret
from mancrel.worker.group_commit import Connect, GroupCommitBatcher
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import write_jobs


@dataclass(frozen=True, slots=True)
class WebhookChannel:
    """What a delivery needs of its channel."""

    id: uuid.UUID
    provider: str
    settings: dict[str, Any]
    secrets: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Delivery:
    id: uuid.UUID  # the event's id, if it turns out to be new
    channel_id: uuid.UUID
    dedupe_key: str
    replay_token: str | None
    provider: str
    content_type: str
    body: bytes
    received_at: datetime
    job: str = meta.INGEST_JOB  # the task that reads the stored event (its only argument: event_id)


class Outcome(StrEnum):
    stored = "stored"
    duplicate = "duplicate"        # this message was already stored: acknowledged, not processed again
    replayed = "replayed"          # the signature's token was used for another message
    channel_gone = "channel_gone"  # the channel was deleted since it was cached


class EventBatcher(GroupCommitBatcher[Delivery, Outcome]):
    def not_stored(self) -> Exception:
        return DeliveryNotStored()

    async def write(self, session: AsyncSession,
                    deliveries: list[Delivery]) -> tuple[dict[uuid.UUID, Outcome], list[OutboxMessage]]:
        events = InboundEventRepository(session)
        new_ids = await events.insert_batch(deliveries)
        new = [d for d in deliveries if d.id in new_ids]
        # The job's id is the event's: an ingest batch that stores this delivery revokes its job by it.
        jobs = await write_jobs(session, [(d.job, {"event_id": d.id}) for d in new], ids=[d.id for d in new])
        not_new = [d for d in deliveries if d.id not in new_ids]
        stored = await events.stored_keys({(d.channel_id, d.dedupe_key) for d in not_new})
        live = await ChannelRepository(session).existing_ids({d.channel_id for d in not_new}) if not_new else set()
        outcomes = {d.id: Outcome.stored for d in deliveries if d.id in new_ids}
        for d in not_new:
            outcomes[d.id] = (Outcome.duplicate if (d.channel_id, d.dedupe_key) in stored else
                              Outcome.replayed if d.channel_id in live else Outcome.channel_gone)
        return outcomes, jobs


class ChannelIntake:
    """The API process's intake for some kinds of channel: cached channels and the batcher, on
    connections from `connect` (the process's engine; the test's connection in tests)."""

    def __init__(self, connect: Connect, *, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self._connect = connect
        self.channels: CachedLookup[WebhookChannel] = CachedLookup(self._load, ttl=ttl)
        self.batcher = EventBatcher(connect)

    def provider_of(self, channel: Channel) -> str | None:
        """The adapter serving this channel's webhook deliveries here; None: not served here."""
        raise NotImplementedError

    async def channel(self, raw_id: str) -> WebhookChannel:
        """The enabled channel the path names, if this intake serves it; 404 otherwise."""
        channel = await self.channels.named(raw_id)
        if channel is None:
            raise ChannelNotFound()
        return channel

    async def _load(self, channel_id: uuid.UUID) -> WebhookChannel | None:
        async with self._connect() as connection, AsyncSession(bind=connection) as session:
            channel = await ChannelRepository(session).get(channel_id)
            provider = self.provider_of(channel) if channel is not None and channel.enabled else None
            if channel is None or provider is None:
                return None
            secrets = json.loads(decrypt_secret(channel.secrets_encrypted)) if channel.secrets_encrypted else {}
            return WebhookChannel(id=channel.id, provider=provider, settings=dict(channel.settings), secrets=secrets)

    def _delivery(self, channel: WebhookChannel, key: str, body: bytes, content_type: str, *,
                  replay_token: str | None = None, job: str = meta.INGEST_JOB) -> Delivery:
        return Delivery(id=uuid.uuid4(), channel_id=channel.id, dedupe_key=key, replay_token=replay_token,
                        provider=channel.provider, content_type=content_type[:200], body=body,
                        received_at=utcnow(), job=job)

    async def store(self, delivery: Delivery) -> Outcome:
        outcome = await self.batcher.store(delivery)
        if outcome is Outcome.replayed:
            raise ReplayedToken("This signature token was already used for another message.")
        if outcome is Outcome.channel_gone:
            self.channels.forget(delivery.channel_id)
            raise ChannelNotFound()
        return outcome


class EmailIntake(ChannelIntake):
    """Email providers' webhooks (Mailgun, Postmark, SendGrid)."""

    def provider_of(self, channel: Channel) -> str | None:
        provider = (channel.settings or {}).get("inbound")
        return provider if channel.kind == ChannelKind.email and provider in WEBHOOK_ADAPTERS else None

    def delivery(self, channel: WebhookChannel, headers: Mapping[str, str], body: bytes) -> Delivery:
        """A verified delivery, described for storage (WebhookRefused / UnparseablePayload otherwise)."""
        content_type = headers.get("content-type", "")
        accepted = WEBHOOK_ADAPTERS[channel.provider].accept(
            headers, body, content_type, secrets=channel.secrets, settings=channel.settings, now=time.time())
        return self._delivery(channel, accepted.dedupe_key, body, content_type, replay_token=accepted.replay_token)


# Which items each Meta channel takes from a delivery; the rest (another product's events on the
# same app subscription) are acknowledged and not stored.
META_ITEMS = {ChannelKind.whatsapp: whatsapp.items, ChannelKind.messenger: messenger.items,
              ChannelKind.lead_ads: meta.leadgen_items}


class MetaIntake(ChannelIntake):
    """`/webhook/meta/{channel_id}`: WhatsApp, Messenger and Lead Ads channels."""

    def provider_of(self, channel: Channel) -> str | None:
        return channel.kind if channel.kind in META_ITEMS else None

    def deliveries(self, channel: WebhookChannel, headers: Mapping[str, str], body: bytes) -> list[Delivery]:
        """The delivery's items, signature checked over the raw bytes first (WebhookRefused otherwise)."""
        meta.verify_signature(headers, body, channel.secrets.get("app_secret"))
        items = META_ITEMS[ChannelKind(channel.provider)](meta.payload(body))
        return [self._delivery(channel, item.dedupe_key, item.encoded(), "application/json", job=item.job)
                for item in items]
