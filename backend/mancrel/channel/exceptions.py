from mancrel.core.errors import AppError, Conflict, InvalidInput, NotFound


class ChannelNotFound(NotFound):
    title = "Channel not found"
    slug = "channel-not-found"


class ChannelNameTaken(Conflict):
    title = "A channel with this name exists"
    slug = "channel-name-taken"


class InvalidChannelSettings(InvalidInput):
    title = "Invalid channel settings"
    slug = "invalid-channel"


class WebhookRefused(AppError):
    """401 without a Bearer challenge: providers sign or send basic auth, they do not sign in.

    401 tells the provider to retry later (Mailgun retries for hours, Postmark and SendGrid too):
    a signature that fails because an admin has not yet entered the rotated key must not lose mail.
    """

    status, title, slug = 401, "Webhook not authenticated", "invalid-webhook-signature"


class ReplayedToken(AppError):
    """Mailgun's documented "rejected, do not retry": a signature token already used for another
    message is a captured signature carrying a forged body, and no retry can make it valid. A
    genuine retry of the same message carries the same message too, and is answered as a duplicate."""

    status, title, slug = 406, "Signature token already used", "replayed-webhook-token"


class UnparseablePayload(AppError):
    status, title, slug = 400, "Unreadable payload", "unparseable-payload"


class DeliveryNotStored(AppError):
    """The batch holding the delivery failed to commit: nothing of it was stored."""

    status, title, slug = 503, "Delivery not stored", "delivery-not-stored"

    def __init__(self) -> None:
        super().__init__("The delivery could not be stored; send it again.", headers={"Retry-After": "1"})


class TemplatesNotConfigured(Conflict):
    """Templates need the WhatsApp Business Account's id, which older channels were made without."""

    title, slug = "Message templates not configured", "templates-not-configured"


class TemplatesUnavailable(AppError):
    """Meta refused the template list (a bad token, an unknown WABA). The refusal is kept on the
    channel's health, hence `keeps_changes`."""

    status, title, slug = 502, "Meta refused the template list", "templates-unavailable"
    keeps_changes = True


class TemplatesUnreachable(TemplatesUnavailable):
    """Meta could not be reached for the template list (network, DNS, a timeout): nothing was refused,
    so the problem says to try again rather than to check the account's settings."""

    title = "Meta could not be reached for the template list"


class InvalidTemplateReply(InvalidInput):
    title, slug = "Not a template that can be sent", "invalid-template-reply"
