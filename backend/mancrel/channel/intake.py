"""Taking an email provider's webhook delivery: find the channel (cached), let its adapter verify
the delivery and name its dedupe key, and hand it to the group-committing batcher, which stores it
with its `channel.ingest_event` job before the provider gets its 2xx. Everything slow (parsing the
whole mail, threading, contacts) happens in that job."""

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.exceptions import ChannelNotFound, DeliveryNotStored, ReplayedToken
from mancrel.channel.models import ChannelKind
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
        jobs = await write_jobs(session, [("channel.ingest_event", {"event_id": d.id})
                                          for d in deliveries if d.id in new_ids])
        not_new = [d for d in deliveries if d.id not in new_ids]
        stored = await events.stored_keys({(d.channel_id, d.dedupe_key) for d in not_new})
        live = await ChannelRepository(session).existing_ids({d.channel_id for d in not_new}) if not_new else set()
        outcomes = {d.id: Outcome.stored for d in deliveries if d.id in new_ids}
        for d in not_new:
            outcomes[d.id] = (Outcome.duplicate if (d.channel_id, d.dedupe_key) in stored else
                              Outcome.replayed if d.channel_id in live else Outcome.channel_gone)
        return outcomes, jobs


class EmailIntake:
    """The API process's intake: cached channels and the batcher, on connections from `connect`
    (the process's engine; the test's connection in tests)."""

    def __init__(self, connect: Connect, *, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self._connect = connect
        self.channels: CachedLookup[WebhookChannel] = CachedLookup(self._load, ttl=ttl)
        self.batcher = EventBatcher(connect)

    async def channel(self, raw_id: str) -> WebhookChannel:
        """The enabled, webhook-fed email channel the path names; 404 otherwise."""
        channel = await self.channels.named(raw_id)
        if channel is None:
            raise ChannelNotFound()
        return channel

    async def _load(self, channel_id: uuid.UUID) -> WebhookChannel | None:
        async with self._connect() as connection, AsyncSession(bind=connection) as session:
            channel = await ChannelRepository(session).get(channel_id)
            provider = (channel.settings or {}).get("inbound") if channel is not None else None
            if channel is None or not channel.enabled or channel.kind != ChannelKind.email or \
                    provider not in WEBHOOK_ADAPTERS:
                return None
            secrets = json.loads(decrypt_secret(channel.secrets_encrypted)) if channel.secrets_encrypted else {}
            return WebhookChannel(id=channel.id, provider=provider, settings=dict(channel.settings), secrets=secrets)

    def delivery(self, channel: WebhookChannel, headers: Mapping[str, str], body: bytes) -> Delivery:
        """A verified delivery, described for storage (WebhookRefused / UnparseablePayload otherwise)."""
        content_type = headers.get("content-type", "")
        accepted = WEBHOOK_ADAPTERS[channel.provider].accept(
            headers, body, content_type, secrets=channel.secrets, settings=channel.settings, now=time.time())
        return Delivery(id=uuid.uuid4(), channel_id=channel.id, dedupe_key=accepted.dedupe_key,
                        replay_token=accepted.replay_token, provider=channel.provider,
                        content_type=content_type[:200], body=body, received_at=utcnow())

    async def store(self, delivery: Delivery) -> Outcome:
        outcome = await self.batcher.store(delivery)
        if outcome is Outcome.replayed:
            raise ReplayedToken("This signature token was already used for another message.")
        if outcome is Outcome.channel_gone:
            self.channels.forget(delivery.channel_id)
            raise ChannelNotFound()
        return outcome
