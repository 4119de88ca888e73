"""Catalogue sources: admin use cases, and the secrets a delivery may be signed with."""

import functools
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.catalog import poller, source_cache
from mancrel.catalog.exceptions import InvalidSourceSettings, SourceNameTaken, SourceNotFound
from mancrel.catalog.models import CatalogSource, SourceKind
from mancrel.catalog.repository import SourceRepository
from mancrel.catalog.schemas import SourceCreate, SourceUpdate
from mancrel.catalog.signatures import SignatureError, standard_key
from mancrel.core import outbound
from mancrel.core.db import after_commit, utcnow
from mancrel.core.security import decrypt_secret, encrypt_secret

# After a new secret is set the old one still verifies for this long, so deliveries
# already signed or in a sender's retry queue are not refused (Shopify signs with the
# old secret for up to an hour; slower senders get the rest of the day).
ROTATION_GRACE = timedelta(hours=24)
POLLABLE = set(poller.PAGERS)
STANDARD_SIGNED = {SourceKind.standard, SourceKind.feed}


def _field_error(field: str, message: str) -> InvalidSourceSettings:
    return InvalidSourceSettings(f"{field}: {message}", errors=[{"field": field, "in": "body", "message": message}])


def _check_secret(kind: str, secret: str) -> None:
    if kind in STANDARD_SIGNED:
        if not secret.startswith("whsec_"):
            raise _field_error("webhook_secret", "must be a Standard Webhooks secret starting with whsec_")
        try:
            if len(standard_key(secret)) < 16:
                raise _field_error("webhook_secret", "the key must be at least 16 bytes")
        except SignatureError as exc:
            raise _field_error("webhook_secret", "is not whsec_ followed by base64") from exc


def _check_poll(kind: str, poll_url: str | None, credentials: str | None, *, has_credentials: bool) -> None:
    """The poll settings a source would end up with: a URL the server may fetch, and
    credentials its kind can use (`has_credentials`: stored ones that stay)."""
    if poll_url:
        if kind not in POLLABLE:
            raise _field_error("poll_url", f"{kind} sources are not polled (only {', '.join(sorted(POLLABLE))})")
        try:
            outbound.check_url(poll_url)
        except outbound.UnsafeURL as exc:
            raise _field_error("poll_url", str(exc)) from exc
    if kind == SourceKind.woocommerce:
        _check_woocommerce_poll(poll_url, credentials, has_credentials=has_credentials)


def _check_woocommerce_poll(poll_url: str | None, credentials: str | None, *, has_credentials: bool) -> None:
    if credentials:
        try:
            poller.woocommerce_keys(credentials)
        except ValueError as exc:
            raise _field_error("poll_credentials", str(exc)) from exc
    if not poll_url:
        return
    if not (credentials or has_credentials):
        raise _field_error("poll_credentials", "WooCommerce lists products only to its consumer key and secret "
                                               "(ck_...:cs_...)")
    # The keys travel in a Basic auth header, readable on the way unless it is HTTPS. Plain
    # http is left to stand-in shops on this machine, which only tests and `make run` reach.
    parts = urlsplit(poll_url)
    if parts.scheme != "https" and not outbound.is_loopback_host(parts.hostname or ""):
        raise _field_error("poll_url", "must be an https URL: the consumer key and secret are sent to it")


async def get(session: AsyncSession, source_id: uuid.UUID) -> CatalogSource | None:
    return await SourceRepository(session).get(source_id)


async def get_existing(session: AsyncSession, source_id: uuid.UUID) -> CatalogSource:
    source = await get(session, source_id)
    if source is None:
        raise SourceNotFound()
    return source


async def create(session: AsyncSession, *, data: SourceCreate, actor) -> CatalogSource:
    poll_url = str(data.poll_url) if data.poll_url else None
    if data.webhook_secret:
        _check_secret(data.kind, data.webhook_secret)
    _check_poll(data.kind, poll_url, data.poll_credentials, has_credentials=False)
    if await SourceRepository(session).get_by_name(data.name):
        raise SourceNameTaken(f"There is already a source named {data.name!r}.")
    source = CatalogSource(
        id=uuid.uuid4(), name=data.name, kind=data.kind, enabled=data.enabled, currency=data.currency,
        webhook_secret_encrypted=encrypt_secret(data.webhook_secret) if data.webhook_secret else None,
        poll_url=poll_url, poll_interval_seconds=data.poll_interval_seconds,
        poll_credentials_encrypted=encrypt_secret(data.poll_credentials) if data.poll_credentials else None)
    session.add(source)
    await session.flush()
    await audit_service.record(session, actor=actor, action="catalog_source.created", entity_type="catalog_source",
                               entity_id=source.id, after=audit_service.snapshot(source))
    return source


async def update(session: AsyncSession, *, source: CatalogSource, data: SourceUpdate, actor) -> CatalogSource:
    before = audit_service.snapshot(source)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") and changes["name"] != source.name and \
            await SourceRepository(session).get_by_name(changes["name"]):
        raise SourceNameTaken(f"There is already a source named {changes['name']!r}.")
    if "poll_url" in changes:
        changes["poll_url"] = str(changes["poll_url"]) if changes["poll_url"] else None
    if "poll_url" in changes or "poll_credentials" in changes:
        _check_poll(source.kind, changes.get("poll_url", source.poll_url), changes.get("poll_credentials"),
                    has_credentials=source.poll_credentials_encrypted is not None
                    and "poll_credentials" not in changes)
    secret = changes.pop("webhook_secret", None)
    if secret:
        _check_secret(source.kind, secret)
        rotate_secret(source, secret, now=utcnow())
    credentials_changed = "poll_credentials" in changes
    if credentials_changed:
        credentials = changes.pop("poll_credentials")
        source.poll_credentials_encrypted = encrypt_secret(credentials) if credentials else None
    for name, value in changes.items():
        if value is not None or name == "poll_url":
            setattr(source, name, value)
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(source))
    if secret:  # say that the secret rotated without ever copying it
        new["webhook_secret"] = "rotated"
    if credentials_changed:
        new["poll_credentials"] = "changed" if source.poll_credentials_encrypted else "removed"
    await audit_service.record(session, actor=actor, action="catalog_source.updated", entity_type="catalog_source",
                               entity_id=source.id, before=old, after=new)
    after_commit(session, functools.partial(_forget_cached, source.id))
    return source


async def _forget_cached(source_id: uuid.UUID) -> None:
    # This process's webhook intake sees the change at once; others within the cache's TTL.
    source_cache.forget_everywhere(source_id)


def rotate_secret(source: CatalogSource, secret: str, *, now: datetime) -> None:
    if source.webhook_secret_encrypted:
        source.previous_secret_encrypted = source.webhook_secret_encrypted
        source.previous_secret_expires_at = now + ROTATION_GRACE
    source.webhook_secret_encrypted = encrypt_secret(secret)


def valid_secrets(source: CatalogSource, *, now: datetime) -> list[str]:
    """The current secret, and the previous one while its grace period lasts."""
    secrets = []
    if source.webhook_secret_encrypted:
        secrets.append(decrypt_secret(source.webhook_secret_encrypted))
    if source.previous_secret_encrypted and source.previous_secret_expires_at and \
            source.previous_secret_expires_at > now:
        secrets.append(decrypt_secret(source.previous_secret_encrypted))
    return secrets


def poll_credentials(source: CatalogSource) -> str | None:
    return decrypt_secret(source.poll_credentials_encrypted) if source.poll_credentials_encrypted else None


async def list_page(session: AsyncSession, *, limit: int, cursor: str | None) -> list[CatalogSource]:
    return await SourceRepository(session).list_page(limit=limit, cursor=cursor)
