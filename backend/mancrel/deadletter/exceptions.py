from mancrel.core.errors import Conflict, NotFound


class DeadLetterNotFound(NotFound):
    title, slug = "Dead letter not found", "dead-letter-not-found"

    def __init__(self, dead_letter_id: object) -> None:
        super().__init__(f"No dead letter {dead_letter_id}.")


class AlreadyReplayed(Conflict):
    title, slug = "Already replayed", "dead-letter-already-replayed"

    def __init__(self, dead_letter_id: object) -> None:
        super().__init__(f"Dead letter {dead_letter_id} was already replayed; its new job has its own fate.")
