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


class ReplyWindowClosed(CannotReply):
    """WhatsApp and Messenger take free-form replies only within 24 hours of the customer's last
    message; after that WhatsApp takes only approved templates, and Messenger a person's reply tagged
    HUMAN_AGENT up to 7 days. The detail says which applies (inbox/chat.py)."""

    status, title, slug = 409, "Reply window closed", "reply-window-closed"
