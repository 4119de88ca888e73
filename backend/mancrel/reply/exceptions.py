from mancrel.core.errors import Conflict, InvalidInput, NotFound


class SuggestionNotFound(NotFound):
    title = "Suggestion not found"
    slug = "suggestion-not-found"


class SuggestionNotPending(Conflict):
    title = "This suggestion is not waiting for approval"
    slug = "suggestion-not-pending"


class AlreadyAnswered(Conflict):
    """A person (or another suggestion) answered the conversation after the draft's message: sending the
    draft would answer twice. The draft's retirement (`superseded`) is kept; nothing is sent."""

    title = "This message was already answered"
    slug = "suggestion-already-answered"
    keeps_changes = True


class UngroundedReply(InvalidInput):
    """The reply states something the catalogue or the knowledge entries do not: `failed_claims` lists it."""

    title = "The reply is not grounded in the facts"
    slug = "ungrounded-reply"


class KnowledgeEntryNotFound(NotFound):
    title = "Knowledge entry not found"
    slug = "knowledge-entry-not-found"


class KnowledgeTopicTaken(Conflict):
    title = "A knowledge entry with this topic exists"
    slug = "knowledge-topic-taken"


class NotAutoSent(Conflict):
    title = "This reply was not sent automatically"
    slug = "suggestion-not-auto-sent"
