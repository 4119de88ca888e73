"""Durations as log-bucket histograms, so a median over any range of days is one merge away.

A duration of `s` seconds falls in bucket floor(32 * log2(s)) (1 s and less in bucket 0): each
bucket is 2^(1/32), about 2.2 %, wide, and a percentile read back as the bucket's geometric
middle is within 1.1 % of the true value. Exact percentiles would need every sample at query
time (one row per reply over a year is millions of rows); a dashboard gains nothing from the
last percent, and the API answers in milliseconds instead.
"""

import math
from collections.abc import Iterable, Mapping

STEPS_PER_DOUBLING = 32



def bucket_of(seconds: float) -> int:
    return 0 if seconds <= 1 else math.floor(STEPS_PER_DOUBLING * math.log2(seconds))


def representative(bucket: int) -> float:
    """The geometric middle of the bucket (bucket 0 stands for one second or less)."""
    if bucket <= 0:
        return 1.0
    return 2 ** ((bucket + 0.5) / STEPS_PER_DOUBLING)


def merge(histograms: Iterable[Mapping[str, int]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for histogram in histograms:
        for bucket, count in histogram.items():
            total[int(bucket)] = total.get(int(bucket), 0) + int(count)
    return total


def percentile(histogram: Mapping[int, int], q: float) -> float | None:
    """The nearest-rank percentile: the value of the ceil(q * n)-th smallest sample."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank, seen = max(1, math.ceil(q * n)), 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return representative(bucket)
    raise AssertionError("unreachable: the ranks add up to n")
