from mancrel.core.errors import Conflict, NotFound


class UserNotFound(NotFound):
    title = "User not found"
    slug = "user-not-found"


class EmailTaken(Conflict):
    title = "Email already in use"
    slug = "email-taken"
