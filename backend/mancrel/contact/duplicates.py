"""Likely duplicate pairs: live contacts sharing an email or a phone."""

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.repository import ContactRepository
from mancrel.contact.schemas import ContactRead, DuplicatePair
from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor


async def list_pairs(session: AsyncSession, *, actor: Actor, limit: int,
                     cursor: str | None) -> tuple[list[DuplicatePair], str | None]:
    """One group per shared email/phone, shown as pairs of the oldest contact with each other one."""
    after_key = tuple(decode_cursor(cursor, (str, str))) if cursor else None
    repo = ContactRepository(session)
    groups = await repo.duplicate_groups(actor, limit=limit, after_key=after_key)  # type: ignore[arg-type]
    page = groups[:limit]
    contacts = await repo.get_many([i for _, _, ids in page for i in ids])
    pairs = []
    for reason, value, ids in page:
        first = contacts[ids[0]]
        for other_id in ids[1:]:
            pairs.append(DuplicatePair(reason=reason, value=value, contacts=[
                ContactRead.model_validate(first), ContactRead.model_validate(contacts[other_id])]))
    next_cursor = encode_cursor(page[-1][:2]) if len(groups) > limit and page else None
    return pairs, next_cursor
