from mancrel.core.errors import Conflict, InvalidInput, NotFound


class ConversationNotFound(NotFound):
    title = "Conversation not found"
    slug = "conversation-not-found"


class AttachmentNotFound(NotFound):
    title = "Attachment not found"
    slug = "attachment-not-found"


class CannotReply(Conflict):
    title = "This conversation cannot be answered"
    slug = "cannot-reply"


class InvalidAssignee(InvalidInput):
    title = "Invalid assignee"
    slug = "invalid-assignee"
