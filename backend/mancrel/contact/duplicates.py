"""Likely duplicate pairs: live contacts sharing an email, a phone (WhatsApp ids included) or a name.

Three sources of groups, each walked in (reason, key) order and merged into one keyset stream:

- email / phone: the trigger-kept identity keys (emails lower-cased, phones in E.164);
- phone, from WhatsApp: a WhatsApp id is the number's digits, so "+<id>" joins the holders of
  that phone and other contacts with the same WhatsApp id (the same person writing by mail and
  by WhatsApp);
- name: the same full name, compared without case, accents or extra spaces (the trigger-kept
  "name" identity keys, folded by the database's `contact_name_key`). A name alone is weak
  evidence, so the rule is: when at most `FEW_SHARING_A_NAME` live contacts (whoever owns them)
  carry the name, they are one group: few namesakes make a wrong suggestion cheap and a missed
  one (Laura writing from a second address, or on WhatsApp) likely. When more carry it, only
  those at the same company are grouped: six unrelated "Hannah Lange"s suggest nothing, two at
  one company are one pair. Counting over every live contact (not only those the actor sees)
  keeps a rep who sees two of six namesakes from being told they are one person; all it can
  reveal is that no suggestion is made.

Each group is shown as pairs of its oldest contact with each other one, and each pair lists every
signal the two share (`reasons`). Name pairs already sharing an email or phone are left to that
group, so one pair is not suggested twice.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.contact.repository import ContactRepository
from mancrel.contact.schemas import ContactRead, DuplicatePair
from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor

FEW_SHARING_A_NAME = 3
Group = tuple[str, str, list[uuid.UUID]]  # (reason, cursor key, contact ids)


def _after(reason: str, after_key: tuple[str, str] | None) -> str | bool | None:
    """Where `reason`'s groups continue: None from the start, a key to continue after, or False
    when the cursor is already past them all."""
    if after_key is None or after_key[0] < reason:
        return None
    return after_key[1] if after_key[0] == reason else False


def _merged(sources: list[list[Group]], limit: int) -> list[Group]:
    """The sources' groups in (reason, key) order, same keys joined, cut where a truncated source
    stops (beyond its last key it may have groups we have not read)."""
    cutoff = min(((g[0], g[1]) for groups in sources if len(groups) > limit for g in groups[-1:]), default=None)
    joined: dict[tuple[str, str], list[uuid.UUID]] = {}
    for groups in sources:
        for reason, key, ids in groups:
            if cutoff is None or (reason, key) <= cutoff:
                joined.setdefault((reason, key), [])
                joined[(reason, key)] += [i for i in ids if i not in joined[(reason, key)]]
    return [(reason, key, ids) for (reason, key), ids in sorted(joined.items())][:limit + 1]


def _phones(contact: Contact) -> set[str]:
    numbers = set(contact.phones or [])
    if contact.whatsapp_id:
        numbers.add("+" + contact.whatsapp_id.lstrip("+"))
    return numbers


def shared_signals(a: Contact, b: Contact, name_keys: dict[uuid.UUID, str]) -> list[str]:
    """Every reason to think `a` and `b` are one person, strongest first (`name_keys`: the
    contacts' folded names, `ContactRepository.name_keys`)."""
    reasons = []
    if {e.lower() for e in a.emails or []} & {e.lower() for e in b.emails or []}:
        reasons.append("email")
    if _phones(a) & _phones(b):
        reasons.append("phone")
    if a.id in name_keys and name_keys.get(a.id) == name_keys.get(b.id):
        reasons.append("name")
    if a.company_id is not None and a.company_id == b.company_id:
        reasons.append("company")
    return reasons


def _shown_value(reason: str, key: str, first: Contact) -> str:
    if reason == "name":
        return " ".join(f"{first.first_name} {first.last_name}".split())
    return key


async def list_pairs(session: AsyncSession, *, actor: Actor, limit: int,
                     cursor: str | None) -> tuple[list[DuplicatePair], str | None]:
    """One group per shared email/phone/name, shown as pairs of the oldest contact with each other one."""
    after_key = tuple(decode_cursor(cursor, (str, str))) if cursor else None
    repo = ContactRepository(session)
    sources = [
        await repo.duplicate_groups(actor, limit=limit, after_key=after_key),  # type: ignore[arg-type]
        await repo.whatsapp_duplicate_groups(actor, limit=limit, after=_after("phone", after_key)),
        *await repo.name_duplicate_groups(actor, limit=limit, after=_after("name", after_key),
                                          few=FEW_SHARING_A_NAME),
    ]
    groups = _merged(sources, limit)
    page = groups[:limit]
    ids_shown = [i for _, _, ids in page for i in ids]
    contacts, name_keys = await repo.get_many(ids_shown), await repo.name_keys(ids_shown)
    pairs = []
    for reason, key, ids in page:
        members = sorted((contacts[i] for i in ids), key=lambda c: (c.created_at, c.id))
        first = members[0]
        for other in members[1:]:
            reasons = shared_signals(first, other, name_keys)
            if reason == "name" and ("email" in reasons or "phone" in reasons):
                continue  # suggested under the shared email or phone
            pairs.append(DuplicatePair(reason=reason, value=_shown_value(reason, key, first), reasons=reasons,
                                       contacts=[ContactRead.model_validate(first), ContactRead.model_validate(other)]))
    next_cursor = encode_cursor(list(page[-1][:2])) if len(groups) > limit and page else None
    return pairs, next_cursor
