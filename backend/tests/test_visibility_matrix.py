"""One visibility rule, everywhere (issue 24, reading point 3).

Two reps and a manager read every GET endpoint of the OpenAPI schema over the same fixture:
records of rep A, of rep B and of nobody, of every kind. The endpoints come FROM THE SCHEMA,
so a new one cannot be forgotten: each must be declared in `ENDPOINTS` below, saying what it
returns (`Owned`: records of a kind under the visibility rule; `Item`: one such record by id;
`Within`: a page inside one such record;
`Restricted`: a role-gated page; `Shared`: data that is nobody's in particular; `Elsewhere`:
tested by another suite, which it names). An undeclared endpoint fails the test.

Every response a rep gets is also searched for the id of any fixture record that rep may not
see, whatever the endpoint claims to return: a leak anywhere fails.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from mancrel.activity import service as activity_service
from mancrel.activity.schemas import ActivityCreate
from mancrel.ai import indexing
from mancrel.ai.models import Classification
from mancrel.channel.models import Channel
from mancrel.core.db import utcnow
from mancrel.core.permissions import RULES, RelatedOwner, Role, can_see, visible_filter
from mancrel.dataimport.models import ImportJob
from mancrel.inbox.models import Conversation
from tests.contact.factories import make_company, make_contact, quick_user
from tests.deal.factories import make_deal, sales_pipeline, stage_named
from tests.factories import auth_headers

SURNAME = "Zorblaxian"  # an unusual word, so search finds exactly the fixture's contacts
SHARED_EMAIL = "twin@matrix.example"  # every fixture contact has it: the duplicates page pairs them


# --- what each endpoint is -------------------------------------------------------------------
Params = Callable[[Any], dict[str, str]]


@dataclass(frozen=True)
class Owned:
    """Lists records of `kind`: a rep gets exactly those they may see, a manager all of them.
    `mine`: a personal list (the caller's own only, whatever the role)."""
    kind: str
    query: dict[str, str] = field(default_factory=dict)
    path: Params | None = None
    mine: bool = False


@dataclass(frozen=True)
class Item:
    """One record of `kind` by id: 200 when the caller may see it, else 404."""
    kind: str


@dataclass(frozen=True)
class Within:
    """A page inside one record of `kind` (a conversation's messages): 200 when the caller may
    see that record, else 404."""
    kind: str


@dataclass(frozen=True)
class Restricted:
    """Only `roles` may call it; the others get 403."""
    roles: frozenset[Role]
    path: Params | None = None


@dataclass(frozen=True)
class Shared:
    """Not per-user records (the team directory, configuration, the shared catalogue)."""
    reason: str
    path: Params | None = None
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Elsewhere:
    test: str
    reason: str


ADMIN = frozenset({Role.admin})
STAFF = frozenset({Role.admin, Role.manager})
ANY_ID: Params = lambda f: {}  # noqa: E731  role-gated before any lookup: a random id will do
STAGE: Params = lambda f: {"pipeline_id": f.pipeline_id, "stage_id": f.stage_id}  # noqa: E731

ENDPOINTS: dict[str, Owned | Item | Within | Restricted | Shared | Elsewhere] = {
    "/api/v1/contacts": Owned("contact"),
    "/api/v1/contacts/export.csv": Owned("contact"),
    "/api/v1/contacts/duplicates": Owned("contact"),
    "/api/v1/contacts/{contact_id}": Item("contact"),
    "/api/v1/contacts/{contact_id}/timeline": Owned("activity", path=lambda f: {"contact_id": f.shared_contact}),
    "/api/v1/companies": Owned("company"),
    "/api/v1/companies/export.csv": Owned("company"),
    "/api/v1/companies/{company_id}": Item("company"),
    "/api/v1/companies/{company_id}/timeline": Owned("activity", path=lambda f: {"company_id": f.shared_company}),
    "/api/v1/deals": Owned("deal"),
    "/api/v1/deals/export.csv": Owned("deal"),
    "/api/v1/deals/{deal_id}": Item("deal"),
    "/api/v1/deals/{deal_id}/timeline": Owned("activity", path=lambda f: {"deal_id": f.shared_deal}),
    "/api/v1/deals/{deal_id}/line-items": Within("deal"),
    "/api/v1/deals/{deal_id}/line-items/{item_id}": Elsewhere("tests/deal/test_line_items.py",
                                                             "needs a line item; gated by VisibleDeal as the list"),
    "/api/v1/contacts/{contact_id}/recommendations": Item("contact"),
    "/api/v1/pipelines/{pipeline_id}/board": Owned("deal", path=lambda f: {"pipeline_id": f.pipeline_id}),
    "/api/v1/pipelines/{pipeline_id}/board/stages/{stage_id}": Owned("deal", path=STAGE),
    "/api/v1/activities": Owned("activity"),
    "/api/v1/activities/mine": Owned("activity", mine=True),
    "/api/v1/activities/{activity_id}": Item("activity"),
    "/api/v1/imports": Owned("import"),
    "/api/v1/imports/{import_id}": Item("import"),
    "/api/v1/search": Owned("contact", query={"q": SURNAME, "types": "contact,product"}),
    "/api/v1/ai/classifications": Owned("classification"),
    "/api/v1/conversations": Owned("conversation"),
    "/api/v1/conversations/{conversation_id}": Item("conversation"),
    "/api/v1/conversations/{conversation_id}/messages": Within("conversation"),
    "/api/v1/conversations/{conversation_id}/attachments/{attachment_id}": Elsewhere(
        "tests/inbox/test_intake.py", "needs a stored attachment; gated by the same VisibleConversation "
        "dependency as the messages, which this matrix walks"),
    "/api/v1/users": Restricted(ADMIN),
    "/api/v1/users/{user_id}": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/audit": Restricted(ADMIN),
    "/api/v1/dead-letters": Restricted(ADMIN),
    "/api/v1/dead-letters/{dead_letter_id}": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/system/status": Restricted(ADMIN),
    "/api/v1/catalog/sources": Restricted(ADMIN),
    "/api/v1/catalog/sources/{source_id}": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/catalog/sources/{source_id}/health": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/catalog/sources/{source_id}/events": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/channels": Restricted(ADMIN),
    "/api/v1/channels/directory": Shared("channel ids, kinds and names, for the inbox's channel filter"),
    "/api/v1/channels/{channel_id}": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/channels/{channel_id}/health": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/channels/{channel_id}/templates": Elsewhere(
        "tests/channel/meta/test_templates.py", "a WhatsApp channel's approved templates, read from the Graph API "
        "stand-in: admins and managers, and a rep who sees a conversation on the channel (404 otherwise)"),
    "/api/v1/ai/examples": Restricted(STAFF),
    "/api/v1/ai/knowledge": Restricted(ADMIN),
    "/api/v1/ai/knowledge/{entry_id}": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/ai/knowledge/{entry_id}/versions": Restricted(ADMIN, path=ANY_ID),
    "/api/v1/ai/policy": Restricted(STAFF),  # managers set the AI policy too (issue 22)
    "/api/v1/ai/calibration": Restricted(STAFF),
    "/api/v1/teams": Restricted(STAFF),
    "/api/v1/teams/{team_id}": Restricted(STAFF, path=ANY_ID),
    "/api/v1/suggestions/audit.csv": Restricted(STAFF),  # managers review what the AI sent (M15)
    "/api/v1/escalations": Elsewhere("tests/reply/test_escalation_resolution.py",
                                     "rows need escalations; a conversation's and its task's rules both apply"),
    "/api/v1/ai/contacts/{contact_id}/reply-preferences": Item("contact"),
    "/api/v1/suggestions": Elsewhere("tests/reply/test_api.py", "suggestions follow their conversation's rule; "
                                     "making one needs the reply pipeline (classifier, catalogue, policy)"),
    "/api/v1/suggestions/{suggestion_id}": Elsewhere("tests/reply/test_api.py", "as the list"),
    "/api/v1/suggestions/{suggestion_id}/audit": Elsewhere("tests/reply/test_api.py", "as the list"),
    "/api/v1/ai/models": Restricted(STAFF),
    "/api/v1/users/me": Shared("the caller's own account"),
    "/api/v1/users/directory": Shared("the team directory: names to show and pick owners"),
    "/api/v1/pipelines": Shared("pipeline configuration"),
    "/api/v1/pipelines/{pipeline_id}": Shared("pipeline configuration", path=lambda f: {"pipeline_id": f.pipeline_id}),
    "/api/v1/custom-fields": Shared("field definitions"),
    "/api/v1/custom-fields/{field_id}": Elsewhere("tests/customfield", "definitions, no owner; needs a field"),
    "/api/v1/products": Shared("the catalogue is the whole team's"),
    "/api/v1/products/{product_id}": Elsewhere("tests/catalog/test_api.py", "the shared catalogue; needs a product"),
    "/api/v1/ai/intents": Shared("the intent taxonomy"),
    "/api/v1/insights/leads": Elsewhere("tests/insights/test_leads.py", "scores exist only after the scoring job; "
                                        "the contacts' rule (reps: own and unassigned) checked there"),
    "/api/v1/insights/leads/{contact_id}": Elsewhere("tests/insights/test_lead_card.py", "one contact's score; "
                                                     "another rep's contact is a 404 there"),
    "/api/v1/insights/churn": Elsewhere("tests/insights/test_churn.py", "alerts exist only after the nightly job; "
                                        "the contacts' rule checked there"),
    "/api/v1/insights/opportunities": Elsewhere("tests/insights/test_opportunities.py", "as the churn list"),
    **{f"/api/v1/analytics/{name}": Elsewhere("tests/analytics/test_visibility.py", "sums over daily rollups that "
       "exist only after the rollup job; a rep's figures are checked to be their own and unassigned ones there")
       for name in ("pipeline", "deals", "revenue-by-product", "messages", "response-times", "automation",
                    "activity")},
    "/api/v1/insights/today": Elsewhere("tests/insights/test_today.py", "the three lists above and the caller's own "
                                        "overdue tasks; another rep's records absent, checked there"),
    "/api/v1/events": Elsewhere("tests/events/test_sse.py", "a live stream: needs a real server; its filter "
                                "(events.may_receive) is core.permissions.can_see"),
}
# Declared before their module lands (the inbox and channel work in progress): absent from the
# schema is fine for these only; any other declared-but-absent path is a stale row.
NOT_YET_SERVED = {"/api/v1/channels", "/api/v1/channels/{channel_id}", "/api/v1/channels/{channel_id}/health"}
ID_PARAMS = {"contact_id": "contact", "company_id": "company", "deal_id": "deal", "activity_id": "activity",
             "import_id": "import", "conversation_id": "conversation"}


def schema_gets(app) -> list[str]:
    return sorted(path for path, ops in app.openapi()["paths"].items() if "get" in ops and path.startswith("/api/"))


# --- the fixture -----------------------------------------------------------------------------
@dataclass
class Record:
    kind: str
    id: str
    seen_by: frozenset[str]  # the reps ("a", "b") who may see it; managers see every record


@dataclass
class World:
    users: dict[str, Any]
    records: list[Record] = field(default_factory=list)
    pipeline_id: str = ""
    stage_id: str = ""
    shared_contact: str = ""
    shared_company: str = ""
    shared_deal: str = ""
    contact_owners: dict[str, Any] = field(default_factory=dict)  # conversation id -> its contact's owner
    # Hidden records a rep may see named (id, summary) inside a record they do see, by design.
    named_to: dict[str, set[str]] = field(default_factory=lambda: {"a": set(), "b": set()})

    def add(self, kind: str, row: Any, *seen_by: str) -> Any:
        self.records.append(Record(kind, str(row.id), frozenset(seen_by)))
        return row


async def _build(db) -> World:
    a, b = await quick_user(db), await quick_user(db)
    manager, admin = await quick_user(db, role=Role.manager), await quick_user(db, role=Role.admin)
    w = World(users={"a": a, "b": b, "manager": manager, "admin": admin})
    owners = {"a": (a, ("a",)), "b": (b, ("b",)), "nobody": (None, ("a", "b"))}
    contacts, companies, deals = {}, {}, {}
    for key, (owner, seen) in owners.items():
        actor = owner or manager
        companies[key] = w.add("company", await make_company(db, actor=actor, owner=owner), *seen)
        contacts[key] = w.add("contact", await make_contact(db, actor=actor, owner=owner, last_name=SURNAME), *seen)
    for contact in contacts.values():  # twins: what the duplicates page is for
        contact.emails = [SHARED_EMAIL]
    await db.flush()
    for key, (owner, seen) in owners.items():
        deals[key] = w.add("deal", await make_deal(db, actor=owner or manager, owner=owner,
                                                   contact_id=contacts["nobody"].id,
                                                   company_id=companies["nobody"].id), *seen)
    w.shared_contact, w.shared_company = str(contacts["nobody"].id), str(companies["nobody"].id)
    w.shared_deal = str(deals["nobody"].id)
    await _activities(db, w, owners, contacts["nobody"], companies["nobody"], deals["nobody"])
    for key, (owner, seen) in owners.items():
        if owner is not None:  # imports belong to who started them; there are no nobody's imports
            w.add("import", await _import(db, owner), *seen)
        classification = Classification(text=f"hello {key}", intent="greeting", confidence=0.9, priority="low",
                                        model_version=1, owner_id=getattr(owner, "id", None))
        db.add(classification)
        await db.flush()
        w.add("classification", classification, *seen)
        await indexing.index_contact(db, contacts[key].id)
    await _conversations(db, w, contacts)
    pipeline = await sales_pipeline(db)
    w.pipeline_id, w.stage_id = str(pipeline.id), str((await stage_named(db, "New")).id)
    return w


async def _activities(db, w: World, owners: dict, contact, company, deal) -> None:
    """On the nobody's contact, company and deal, so their timelines hold everyone's activities."""
    due = utcnow() + timedelta(hours=1)
    for key, (owner, seen) in owners.items():
        data = ActivityCreate(type="task", subject=f"Task of {key}", due_at=due, contact_id=contact.id,
                              company_id=company.id, deal_id=deal.id)
        activity = await activity_service.create(db, data=data, actor=owner or w.users["manager"])
        activity.owner_id = activity.assignee_id = getattr(owner, "id", None)
        w.add("activity", activity, *seen)
    # Logged by nobody but handed to B: B's, not everyone's (both people must be empty for that).
    data = ActivityCreate(type="task", subject="Handed to b", due_at=due, contact_id=contact.id,
                          company_id=company.id, deal_id=deal.id)
    handed = await activity_service.create(db, data=data, actor=w.users["manager"])
    handed.owner_id, handed.assignee_id = None, w.users["b"].id
    w.add("activity", handed, "b")
    await db.flush()


async def _import(db, owner) -> ImportJob:
    job = ImportJob(object_type="contact", filename="people.csv", mapping={"email": "email"}, content="email\n",
                    created_by_id=owner.id)
    db.add(job)
    await db.flush()
    return job


async def _conversations(db, w: World, contacts: dict) -> None:
    """The conversation rule: the contact's owner, the assignee, or an unassigned contact."""
    channel = Channel(kind="email", name=f"matrix-{uuid.uuid4().hex[:8]}")
    db.add(channel)
    await db.flush()
    cases = [("a", None, ("a",)), ("b", None, ("b",)), ("nobody", None, ("a", "b")),
             ("b", w.users["a"].id, ("a", "b"))]  # B's contact, but assigned to A
    for key, assignee, seen in cases:
        conversation = Conversation(channel_id=channel.id, contact_id=contacts[key].id, counterpart=SHARED_EMAIL,
                                    assignee_id=assignee)
        db.add(conversation)
        await db.flush()
        w.add("conversation", conversation, *seen)
        w.contact_owners[str(conversation.id)] = contacts[key].owner_id
    # The assignee is shown whom they are talking to (the inbox's choice): the contact summary of
    # B's contact inside the conversation assigned to A. The contact itself stays 404 for A.
    w.named_to["a"].add(str(contacts["b"].id))


# --- the walk --------------------------------------------------------------------------------
def _may_see(record: Record, who: str, *, mine: bool = False) -> bool:
    if mine:
        return who in record.seen_by and len(record.seen_by) == 1
    return who in ("manager", "admin") or who in record.seen_by


def _ids_in(text: str) -> set[str]:
    return set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text.lower()))


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), str(uuid.uuid4())), path)


async def _get(client, w: World, who: str, url: str, query: dict[str, str] | None = None):
    return await client.get(url, params={"limit": "100", **(query or {})}, headers=auth_headers(w.users[who]))


def _leaks(w: World, who: str, text: str) -> set[str]:
    if who in ("manager", "admin"):
        return set()
    hidden = {r.id for r in w.records if who not in r.seen_by} - w.named_to[who]
    return hidden & _ids_in(text)


async def _walk(client, w: World, path: str, spec: Any) -> list[str]:
    problems: list[str] = []
    reps_and_manager = ("a", "b", "manager")
    if isinstance(spec, Owned):
        url = _fill(path, spec.path(w) if spec.path else {})
        for who in reps_and_manager:
            response = await _get(client, w, who, url, spec.query)
            if response.status_code != 200:
                problems.append(f"{path} as {who}: {response.status_code} {response.text[:200]}")
                continue
            expected = {r.id for r in w.records if r.kind == spec.kind and _may_see(r, who, mine=spec.mine)}
            got = {r.id for r in w.records if r.kind == spec.kind} & _ids_in(response.text)
            if got != expected:
                problems.append(f"{path} as {who}: {spec.kind} ids {sorted(got)} instead of {sorted(expected)}")
            if leaked := _leaks(w, who, response.text):
                problems.append(f"{path} as {who}: shows records they may not see {sorted(leaked)}")
    elif isinstance(spec, Item | Within):
        for record in (r for r in w.records if r.kind == spec.kind):
            param = next(p for p, kind in ID_PARAMS.items() if kind == spec.kind)
            for who in reps_and_manager:
                status = (await _get(client, w, who, _fill(path, {param: record.id}))).status_code
                want = 200 if _may_see(record, who) else 404
                if status != want:
                    problems.append(f"{path} {record.id} as {who}: {status} instead of {want}")
    elif isinstance(spec, Restricted):
        url = _fill(path, spec.path(w) if spec.path else {})
        for who in ("a", "manager"):
            response = await _get(client, w, who, url)
            allowed = w.users[who].role in spec.roles
            if not allowed and response.status_code != 403:
                problems.append(f"{path} as {who}: {response.status_code} instead of 403")
            if leaked := _leaks(w, who, response.text):
                problems.append(f"{path} as {who}: shows records they may not see {sorted(leaked)}")
    elif isinstance(spec, Shared):
        response = await _get(client, w, "a", _fill(path, spec.path(w) if spec.path else {}), spec.query)
        if response.status_code != 200:
            problems.append(f"{path} as a: {response.status_code} {response.text[:200]}")
        if leaked := _leaks(w, "a", response.text):
            problems.append(f"{path} as a: shows records they may not see {sorted(leaked)}")
    return problems


def test_every_get_endpoint_of_the_schema_is_declared(app):
    served = set(schema_gets(app))
    undeclared = sorted(served - set(ENDPOINTS))
    assert not undeclared, ("GET endpoints missing from ENDPOINTS in tests/test_visibility_matrix.py "
                            f"(say what they return and who may see it): {undeclared}")
    stale = sorted(set(ENDPOINTS) - served - NOT_YET_SERVED)
    assert not stale, f"rows for endpoints the API no longer serves: {stale}"


async def test_two_reps_and_a_manager_see_what_the_rule_says_on_every_endpoint(app, client, db):
    w = await _build(db)
    problems: list[str] = []
    for path in schema_gets(app):
        if path in ENDPOINTS:
            problems += await _walk(client, w, path, ENDPOINTS[path])
    assert not problems, "\n".join(problems)


async def test_the_conversation_rule_is_expressed_in_core_permissions(db):
    """Owner of the conversation's contact, or its assignee; nobody's contact is everyone's: the
    same answer from the SQL filter and from the check on a loaded row."""
    w = await _build(db)
    conversations = [r for r in w.records if r.kind == "conversation"]
    contact_owner = next(h for h in RULES["conversations"].holders if isinstance(h, RelatedOwner))
    for who in ("a", "b", "manager"):
        actor = SimpleNamespace(id=w.users[who].id, role=w.users[who].role)
        seen = {str(i) for i in await db.scalars(select(Conversation.id).where(visible_filter(Conversation, actor)))}
        expected = {r.id for r in conversations if _may_see(r, who)}
        assert seen & {r.id for r in conversations} == expected, who
        for record in conversations:
            row = await db.get(Conversation, uuid.UUID(record.id))
            related = {contact_owner: w.contact_owners[record.id]}
            assert can_see(row, actor, related=related) == (record.id in expected), (who, record)
