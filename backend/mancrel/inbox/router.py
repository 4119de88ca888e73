"""The inbox API: conversations (list, read, triage) and their messages (read, reply)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep
from mancrel.core.errors import InvalidInput
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.inbox import conversations, resend
from mancrel.inbox import service as inbox_service
from mancrel.inbox.delivery_failure import is_uncertain
from mancrel.inbox.dependencies import VisibleConversation
from mancrel.inbox.exceptions import AttachmentNotFound
from mancrel.inbox.models import ConversationStatus, DeliveryStatus, Direction, Message
from mancrel.inbox.repository import ConversationFilters, InboxRepository
from mancrel.inbox.schemas import (
    AttachmentRead,
    ClassificationSummary,
    ContactSummary,
    ConversationPage,
    ConversationRead,
    ConversationSort,
    ConversationUpdate,
    MessagePage,
    MessageRead,
    MessageResend,
    ReplyCreate,
    TemplateSent,
)

router = APIRouter(tags=["inbox"])

AssigneeParam = Annotated[str | None, Query(alias="assignee_id", description="A user id, `me` or `none`.")]


def _assignee(value: str | None, me: uuid.UUID) -> uuid.UUID | str | None:
    if value in (None, ""):
        return None
    if value in ("me", "none"):
        return me if value == "me" else "none"
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput("assignee_id is a user id, `me` or `none`.",
                           errors=[{"field": "assignee_id", "in": "query", "message": "not a user id"}]) from exc


@router.get("/conversations", response_model=ConversationPage)
async def list_conversations(
        user: CurrentUser, session: SessionDep, limit: LimitParam = 50, cursor: CursorParam = None,
        status: ConversationStatus | None = None, channel_id: uuid.UUID | None = None, assignee: AssigneeParam = None,
        intent: Annotated[str | None, Query(max_length=64)] = None,
        priority: Annotated[str | None, Query(max_length=16)] = None,
        q: Annotated[str | None, Query(max_length=200, description="Subject, message text, contact name.")] = None,
        junk: Annotated[bool, Query(description="Automated mail (bulk, auto-replies, bounces) instead.")] = False,
        sort: ConversationSort = ConversationSort.activity) -> ConversationPage:
    filters = ConversationFilters(status=status, channel_id=channel_id, assignee=_assignee(assignee, user.id),
                                  intent=intent, priority=priority, q=(q or "").strip() or None, junk=junk)
    items, next_cursor = await conversations.list_page(session, actor=user, filters=filters, sort=sort.value,
                                                       limit=limit, cursor=cursor)
    contacts = await conversations.contacts_of(session, items)
    kinds = await conversations.channel_kinds_of(session, items)
    return ConversationPage(items=[_conversation(c, contacts.get(c.contact_id), kinds.get(c.channel_id))
                                   for c in items], next_cursor=next_cursor)


@router.get("/conversations/{conversation_id}", response_model=ConversationRead)
async def get_conversation(conversation: VisibleConversation, session: SessionDep) -> ConversationRead:
    contacts = await conversations.contacts_of(session, [conversation])
    kinds = await conversations.channel_kinds_of(session, [conversation])
    return _conversation(conversation, contacts.get(conversation.contact_id), kinds.get(conversation.channel_id))


@router.patch("/conversations/{conversation_id}", response_model=ConversationRead)
async def update_conversation(conversation: VisibleConversation, data: ConversationUpdate, user: CurrentUser,
                              session: SessionDep) -> ConversationRead:
    conversation = await conversations.update(session, conversation=conversation, data=data, actor=user)
    contacts = await conversations.contacts_of(session, [conversation])
    kinds = await conversations.channel_kinds_of(session, [conversation])
    return _conversation(conversation, contacts.get(conversation.contact_id), kinds.get(conversation.channel_id))


@router.get("/conversations/{conversation_id}/messages", response_model=MessagePage)
async def list_messages(conversation: VisibleConversation, session: SessionDep, limit: LimitParam = 50,
                        cursor: CursorParam = None) -> MessagePage:
    items, next_cursor = await conversations.messages_page(session, conversation=conversation, limit=limit,
                                                           cursor=cursor)
    return MessagePage(items=await _messages(session, items), next_cursor=next_cursor)


@router.post("/conversations/{conversation_id}/messages", status_code=201, response_model=MessageRead,
             responses={409: {"description": "The channel cannot send (disabled, or no SMTP server), or the chat's "
                                             "reply window is closed (the detail says what may be sent instead)."},
                        422: {"description": "Invalid reply, or a template that is not approved or whose "
                                             "parameters do not fit it."},
                        502: {"description": "Meta refused the template list the template is checked against."}})
async def reply_to_conversation(conversation: VisibleConversation, data: ReplyCreate, user: CurrentUser,
                                session: SessionDep) -> MessageRead:
    """Text, or on WhatsApp an approved template (the only reply after the 24-hour window)."""
    message = await inbox_service.reply(session, conversation=conversation, text=data.text, actor=user,
                                        template=data.template)
    (read,) = await _messages(session, [message])
    return read


@router.post("/conversations/{conversation_id}/messages/{message_id}/retry", response_model=MessageRead,
             responses={404: {"description": "No such message in a conversation the caller may see."},
                        409: {"description": "Not a failed reply of ours (the customer's message, or one queued, "
                                             "sent or delivered: a second click finds it queued); the channel "
                                             "cannot send; the chat's reply window is closed; or the failed "
                                             "attempt may have reached the customer and `confirm_uncertain` "
                                             "was not given (type /problems/delivery-uncertain)."}})
async def retry_message(conversation: VisibleConversation, message_id: uuid.UUID, user: CurrentUser,
                        session: SessionDep, data: MessageResend | None = None) -> MessageRead:
    """Send a failed reply again, the same message through the channel's normal send path (now queued)."""
    message = await resend.resend(session, conversation=conversation, message_id=message_id, actor=user,
                                  confirm_uncertain=bool(data and data.confirm_uncertain))
    (read,) = await _messages(session, [message])
    return read


@router.get("/conversations/{conversation_id}/attachments/{attachment_id}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
async def download_attachment(conversation: VisibleConversation, attachment_id: uuid.UUID,
                              session: SessionDep) -> Response:
    repo = InboxRepository(session)
    attachment = await repo.get_attachment(attachment_id)
    message = await repo.get_message(attachment.message_id) if attachment else None
    if attachment is None or attachment.content is None or message is None \
            or message.conversation_id != conversation.id:
        raise AttachmentNotFound("No stored attachment with that id in this conversation.")
    # Served as a download, never rendered: a customer's HTML file must not run in our origin.
    name = attachment.filename.replace('"', "").replace("\r", "").replace("\n", "") or "attachment"
    return Response(attachment.content, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "X-Content-Type-Options": "nosniff"})


def _conversation(conversation, contact, kind: str | None) -> ConversationRead:
    read = ConversationRead.model_validate(conversation)
    read.contact = ContactSummary.model_validate(contact) if contact is not None else None
    read.channel_kind = kind
    read.reply_window_closes_at = conversations.reply_window_closes_at(conversation, kind)
    read.reply_options = conversations.reply_options(conversation, kind)
    return read


async def _messages(session: SessionDep, messages: list[Message]) -> list[MessageRead]:
    repo = InboxRepository(session)
    attachments = await repo.attachments_of([m.id for m in messages])
    classifications = await repo.classifications_of([m.classification_id for m in messages if m.classification_id])
    out = []
    for message in messages:
        read = MessageRead.model_validate(message)
        if message.direction == Direction.outbound:
            read.delivery_uncertain = is_uncertain(message) if message.status == DeliveryStatus.failed else None
        else:
            read.send_attempts = None
        read.attachments = [AttachmentRead(id=a.id, filename=a.filename, content_type=a.content_type, size=a.size,
                                           stored=a.content is not None) for a in attachments.get(message.id, [])]
        row = classifications.get(message.classification_id)
        read.classification = ClassificationSummary.model_validate(row) if row is not None else None
        if (message.headers or {}).get("kind") == "template":
            read.template = TemplateSent.model_validate(message.headers["template"])
        out.append(read)
    return out
