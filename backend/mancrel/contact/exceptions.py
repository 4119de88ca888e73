from mancrel.core.errors import Conflict, InvalidInput, NotFound


class ContactNotFound(NotFound):
    title = "Contact not found"
    slug = "contact-not-found"


class DuplicateContact(Conflict):
    """Carries `existing_id` so a client can open the contact that already has the email/phone."""

    title = "A contact with this email or phone exists"
    slug = "duplicate-contact"


class MergeNotFound(NotFound):
    title = "Merge not found"
    slug = "merge-not-found"


class MergeNotUndoable(Conflict):
    title = "This merge cannot be undone"
    slug = "merge-not-undoable"


class InvalidMerge(InvalidInput):
    title = "Invalid merge"
    slug = "invalid-merge"
