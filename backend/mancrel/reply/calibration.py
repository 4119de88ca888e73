"""Calibration from real traffic: how often people accepted the drafts, per confidence band and per
intent, and what share would have gone out on its own at each threshold.

"Accepted" is approved or edited (the intent and the facts were right enough to send); "unchanged"
is approved as drafted; rejected is neither. Only suggestions a person reviewed count for
precision; coverage counts every decided message, reviewed or not.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.reply.models import SuggestionStatus
from mancrel.reply.repository import SuggestionRepository

BANDS = [(0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0001)]
THRESHOLDS = [0.6, 0.7, 0.8, 0.85, 0.9, 0.95]


@dataclass
class Tally:
    reviewed: int = 0
    accepted: int = 0
    unchanged: int = 0

    def add(self, status: str) -> None:
        self.reviewed += 1
        self.accepted += status in (SuggestionStatus.approved, SuggestionStatus.edited)
        self.unchanged += status == SuggestionStatus.approved

    def as_json(self) -> dict:
        def share(n: int) -> float | None:
            return round(n / self.reviewed, 4) if self.reviewed else None

        return {"reviewed": self.reviewed, "accepted": self.accepted, "unchanged": self.unchanged,
                "precision": share(self.accepted), "unchanged_share": share(self.unchanged)}


async def report(session: AsyncSession) -> dict:
    repo = SuggestionRepository(session)
    reviewed, decided = await repo.reviewed(), await repo.decided_confidences()
    bands = {band: Tally() for band in BANDS}
    intents: dict[str, Tally] = {}
    for intent, confidence, status in reviewed:
        next(t for (low, high), t in bands.items() if low <= confidence < high).add(status)
        intents.setdefault(intent, Tally()).add(status)
    thresholds = []
    for threshold in THRESHOLDS:
        above = Tally()
        for _, confidence, status in reviewed:
            if confidence >= threshold:
                above.add(status)
        covered = sum(c >= threshold for c in decided)
        thresholds.append({"threshold": threshold, "auto_send_share": round(covered / len(decided), 4)
                           if decided else None, **above.as_json()})
    return {"decided": len(decided), "reviewed": len(reviewed),
            "bands": [{"low": low, "high": min(high, 1.0), **t.as_json()} for (low, high), t in bands.items()],
            "intents": {intent: t.as_json() for intent, t in sorted(intents.items())},
            "thresholds": thresholds}
