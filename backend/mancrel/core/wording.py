"""Counts and ages in words a person reads ("1 message", "3 messages", "today"), so no text built
with an f-string says "1 messages" or "0 days ago". The web app has the same helper in lib/format.ts."""


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """'1 message', '3 messages', '1 complaint or return': the count and the word that fits it.
    Irregular or multi-word forms are passed whole ('complaints or returns')."""
    shown = f"{count:.0f}" if isinstance(count, float) else str(count)
    word = singular if shown == "1" else (plural_form or f"{singular}s")
    return f"{shown} {word}"


def days_ago(days: float) -> str:
    """'today', 'yesterday', '5 days ago' for an age in days (rounded as a person would count it)."""
    whole = round(days)
    if whole <= 0:
        return "today"
    return "yesterday" if whole == 1 else f"{whole} days ago"


def percent(share: float) -> str:
    """A confidence or threshold as a person reads it, rounded down to one decimal ('89.9%', '90%'),
    so a confidence of 0.8990 never reads as reaching a 0.90 threshold (lib/format.ts formatConfidence)."""
    tenths = int(round(share * 100_000) // 100) / 10
    return f"{tenths:.0f}%" if tenths == int(tenths) else f"{tenths:.1f}%"
