from mancrel.core.errors import Conflict, InvalidInput, NotFound


class TeamNotFound(NotFound):
    title = "Team not found"
    slug = "team-not-found"


class TeamNameTaken(Conflict):
    title = "A team with this name exists"
    slug = "team-name-taken"


class IntentOwned(Conflict):
    """An intent is answered by one team; take it from the other team first."""

    title = "The intent belongs to another team"
    slug = "intent-owned-by-another-team"


class UnknownMember(InvalidInput):
    title = "No such active user"
    slug = "unknown-team-member"
