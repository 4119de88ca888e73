from mancrel.core.errors import Conflict, Forbidden, InvalidInput, NotFound


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


class MergeNeedsManager(Forbidden):
    """The contact to merge away carries deals or activities of someone else: taking them onto
    the acting rep's contact would hand another rep's work to them, so only a manager may."""

    title = "A manager must do this merge"
    slug = "merge-needs-manager"
