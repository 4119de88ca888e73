import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    Uuid,
    and_,
    any_,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mancrel.company.models import Company
from mancrel.contact.merge_models import ContactMerge
from mancrel.contact.models import Contact, ContactIdentityKey, LifecycleStage
from mancrel.core import normalise
from mancrel.core.db import utcnow
from mancrel.core.listing import Sort, SortField, apply_keyset, keyset_page, sort_field
from mancrel.core.permissions import Actor, visible_filter
from mancrel.core.record_filters import RecordFilters, apply_record_filters, like_pattern
from mancrel.customfield import service as customfield_service

SORTS: dict[str, SortField] = {
    "created_at": sort_field(Contact.created_at, datetime),
    "updated_at": sort_field(Contact.updated_at, datetime),
    "last_name": sort_field(Contact.last_name, str),
    "first_name": sort_field(Contact.first_name, str),
}


_MARK_CONTACTED = text("""
UPDATE contacts c SET last_contacted_at = d.at, updated_at = :now
FROM unnest(CAST(:ids AS uuid[]), CAST(:ats AS timestamptz[])) AS d(id, at)
WHERE c.id = d.id AND (c.last_contacted_at IS NULL OR c.last_contacted_at < d.at)
""")


def _live(stmt: Select, deleted: bool) -> Select:
    return stmt.where(Contact.deleted_at.is_not(None) if deleted else Contact.deleted_at.is_(None))


def _exact(q: str) -> Any | None:
    """A whole email or phone number: matched exactly through the array indexes, which at a
    million contacts is far cheaper than a trigram scan over long common digit runs."""
    try:
        return Contact.emails.contains([normalise.email(q)]) if "@" in q else Contact.phones.contains(
            [normalise.phone(q)])
    except ValueError:
        return None


def search_clause(q: str) -> Any:
    """Names, emails and phones (trigram index on `search_text`), and the company's name."""
    exact = _exact(q)
    if exact is not None:
        return exact
    # `= ANY(one array)` rather than `IN (subquery)`: the array is computed once, and the clause
    # can then use the company_id index inside a BitmapOr with the trigram index.
    companies = select(func.array_agg(Company.id)).where(Company.name.ilike(like_pattern(q)),
                                                         Company.deleted_at.is_(None))
    return or_(Contact.search_text.ilike(like_pattern(q.lower())),
               Contact.company_id == any_(cast(companies.scalar_subquery(), ARRAY(Uuid))))


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, contact_id: uuid.UUID) -> Contact | None:
        return await self.session.get(Contact, contact_id)

    async def get_visible(self, contact_id: uuid.UUID, actor: Actor, *, deleted: bool = False) -> Contact | None:
        stmt = select(Contact).where(Contact.id == contact_id, visible_filter(Contact, actor))
        return await self.session.scalar(_live(stmt, deleted))

    async def lock_identities(self, emails: Sequence[str], phones: Sequence[str]) -> None:
        """Wait for any other transaction checking or writing the same emails or phones, until
        it ends. Without it two requests creating the same person both find no duplicate and
        both insert (tests/realcommit). Sorted, so two writers never wait on each other."""
        keys = {f"contact-identity:email:{e}" for e in emails} | {f"contact-identity:phone:{p}" for p in phones}
        for key in sorted(keys):
            await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))

    async def find_duplicate(self, emails: Sequence[str], phones: Sequence[str], *,
                             exclude_id: uuid.UUID | None = None) -> Contact | None:
        """A live contact with any of these emails or phones, whoever owns it."""
        clauses = []
        if emails:
            clauses.append(Contact.emails.overlap(list(emails)))
        if phones:
            clauses.append(Contact.phones.overlap(list(phones)))
        if not clauses:
            return None
        stmt = _live(select(Contact).where(or_(*clauses)), False)
        if exclude_id is not None:
            stmt = stmt.where(Contact.id != exclude_id)
        return await self.session.scalar(stmt.order_by(Contact.created_at, Contact.id).limit(1))

    async def by_email(self, email: str) -> list[Contact]:
        stmt = _live(select(Contact).where(Contact.emails.contains([email])), False)
        return list(await self.session.scalars(stmt.order_by(
            func.greatest(Contact.last_contacted_at, Contact.updated_at).desc(), Contact.id)))

    async def by_emails(self, emails: Sequence[str]) -> dict[str, Contact]:
        """`by_email` for many addresses in one query: each address's most recently active holder."""
        found: dict[str, Contact] = {}
        if not emails:
            return found
        wanted = set(emails)
        stmt = _live(select(Contact).where(Contact.emails.overlap(list(wanted))), False)
        for contact in await self.session.scalars(stmt.order_by(
                func.greatest(Contact.last_contacted_at, Contact.updated_at).desc(), Contact.id)):
            for email in wanted.intersection(contact.emails or []):
                found.setdefault(email, contact)
        return found

    async def by_phone(self, phone: str) -> list[Contact]:
        """Live contacts holding this E.164 number, most recently active first."""
        stmt = _live(select(Contact).where(Contact.phones.contains([phone])), False)
        return list(await self.session.scalars(stmt.order_by(
            func.greatest(Contact.last_contacted_at, Contact.updated_at).desc(), Contact.id)))

    async def by_chat_id(self, *, whatsapp_id: str | None = None, messenger_psid: str | None = None) -> Contact | None:
        """The live contact a WhatsApp id or a page-scoped Messenger id belongs to, most recent first."""
        column, value = (Contact.whatsapp_id, whatsapp_id) if whatsapp_id else (Contact.messenger_psid, messenger_psid)
        stmt = _live(select(Contact).where(column == value), False)
        return await self.session.scalar(stmt.order_by(
            func.greatest(Contact.last_contacted_at, Contact.updated_at).desc(), Contact.id).limit(1))

    def _filtered(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *,
                  lifecycle: LifecycleStage | None, company_id: uuid.UUID | None, deleted: bool) -> Select:
        stmt = _live(select(Contact).where(visible_filter(Contact, actor)), deleted)
        stmt = apply_record_filters(stmt, Contact, filters)
        if lifecycle is not None:
            stmt = stmt.where(Contact.lifecycle_stage == lifecycle)
        if company_id is not None:
            stmt = stmt.where(Contact.company_id == company_id)
        if filters.q:
            stmt = stmt.where(search_clause(filters.q))
        if custom:
            stmt = stmt.where(customfield_service.filter_clause(Contact.custom_fields, "contact", custom))
        return stmt

    async def list_page(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *, sort: Sort,
                        limit: int, cursor: str | None, lifecycle: LifecycleStage | None = None,
                        company_id: uuid.UUID | None = None, deleted: bool = False) -> list[Contact]:
        stmt = self._filtered(actor, filters, custom, lifecycle=lifecycle, company_id=company_id, deleted=deleted)
        return list(await self.session.scalars(apply_keyset(stmt, sort, Contact.id, limit=limit, cursor=cursor)))

    async def stream(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *, sort: Sort,
                     lifecycle: LifecycleStage | None = None, company_id: uuid.UUID | None = None,
                     batch: int = 1000) -> AsyncIterator[Contact]:
        """Every matching contact, fetched in keyset batches (no cursor held open across sends)."""
        cursor: str | None = None
        while True:
            rows = await self.list_page(actor, filters, custom, sort=sort, limit=batch, cursor=cursor,
                                        lifecycle=lifecycle, company_id=company_id)
            for row in rows[:batch]:
                yield row
            if len(rows) <= batch:
                return
            _, cursor = keyset_page(rows, sort, limit=batch)
            self.session.expunge_all()  # keep memory flat on big exports

    async def duplicate_groups(self, actor: Actor, *, limit: int, after_key: tuple[str, str] | None
                               ) -> list[tuple[str, str, list[uuid.UUID]]]:
        """(reason, value, contact ids oldest first) for emails/phones shared by live contacts `actor`
        sees, in (reason, value) order: up to `limit` + 1 groups (the extra one means "more").

        Candidates are the keys the trigger-kept holders say two or more live contacts share
        (whoever owns them), walked in order on their partial index; each key's holders are then
        looked up by id, and the key is kept when the actor sees at least two of them."""
        keys = ContactIdentityKey
        holders = (select(func.array_agg(aggregate_order_by(Contact.id, Contact.created_at, Contact.id)).label("ids"))
                   .where(Contact.id == any_(keys.contact_ids), visible_filter(Contact, actor))
                   .correlate(keys))
        holders = _live(holders, False).lateral("holders")
        stmt = (select(keys.kind, keys.value, holders.c.ids).select_from(keys).join(holders, true())
                .where(keys.kind.in_(("email", "phone")), func.cardinality(keys.contact_ids) > 1,
                       func.cardinality(holders.c.ids) > 1)
                .order_by(keys.kind, keys.value).limit(limit + 1))
        if after_key is not None:
            stmt = stmt.where(tuple_(keys.kind, keys.value) > tuple_(*after_key))
        return [(r.kind, r.value, list(r.ids)) for r in await self.session.execute(stmt)]

    async def whatsapp_duplicate_groups(self, actor: Actor, *, limit: int, after: str | bool | None
                                        ) -> list[tuple[str, str, list[uuid.UUID]]]:
        """("phone", "+<digits>", ids) for each WhatsApp id that two or more live contacts `actor`
        sees carry, as a WhatsApp id or as that phone: up to `limit` + 1 in number order, after
        `after` (False: none)."""
        if after is False:
            return []
        number = func.concat("+", func.ltrim(Contact.whatsapp_id, "+"))
        numbers = _live(select(number.label("value")).where(Contact.whatsapp_id.is_not(None),
                                                            Contact.whatsapp_id != ""), False).distinct().subquery()
        # The number's holders as a phone (trigger-kept key) and as a WhatsApp id ("<digits>" or
        # "+<digits>"), each found by index: an OR join of the two read every live contact.
        keys, on_whatsapp = ContactIdentityKey, aliased(Contact)
        as_phone = (select(keys.contact_ids).where(keys.kind == "phone", keys.value == numbers.c.value)
                    .correlate(numbers).scalar_subquery())
        as_whatsapp = (select(func.array_agg(on_whatsapp.id))
                       .where(on_whatsapp.whatsapp_id.in_([numbers.c.value, func.ltrim(numbers.c.value, "+")]))
                       .correlate(numbers).scalar_subquery())
        holders = (select(func.array_agg(aggregate_order_by(Contact.id, Contact.created_at, Contact.id)).label("ids"))
                   .where(Contact.id == any_(func.array_cat(as_phone, as_whatsapp)), visible_filter(Contact, actor))
                   .having(func.count() > 1).correlate(numbers))
        holders = _live(holders, False).lateral("holders")
        stmt = (select(numbers.c.value, holders.c.ids).select_from(numbers).join(holders, true())
                .order_by(numbers.c.value).limit(limit + 1))
        if isinstance(after, str):
            stmt = stmt.where(numbers.c.value > after)
        return [("phone", r.value, list(r.ids)) for r in await self.session.execute(stmt)]

    async def name_duplicate_groups(self, actor: Actor, *, limit: int, after: str | bool | None, few: int
                                    ) -> list[list[tuple[str, str, list[uuid.UUID]]]]:
        """Two sources of ("name", key, ids oldest first), each up to `limit` + 1 in key order after
        `after` (False: none), keeping the keys whose holders `actor` sees two or more of:
        - names 2..`few` live contacts carry (key: the folded name), from their partial index;
        - names more carry, at one company (key: the name, chr(31), the company id): the
          "name_company" keys held more than once whose name is not among the few."""
        if after is False:
            return [[], []]
        keys = ContactIdentityKey
        if few != 3:
            raise ValueError("ix_contact_identity_keys_few_names holds the names 2 or 3 contacts carry")
        namesakes = func.cardinality(keys.contact_ids)
        few_names = and_(keys.kind == "name", namesakes.between(literal_column("2"), literal_column("3")))
        few_named = aliased(ContactIdentityKey)
        at_one_company = and_(keys.kind == "name_company", namesakes > literal_column("1"), ~exists().where(
            few_named.kind == "name", few_named.value == func.split_part(keys.value, func.chr(31), 1),
            func.cardinality(few_named.contact_ids).between(literal_column("2"), literal_column("3"))))
        after_value = after if isinstance(after, str) else None
        return [await self._held_key_groups(actor, where, limit=limit, after=after_value, reason="name")
                for where in (few_names, at_one_company)]

    async def _held_key_groups(self, actor: Actor, where: Any, *, limit: int, after: str | None, reason: str
                               ) -> list[tuple[str, str, list[uuid.UUID]]]:
        keys = ContactIdentityKey
        holders = (select(func.array_agg(aggregate_order_by(Contact.id, Contact.created_at, Contact.id)).label("ids"))
                   .where(Contact.id == any_(keys.contact_ids), visible_filter(Contact, actor))
                   .correlate(keys))
        holders = _live(holders, False).lateral("holders")
        stmt = (select(keys.value, holders.c.ids).select_from(keys).join(holders, true())
                .where(where, func.cardinality(holders.c.ids) > 1).order_by(keys.value).limit(limit + 1))
        if after is not None:
            stmt = stmt.where(keys.value > after)
        return [(reason, r.value, list(r.ids)) for r in await self.session.execute(stmt)]

    async def name_keys(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Each contact's folded full name, as the identity-key trigger stores it (none when either
        part is empty): the database's folding, so Python never folds differently."""
        if not ids:
            return {}
        key = func.contact_name_key(Contact.first_name, Contact.last_name)
        rows = await self.session.execute(select(Contact.id, key.label("key")).where(Contact.id.in_(ids)))
        return {r.id: r.key for r in rows if r.key is not None}

    async def mark_contacted(self, contact_id: uuid.UUID, at: datetime) -> None:
        """Move `last_contacted_at` forward to `at`, never back. A plain UPDATE: the system keeps
        this field, so it does not bump the version a rep's pending edit is based on."""
        await self.session.execute(
            update(Contact)
            .where(Contact.id == contact_id, or_(Contact.last_contacted_at.is_(None), Contact.last_contacted_at < at))
            .values(last_contacted_at=at)
            .execution_options(synchronize_session="fetch"))

    async def mark_contacted_many(self, when: dict[uuid.UUID, datetime]) -> None:
        """`mark_contacted` for many contacts in one statement (rows in the session keep their old value)."""
        if when:
            await self.session.execute(_MARK_CONTACTED, {"ids": list(when), "ats": list(when.values()),
                                                         "now": utcnow()})

    async def get_many(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        if not ids:
            return {}
        return {c.id: c for c in await self.session.scalars(select(Contact).where(Contact.id.in_(ids)))}

    async def get_merge(self, merge_id: uuid.UUID) -> ContactMerge | None:
        return await self.session.get(ContactMerge, merge_id)
