"""Board order by gap-numbered ranks.

Each card's rank leaves a wide gap to its neighbours, so dropping a card between two
others writes only that card (the midpoint of their ranks). Only when a gap is used up
(after ~20 drops into the very same slot) is the one stage renumbered, in one UPDATE.
"""

GAP = 1 << 20


def rank_between(before: int | None, after: int | None) -> int | None:
    """A rank strictly between two neighbours (None: no neighbour on that side).

    Returns None when there is no room left, and the stage must be respaced first.
    """
    if before is None and after is None:
        return 0
    if before is None:
        assert after is not None
        return after - GAP
    if after is None:
        return before + GAP
    if after - before < 2:
        return None
    return (before + after) // 2
