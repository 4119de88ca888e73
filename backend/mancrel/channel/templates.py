"""WhatsApp message templates: the ones the channel's WhatsApp Business Account (WABA) approved,
the only messages WhatsApp lets a shop send once the 24-hour customer-service window has closed.

The list is read from the Graph API (`GET /{waba_id}/message_templates`, every page) and kept in
Valkey for a few minutes: the composer asks for it whenever a closed conversation opens and a sent
template is checked against it, yet a template Meta approves meanwhile shows up soon without anyone's
help (an admin may refresh at once). Only templates whose every parameter is in the body are offered:
a media header or a button with its own variable needs input the composer has no field for.
"""

import json
import logging
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import graph
from mancrel.channel.exceptions import InvalidTemplateReply, TemplatesNotConfigured, TemplatesUnavailable
from mancrel.channel.models import Channel, ChannelKind
from mancrel.channel.repository import ChannelRepository
from mancrel.channel.service import secrets_of
from mancrel.core.db import utcnow
from mancrel.core.redis import get_redis

logger = logging.getLogger("mancrel.channel.templates")

CACHE_SECONDS = 300
FIELDS = "name,language,status,category,components"
PAGE_SIZE = 100
MAX_PAGES = 50  # far beyond Meta's templates per WABA: a `paging.next` that loops ends here
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_NO_INPUT_BUTTONS = {"QUICK_REPLY", "PHONE_NUMBER", "URL"}  # a URL button only without a {{1}} in it
# Meta refuses a body parameter with a line break, a tab or more than four spaces in a row (error 132018).
_UNSENDABLE = re.compile(r"[\n\r\t]| {5,}")


@dataclass(frozen=True)
class Template:
    name: str
    language: str
    category: str
    body: str  # with its {{1}}-style placeholders
    parameter_count: int

    def filled(self, parameters: list[str]) -> str:
        """The body as the customer will read it."""
        return _PLACEHOLDER.sub(lambda m: parameters[int(m.group(1)) - 1], self.body)


@dataclass(frozen=True)
class TemplateList:
    items: list[Template]
    fetched_at: datetime


def _positional_count(text: str) -> int | None:
    """n for a text using {{1}}..{{n}}; None when it names its parameters (Meta's NAMED format) or skips one."""
    found = _PLACEHOLDER.findall(text)
    if not all(p.isdigit() for p in found):
        return None
    numbers = {int(p) for p in found}
    return len(numbers) if numbers == set(range(1, len(numbers) + 1)) else None


def _needs_only_body(components: list[dict[str, Any]]) -> bool:
    for component in components:
        kind = str(component.get("type") or "").upper()
        if kind == "HEADER" and (component.get("format", "TEXT") != "TEXT" or _PLACEHOLDER.search(
                str(component.get("text") or ""))):
            return False
        if kind == "BUTTONS" and any(str(b.get("type") or "").upper() not in _NO_INPUT_BUTTONS
                                     or _PLACEHOLDER.search(str(b.get("url") or ""))
                                     for b in component.get("buttons") or [] if isinstance(b, dict)):
            return False
        if kind not in ("HEADER", "BODY", "FOOTER", "BUTTONS"):
            return False  # carousels, limited-time offers: parts of their own to fill
    return True


def offered(raw: dict[str, Any]) -> Template | None:
    """One entry of Meta's list as we offer it; None unless approved and sendable with body parameters alone."""
    components = [c for c in raw.get("components") or [] if isinstance(c, dict)]
    body = next((str(c.get("text") or "") for c in components if str(c.get("type")).upper() == "BODY"), None)
    if raw.get("status") != "APPROVED" or not raw.get("name") or not raw.get("language") or not body:
        return None
    count = _positional_count(body)
    if count is None or not _needs_only_body(components):
        return None
    return Template(name=str(raw["name"]), language=str(raw["language"]), category=str(raw.get("category") or ""),
                    body=body, parameter_count=count)


def _same_origin(url: str, base: str) -> bool:
    """Our bearer token follows `paging.next` only to the Graph API host the admin configured."""
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


async def _fetch(channel: Channel, waba_id: str) -> list[Template]:
    token = secrets_of(channel).get("access_token") or ""
    url: str = f"{graph.base_url(channel.settings).rstrip('/')}/{waba_id}/message_templates"
    params: dict | None = {"fields": FIELDS, "limit": PAGE_SIZE}
    found: list[Template] = []
    for _ in range(MAX_PAGES):
        answer = await graph.call_url("GET", url, token=token, params=params)
        found += [t for t in (offered(r) for r in answer.get("data") or [] if isinstance(r, dict)) if t]
        following = (answer.get("paging") or {}).get("next")
        if not following:
            break
        if not _same_origin(str(following), graph.base_url(channel.settings)):
            raise graph.GraphError("Graph API paging.next points at another host; not followed")
        url, params = str(following), None  # the next URL carries the fields, limit and cursor itself
    return sorted(found, key=lambda t: (t.name, t.language))


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
    return f"channel:wa-templates:{channel.id}:{waba_id}"  # a changed WABA id never reads the old list


async def _cached(key: str) -> str | None:
    """The kept list, or None; with Valkey unreachable the list is read from Meta (the cache only saves calls)."""
    try:
        return await get_redis().get(key)
    except RedisError as exc:
        logger.warning("template cache unreachable, reading Meta directly: %s", exc)
        return None


async def _keep(key: str, listed: TemplateList) -> None:
    try:
        await get_redis().set(key, json.dumps({"items": [asdict(t) for t in listed.items],
                                               "fetched_at": listed.fetched_at.isoformat()}), ex=CACHE_SECONDS)
    except RedisError as exc:
        logger.warning("template cache unreachable, list not kept: %s", exc)


async def list_templates(session: AsyncSession, channel: Channel, *, refresh: bool = False) -> TemplateList:
    """The channel's approved templates, from Valkey when fetched in the last few minutes."""
    waba_id = _waba_id(channel)
    cached = None if refresh else await _cached(_key(channel, waba_id))
    if cached:
        stored = json.loads(cached)
        return TemplateList([Template(**t) for t in stored["items"]], datetime.fromisoformat(stored["fetched_at"]))
    health = ChannelRepository(session)
    try:
        items = await _fetch(channel, waba_id)
    except graph.GraphError as exc:
        # Kept on the channel's health (the problem below commits it): the admin sees why.
        await health.record_health(channel.id, error=f"message templates: {exc}",
                                   token_error=str(exc) if exc.token_rejected else None)
        hint = ("update secrets.access_token" if exc.token_rejected
                else "check settings.business_account_id and the token's whatsapp_business_management permission")
        raise TemplatesUnavailable(f"Meta refused the template list ({exc}): {hint}.") from exc
    await health.record_health(channel.id, token_ok=True)
    listed = TemplateList(items, utcnow())
    await _keep(_key(channel, waba_id), listed)
    return listed


def _refusal(detail: str, field: str) -> InvalidTemplateReply:
    return InvalidTemplateReply(detail, errors=[{"field": field, "in": "body", "message": detail}])


def check_parameters(template: Template, parameters: list[str]) -> None:
    if len(parameters) != template.parameter_count:
        raise _refusal(f"The template {template.name} ({template.language}) takes {template.parameter_count} "
                       f"parameter(s); {len(parameters)} given.", "template.parameters")
    for number, value in enumerate(parameters, start=1):
        if not value.strip():
            raise _refusal(f"Parameter {{{{{number}}}}} is empty.", f"template.parameters.{number - 1}")
        if _UNSENDABLE.search(value):
            raise _refusal(f"Parameter {{{{{number}}}}} has a line break, a tab or more than four spaces in a row, "
                           "which WhatsApp refuses in template parameters.", f"template.parameters.{number - 1}")


async def usable(session: AsyncSession, channel: Channel, *, name: str, language: str,
                 parameters: list[str]) -> Template:
    """The approved template named, with `parameters` fitting it; InvalidTemplateReply (422) otherwise.
    A name not in the cached list is looked up again at Meta once: it may have been approved a minute ago."""
    template = None
    for refresh in (False, True):
        listed = await list_templates(session, channel, refresh=refresh)
        template = next((t for t in listed.items if (t.name, t.language) == (name, language)), None)
        if template is not None:
            break
    if template is None:
        raise _refusal(f"No approved template {name!r} in language {language!r} on this WhatsApp Business Account "
                       "(GET /api/v1/channels/{id}/templates lists them).", "template.name")
    check_parameters(template, parameters)
    return template
