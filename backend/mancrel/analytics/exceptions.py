from mancrel.core.errors import InvalidInput


class InvalidRange(InvalidInput):
    title, slug = "Invalid date range", "invalid-date-range"
