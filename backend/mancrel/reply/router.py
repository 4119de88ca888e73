"""The reply API: knowledge entries (admins), the policy and its calibration (managers and admins),
suggestions and their audit."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from mancrel.auth.dependencies import AdminUser, CurrentUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.core.errors import InvalidInput
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.core.types import UtcDateTime
from mancrel.reply import (
    audit_export,
    calibration,
    escalation_queue,
    knowledge,
    preferences,
    suggestions,
    verdicts,
)
from mancrel.reply import policy as reply_policy
from mancrel.reply.models import Decision, KnowledgeEntry, Suggestion, SuggestionStatus
from mancrel.reply.policy import Policy, PolicyUpdate
from mancrel.reply.repository import SuggestionRepository
from mancrel.reply.schemas import (
    Approve,
    AuditRead,
    EscalationQueue,
    KnowledgeCreate,
    KnowledgeRead,
    KnowledgeUpdate,
    KnowledgeVersionRead,
    Reject,
    ReplyPreferences,
    SuggestionPage,
    SuggestionRead,
    Verdict,
)

ai_router = APIRouter(prefix="/ai", tags=["ai replies"])
router = APIRouter(prefix="/suggestions", tags=["ai replies"])
escalations_router = APIRouter(prefix="/escalations", tags=["ai replies"])


@escalations_router.get("", response_model=EscalationQueue)
async def list_escalations(user: CurrentUser, session: SessionDep,
                           limit: Annotated[int, Query(ge=1, le=500)] = 200) -> EscalationQueue:
    """Conversations waiting for a person, one row each (the newest open escalation, with how many are
    open), soonest due first; only those whose conversation and task the caller may read."""
    return await escalation_queue.read(session, actor=user, limit=limit)


@ai_router.get("/knowledge", response_model=list[KnowledgeRead])
async def list_knowledge(_: AdminUser, session: SessionDep) -> list[KnowledgeEntry]:
    return await knowledge.list_live(session)


@ai_router.post("/knowledge", response_model=KnowledgeRead, status_code=201)
async def create_knowledge(data: KnowledgeCreate, user: AdminUser, session: SessionDep) -> KnowledgeEntry:
    return await knowledge.create(session, data=data, actor=user)


@ai_router.get("/knowledge/{entry_id}", response_model=KnowledgeRead)
async def get_knowledge(entry_id: uuid.UUID, _: AdminUser, session: SessionDep) -> KnowledgeEntry:
    return await knowledge.get(session, entry_id)


@ai_router.patch("/knowledge/{entry_id}", response_model=KnowledgeRead)
async def update_knowledge(entry_id: uuid.UUID, data: KnowledgeUpdate, user: AdminUser,
                           session: SessionDep) -> KnowledgeEntry:
    return await knowledge.update(session, entry_id=entry_id, data=data, actor=user)


@ai_router.delete("/knowledge/{entry_id}", status_code=204)
async def delete_knowledge(entry_id: uuid.UUID, user: AdminUser, session: SessionDep) -> Response:
    await knowledge.delete(session, entry_id=entry_id, actor=user)
    return Response(status_code=204)


@ai_router.get("/knowledge/{entry_id}/versions", response_model=list[KnowledgeVersionRead])
async def list_knowledge_versions(entry_id: uuid.UUID, _: AdminUser, session: SessionDep):
    return await knowledge.versions(session, entry_id)


@ai_router.get("/contacts/{contact_id}/reply-preferences", response_model=ReplyPreferences)
async def get_reply_preferences(contact_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ReplyPreferences:
    return ReplyPreferences(never_auto_reply=await preferences.get(session, contact_id=contact_id, actor=user))


@ai_router.put("/contacts/{contact_id}/reply-preferences", response_model=ReplyPreferences)
async def put_reply_preferences(contact_id: uuid.UUID, data: ReplyPreferences, user: CurrentUser,
                                session: SessionDep) -> ReplyPreferences:
    """`never_auto_reply`: this contact's messages are always answered by a person."""
    return ReplyPreferences(never_auto_reply=await preferences.put(
        session, contact_id=contact_id, never_auto_reply=data.never_auto_reply, actor=user))


@ai_router.get("/calibration")
async def get_calibration(_: ManagerUser, session: SessionDep) -> dict:
    """From the suggestions people reviewed: precision (approved or edited over reviewed) per
    confidence band and intent, and at each threshold the auto-send share and its precision."""
    return await calibration.report(session)


# Managers run the sales team and answer for what is sent to customers, so they set when the AI
# may answer on its own (issue 22); every change is audited with who made it and the diff.
@ai_router.get("/policy", response_model=Policy)
async def get_policy(_: ManagerUser, session: SessionDep) -> Policy:
    return await reply_policy.load(session)


@ai_router.patch("/policy", response_model=Policy)
async def update_policy(data: PolicyUpdate, user: ManagerUser, session: SessionDep) -> Policy:
    return await reply_policy.update(session, data=data, actor=user)


@router.get("", response_model=SuggestionPage)
async def list_suggestions(user: CurrentUser, session: SessionDep, limit: LimitParam = 50, cursor: CursorParam = None,
                           status: Annotated[list[SuggestionStatus] | None, Query(
                               description="One or more statuses (repeat the parameter): the escalation queue "
                                           "asks for escalated and send_failed.")] = None,
                           conversation_id: uuid.UUID | None = None,
                           intent: Annotated[str | None, Query(max_length=64)] = None,
                           assignee_id: uuid.UUID | None = None,
                           decision: Annotated[list[Decision] | None, Query(
                               description="One or more decisions (repeat the parameter).")] = None,
                           since: Annotated[UtcDateTime | None, Query(
                               description="Decided at or after this time.")] = None,
                           until: Annotated[UtcDateTime | None, Query(
                               description="Decided before this time.")] = None) -> SuggestionPage:
    """Newest first; what the viewer may read (a rep: the conversations they see)."""
    if since is not None and until is not None and since >= until:
        raise InvalidInput("`since` must be before `until`.")
    rows = await suggestions.list_page(session, actor=user, status=status, conversation_id=conversation_id,
                                       intent=intent, assignee_id=assignee_id, limit=limit, cursor=cursor,
                                       decision=decision, since=since, until=until)
    items, next_cursor = page_of(rows, limit, key=lambda s: (s.created_at.isoformat(), s.id))
    customers = await SuggestionRepository(session).customers(items)
    return SuggestionPage(items=[SuggestionRead.model_validate(s).model_copy(update={"customer": customers.get(s.id)})
                                 for s in items], next_cursor=next_cursor)


# Managers answer for what is sent to customers, so they read the whole audit (issue M15), as admins do.
@router.get("/audit.csv", response_class=StreamingResponse)
async def export_suggestion_audit(_: ManagerUser, session: SessionDep, since: UtcDateTime,
                                  until: UtcDateTime) -> StreamingResponse:
    """Every suggestion's audit steps recorded in [since, until), oldest first."""
    return audit_export.export_audit(session, since=since, until=until)


@router.get("/{suggestion_id}", response_model=SuggestionRead)
async def get_suggestion(suggestion_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Suggestion:
    return await suggestions.get_visible(session, suggestion_id, user)


@router.post("/{suggestion_id}/approve", response_model=SuggestionRead)
async def approve_suggestion(suggestion_id: uuid.UUID, data: Approve, user: CurrentUser,
                             session: SessionDep) -> Suggestion:
    """Send the draft, or the edited `text`; either is checked for grounding against the catalogue as
    synced now first (422 `ungrounded-reply` with `failed_claims` when it does not hold)."""
    suggestion = await suggestions.get_visible(session, suggestion_id, user)
    return await suggestions.approve(session, suggestion=suggestion, text=data.text, actor=user, intent=data.intent)


@router.post("/{suggestion_id}/reject", response_model=SuggestionRead)
async def reject_suggestion(suggestion_id: uuid.UUID, data: Reject, user: CurrentUser,
                            session: SessionDep) -> Suggestion:
    suggestion = await suggestions.get_visible(session, suggestion_id, user)
    return await suggestions.reject(session, suggestion=suggestion, reason=data.reason, actor=user,
                                   intent=data.intent)


@router.post("/{suggestion_id}/verdict", response_model=SuggestionRead)
async def judge_suggestion(suggestion_id: uuid.UUID, data: Verdict, user: ManagerUser,
                           session: SessionDep) -> Suggestion:
    """A manager's "Looks right" / "Mark as wrong" on a reply sent automatically (409 for any other);
    counted by the calibration as a review."""
    suggestion = await suggestions.get_visible(session, suggestion_id, user)
    return await verdicts.record(session, suggestion=suggestion, verdict=data.verdict, reason=data.reason,
                                 intent=data.intent, actor=user)


@router.get("/{suggestion_id}/audit", response_model=list[AuditRead])
async def get_suggestion_audit(suggestion_id: uuid.UUID, user: CurrentUser, session: SessionDep):
    suggestion = await suggestions.get_visible(session, suggestion_id, user)
    return await suggestions.audit_trail(session, suggestion)
