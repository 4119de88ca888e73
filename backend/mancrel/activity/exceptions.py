from mancrel.core.errors import Conflict, InvalidInput, NotFound


class ActivityNotFound(NotFound):
    title = "Activity not found"
    slug = "activity-not-found"


class InvalidActivity(InvalidInput):
    title = "Invalid activity"
    slug = "invalid-activity"


class ActivityNotDeleted(Conflict):
    title = "Activity is not deleted"
    slug = "activity-not-deleted"
