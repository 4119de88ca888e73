from mancrel.core.errors import Conflict, InvalidInput, NotFound


class DealNotFound(NotFound):
    title = "Deal not found"
    slug = "deal-not-found"


class InvalidDeal(InvalidInput):
    title = "Invalid deal"
    slug = "invalid-deal"


class DealNotDeleted(Conflict):
    title = "Deal is not deleted"
    slug = "deal-not-deleted"
