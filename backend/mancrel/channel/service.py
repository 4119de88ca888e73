"""Channel accounts: an admin's use cases, and the decrypted secrets adapters need.

Secrets live as ONE Fernet ciphertext of a JSON object (`secrets_encrypted`); the API only ever
says which names are set. Audit entries name rotated secrets, never their values.
"""

import functools
import json
import uuid
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.channel.exceptions import ChannelNameTaken, ChannelNotFound, InvalidChannelSettings
from mancrel.channel.models import Channel
from mancrel.channel.repository import ChannelRepository
from mancrel.channel.schemas import (
    META_KINDS,
    REQUIRED_SECRETS,
    SETTINGS_BY_KIND,
    WEBHOOK_INBOUND,
    ChannelCreate,
    ChannelRead,
    ChannelUpdate,
)
from mancrel.core.cached_lookup import forget_everywhere
from mancrel.core.db import after_commit
from mancrel.core.security import decrypt_secret, encrypt_secret
from mancrel.user import service as user_service


def secrets_of(channel: Channel) -> dict[str, str]:
    if not channel.secrets_encrypted:
        return {}
    return json.loads(decrypt_secret(channel.secrets_encrypted))


def webhook_path(channel: Channel) -> str | None:
    if channel.kind in META_KINDS:  # one callback per channel: verification and deliveries
        return f"/webhook/meta/{channel.id}"
    inbound = (channel.settings or {}).get("inbound")
    return f"/webhook/{channel.kind}/{channel.id}" if inbound in WEBHOOK_INBOUND else None


def to_read(channel: Channel) -> ChannelRead:
    return ChannelRead(id=channel.id, kind=channel.kind, name=channel.name, enabled=channel.enabled,
                       settings=channel.settings or {}, secrets_set=sorted(secrets_of(channel)),
                       default_owner_id=channel.default_owner_id, webhook_path=webhook_path(channel),
                       created_at=channel.created_at, updated_at=channel.updated_at)


def _invalid(exc: ValidationError, prefix: str) -> InvalidChannelSettings:
    errors = [{"field": ".".join([prefix, *(str(p) for p in e["loc"])]), "in": "body", "message": e["msg"]}
              for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return InvalidChannelSettings(detail, errors=errors)


def _field_error(field: str, message: str) -> InvalidChannelSettings:
    return InvalidChannelSettings(f"{field}: {message}", errors=[{"field": field, "in": "body", "message": message}])


def _checked(kind: str, settings: dict[str, Any], secrets: dict[str, Any]) -> tuple[dict, dict]:
    """The kind's settings and secrets, validated and normalised; 422 problem+json otherwise."""
    if kind not in SETTINGS_BY_KIND:
        raise _field_error("kind", f"{kind} channels are not supported yet (supported: "
                                   f"{', '.join(sorted(SETTINGS_BY_KIND))})")
    settings_model, secrets_model = SETTINGS_BY_KIND[kind]
    try:
        clean_settings: BaseModel = settings_model.model_validate(settings)
    except ValidationError as exc:
        raise _invalid(exc, "settings") from exc
    try:
        clean_secrets = secrets_model.model_validate(secrets).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise _invalid(exc, "secrets") from exc
    dumped = clean_settings.model_dump(mode="json", exclude_none=True)
    needed = REQUIRED_SECRETS.get(dumped.get("inbound", ""))
    if needed and needed not in clean_secrets:
        raise _field_error(f"secrets.{needed}", f"required for inbound {dumped['inbound']}")
    return dumped, clean_secrets


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch (RFC 7396): objects merge key by key, null removes a key."""
    merged = dict(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


async def _check_owner(session: AsyncSession, owner_id: uuid.UUID | None) -> None:
    if owner_id is not None and await user_service.get(session, owner_id) is None:
        raise _field_error("default_owner_id", "no such user")


async def get_existing(session: AsyncSession, channel_id: uuid.UUID) -> Channel:
    channel = await ChannelRepository(session).get(channel_id)
    if channel is None:
        raise ChannelNotFound()
    return channel


async def list_page(session: AsyncSession, *, limit: int, cursor: str | None) -> list[Channel]:
    return await ChannelRepository(session).list_page(limit=limit, cursor=cursor)


async def create(session: AsyncSession, *, data: ChannelCreate, actor: Any) -> Channel:
    settings, secrets = _checked(data.kind, data.settings, data.secrets)
    await _check_owner(session, data.default_owner_id)
    if await ChannelRepository(session).get_by_name(data.name):
        raise ChannelNameTaken(f"There is already a channel named {data.name!r}.")
    channel = Channel(id=uuid.uuid4(), kind=data.kind, name=data.name, enabled=data.enabled, settings=settings,
                      secrets_encrypted=encrypt_secret(json.dumps(secrets)) if secrets else None,
                      default_owner_id=data.default_owner_id)
    session.add(channel)
    await session.flush()
    after = audit_service.snapshot(channel) | {"secrets_set": sorted(secrets)}
    await audit_service.record(session, actor=actor, action="channel.created", entity_type="channel",
                               entity_id=channel.id, after=after)
    return channel


async def update(session: AsyncSession, *, channel: Channel, data: ChannelUpdate, actor: Any) -> Channel:
    before = audit_service.snapshot(channel)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") and changes["name"] != channel.name and \
            await ChannelRepository(session).get_by_name(changes["name"]):
        raise ChannelNameTaken(f"There is already a channel named {changes['name']!r}.")
    secret_changes = changes.pop("secrets", None) or {}
    settings, secrets = _checked(channel.kind, _merge(channel.settings or {}, changes.pop("settings", None) or {}),
                                 _merge(secrets_of(channel), secret_changes))
    if "default_owner_id" in changes:
        await _check_owner(session, changes["default_owner_id"])
    channel.settings = settings
    channel.secrets_encrypted = encrypt_secret(json.dumps(secrets)) if secrets else None
    for name in ("name", "enabled"):
        if changes.get(name) is not None:
            setattr(channel, name, changes[name])
    if "default_owner_id" in changes:
        channel.default_owner_id = changes["default_owner_id"]
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(channel))
    if secret_changes:  # say which secrets changed, never what they are
        new["secrets_rotated"] = sorted(secret_changes)
    await audit_service.record(session, actor=actor, action="channel.updated", entity_type="channel",
                               entity_id=channel.id, before=old, after=new)
    after_commit(session, functools.partial(_forget_cached, channel.id))
    return channel


async def delete(session: AsyncSession, *, channel: Channel, actor: Any) -> None:
    before = audit_service.snapshot(channel)
    await session.delete(channel)
    await session.flush()
    await audit_service.record(session, actor=actor, action="channel.deleted", entity_type="channel",
                               entity_id=channel.id, before=before)
    after_commit(session, functools.partial(_forget_cached, channel.id))


async def _forget_cached(channel_id: uuid.UUID) -> None:
    # This process's webhook intake sees the change at once; other API processes within the TTL.
    forget_everywhere(channel_id)
