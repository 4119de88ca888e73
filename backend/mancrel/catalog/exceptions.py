from mancrel.core.errors import AppError, Conflict, InvalidInput, NotFound, Unauthorized


class ProductNotFound(NotFound):
    title = "Product not found"
    slug = "product-not-found"


class SourceNotFound(NotFound):
    title = "Catalogue source not found"
    slug = "catalog-source-not-found"


class SourceNameTaken(Conflict):
    title = "A catalogue source with this name exists"
    slug = "catalog-source-name-taken"


class InvalidSourceSettings(InvalidInput):
    title = "Invalid catalogue source settings"
    slug = "invalid-catalog-source"


class InvalidSignature(Unauthorized):
    """401 without a Bearer challenge: webhook senders sign, they do not sign in."""

    title = "Invalid webhook signature"
    slug = "invalid-webhook-signature"

    def __init__(self, detail: str | None = None) -> None:
        AppError.__init__(self, detail)


class PollInProgress(Conflict):
    title = "A poll of this source is already running"
    slug = "catalog-poll-in-progress"


class DeliveryNotStored(AppError):
    """The batch holding the delivery failed to commit: nothing of it was stored."""

    status, title, slug = 503, "Delivery not stored", "delivery-not-stored"

    def __init__(self) -> None:
        super().__init__("The delivery could not be stored; send it again.", headers={"Retry-After": "1"})
