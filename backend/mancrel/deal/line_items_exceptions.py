from mancrel.core.errors import InvalidInput, NotFound


class LineItemNotFound(NotFound):
    title = "Line item not found"
    slug = "line-item-not-found"


class InvalidLineItem(InvalidInput):
    title = "Invalid line item"
    slug = "invalid-line-item"
