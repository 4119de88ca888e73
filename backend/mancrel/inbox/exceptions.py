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


class MessageNotFound(NotFound):
    title = "Message not found"
    slug = "message-not-found"


class NotResendable(Conflict):
    """Only a reply of ours that failed can be sent again: not the customer's message, not one that is
    queued, on its way or delivered (two clicks on "Send again" send once: the second finds it queued)."""

    title, slug = "This message cannot be sent again", "not-resendable"


class DeliveryUncertain(Conflict):
    """The failed attempt may have reached the customer: sending again needs `confirm_uncertain`."""

    title, slug = "Delivery uncertain", "delivery-uncertain"
