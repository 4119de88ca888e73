"""WhatsApp message templates: the ones the channel's WhatsApp Business Account (WABA) approved,
the only messages WhatsApp lets a shop send once the 24-hour customer-service window has closed.

The list is read from the Graph API (`GET /{waba_id}/message_templates`, every page) and kept in
Valkey for a few minutes: the composer asks for it whenever a closed conversation opens and a sent
template is checked against it, yet a template Meta approves meanwhile shows up soon without anyone's
help (an admin may refresh at once). The cache keeps Meta's entries for the templates we offer
(template_shape.py says which); template_fill.py checks a rep's values against one and fills it in.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import graph
from mancrel.channel.exceptions import (
    InvalidTemplateReply,
    TemplatesNotConfigured,
    TemplatesUnavailable,
    TemplatesUnreachable,
)
from mancrel.channel.models import Channel, ChannelKind
from mancrel.channel.repository import ChannelRepository
from mancrel.channel.schemas import TemplateReply
from mancrel.channel.service import secrets_of
from mancrel.channel.template_fill import Filled, fill
from mancrel.channel.template_shape import Template, offered
from mancrel.core.db import utcnow
from mancrel.core.redis import get_redis

logger = logging.getLogger("mancrel.channel.templates")

CACHE_SECONDS = 300
FIELDS = "name,language,status,category,parameter_format,components"
PAGE_SIZE = 100
MAX_PAGES = 50  # far beyond Meta's templates per WABA: a `paging.next` that loops ends here


@dataclass(frozen=True)
class TemplateList:
    items: list[Template]
    fetched_at: datetime


def _same_origin(url: str, base: str) -> bool:
    """Our bearer token follows `paging.next` only to the Graph API host the admin configured."""
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


async def _fetch(channel: Channel, waba_id: str) -> list[dict[str, Any]]:
    """Meta's entries for the templates we offer, as Meta gave them (what the cache keeps)."""
    token = secrets_of(channel).get("access_token") or ""
    url: str = f"{graph.base_url(channel.settings).rstrip('/')}/{waba_id}/message_templates"
    params: dict | None = {"fields": FIELDS, "limit": PAGE_SIZE}
    found: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        answer = await graph.call_url("GET", url, token=token, params=params)
        found += [r for r in answer.get("data") or [] if isinstance(r, dict) and offered(r) is not None]
        following = (answer.get("paging") or {}).get("next")
        if not following:
            break
        if not _same_origin(str(following), graph.base_url(channel.settings)):
            raise graph.GraphError("Graph API paging.next points at another host; not followed")
        url, params = str(following), None  # the next URL carries the fields, limit and cursor itself
    return found


def _waba_id(channel: Channel) -> str:
    if channel.kind != ChannelKind.whatsapp:
        raise TemplatesNotConfigured(f"Message templates are WhatsApp's; this is a {channel.kind} channel.")
    waba_id = (channel.settings or {}).get("business_account_id")
    if not waba_id:
        raise TemplatesNotConfigured(
            "This WhatsApp channel has no WhatsApp Business Account id: an admin sets settings.business_account_id "
            "(WhatsApp Manager > Account tools, or the WABA id in Meta's app dashboard) to list its templates.")
    return str(waba_id)


def _key(channel: Channel, waba_id: str) -> str:
    # A changed WABA id never reads the old list; v2: Meta's entries are kept (v1 kept body-only summaries).
    return f"channel:wa-templates:v2:{channel.id}:{waba_id}"


async def _cached(key: str) -> str | None:
    """The kept list, or None; with Valkey unreachable the list is read from Meta (the cache only saves calls)."""
    try:
        return await get_redis().get(key)
    except RedisError as exc:
        logger.warning("template cache unreachable, reading Meta directly: %s", exc)
        return None


def _listed(entries: list[dict[str, Any]], fetched_at: datetime) -> TemplateList:
    items = [t for t in (offered(e) for e in entries) if t is not None]
    return TemplateList(sorted(items, key=lambda t: (t.name, t.language)), fetched_at)


async def _keep(key: str, entries: list[dict[str, Any]], fetched_at: datetime) -> None:
    try:
        await get_redis().set(key, json.dumps({"entries": entries, "fetched_at": fetched_at.isoformat()}),
                              ex=CACHE_SECONDS)
    except RedisError as exc:
        logger.warning("template cache unreachable, list not kept: %s", exc)


async def list_templates(session: AsyncSession, channel: Channel, *, refresh: bool = False) -> TemplateList:
    """The channel's approved templates, from Valkey when fetched in the last few minutes."""
    waba_id = _waba_id(channel)
    cached = None if refresh else await _cached(_key(channel, waba_id))
    if cached:
        stored = json.loads(cached)
        return _listed(stored["entries"], datetime.fromisoformat(stored["fetched_at"]))
    health = ChannelRepository(session)
    try:
        entries = await _fetch(channel, waba_id)
    except graph.GraphError as exc:
        # Kept on the channel's health (the problem below commits it): the admin sees why.
        await health.record_health(channel.id, error=f"message templates: {exc}",
                                   token_error=str(exc) if exc.token_rejected else None)
        if exc.transient:
            raise TemplatesUnreachable(f"Meta could not be reached ({exc}); try again in a minute.") from exc
        hint = ("update secrets.access_token" if exc.token_rejected
                else "check settings.business_account_id and the token's whatsapp_business_management permission")
        raise TemplatesUnavailable(f"Meta refused the template list ({exc}): {hint}.") from exc
    await health.record_health(channel.id, token_ok=True)
    fetched_at = utcnow()
    await _keep(_key(channel, waba_id), entries, fetched_at)
    return _listed(entries, fetched_at)


async def usable(session: AsyncSession, channel: Channel, choice: TemplateReply) -> Filled:
    """The approved template named, filled with the rep's values; InvalidTemplateReply (422) when there is no
    such template or a value does not fit it. A name not in the cached list is looked up again at Meta once:
    it may have been approved a minute ago."""
    template = None
    for refresh in (False, True):
        listed = await list_templates(session, channel, refresh=refresh)
        template = next((t for t in listed.items if (t.name, t.language) == (choice.name, choice.language)), None)
        if template is not None:
            break
    if template is None:
        detail = (f"No approved template {choice.name!r} in language {choice.language!r} that we can send on this "
                  "WhatsApp Business Account (GET /api/v1/channels/{id}/templates lists them).")
        raise InvalidTemplateReply(detail, errors=[{"field": "template.name", "in": "body", "message": detail}])
    return fill(template, choice)
