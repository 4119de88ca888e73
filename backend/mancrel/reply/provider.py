"""The `ReplyProvider` interface: what drafting gets in and gives back, whoever writes the text."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from mancrel.reply.facts import Facts


@dataclass(frozen=True)
class DraftRequest:
    intent: str
    language: str          # ISO 639-1, from the classifier
    customer_name: str     # first name; "" when unknown
    customer_text: str     # the customer's own words (no quoted history, no signature)
    facts: Facts
    signature: str


@dataclass
class Draft:
    text: str | None            # None: nothing this provider may say; `reason` says why
    provider: str
    model_version: str
    prompt_version: str
    reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)


class ReplyProvider(Protocol):
    name: str

    async def draft(self, request: DraftRequest) -> Draft: ...


def greeting(name: str) -> str:
    return f"Hi {name}," if name else "Hello,"


def closing(signature: str) -> str:
    return f"Best regards,\n{signature}"
