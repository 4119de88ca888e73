"""What a custom-field number like `1e300000` cost before the bound, and what refusing it costs now.

    cd bench/input && ../../.venv/bin/python bounds.py

Before (issue #24): `int(Decimal(value))` ran on the event loop for every `cf.<key>=` filter and
custom value; its cost grows with the exponent. Now `parse_decimal` refuses it by counting digits.
"""

import contextlib
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backend"))

from mancrel.core.types import parse_decimal


def old_coerce(text: str) -> None:
    number = Decimal(text)
    int(number) if number == number.to_integral_value() else float(number)


def main() -> None:
    for exponent in (10_000, 30_000, 100_000, 300_000):
        started = time.perf_counter()
        old_coerce(f"1e{exponent}")
        print(f"before: 1e{exponent}: {time.perf_counter() - started:.3f} s of event loop")
    rounds = 10_000
    started = time.perf_counter()
    for _ in range(rounds):
        with contextlib.suppress(ValueError):
            parse_decimal("1e300000", max_digits=15)
    print(f"now: 1e300000 refused in {(time.perf_counter() - started) / rounds * 1e6:.1f} us")


if __name__ == "__main__":
    main()
