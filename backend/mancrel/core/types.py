"""Bounded input types: one rule, at the API's edge, for what our tables and Python can hold.

Use these instead of bare `str`, `int`, `Decimal` and `datetime` in every request schema and
query parameter. Each refuses, with a 422 naming the field and in microseconds, a value that
would otherwise reach PostgreSQL or Python's arithmetic and end in a 500 or a frozen event loop:

- `Text`: refuses NUL (U+0000). PostgreSQL's `text` and `jsonb` cannot store it, so a name,
  subject, tag or search term holding one used to fail at the database. Length limits stay the
  field's own: `name: Text = Field(min_length=1, max_length=200)`. The OpenAPI document says so
  with a `pattern`, so generated clients and fuzzers know the rule.
- `Int32`, `NonNegativeInt32`: PostgreSQL's `integer` range; `2**31` used to reach asyncpg.
- `bounded_decimal(...)`: finite, with a bounded number of digits. `Decimal("1e300000")`
  costs nothing to parse, but turning it into an integer grows quadratically with the exponent,
  and PostgreSQL's `numeric` refuses it anyway.
- `UtcDateTime`: any offset accepted, returned in UTC (naive means UTC), and only inside the
  range that both Python and PostgreSQL can represent once converted, with a day's margin so
  "the day before/after" arithmetic cannot overflow. `0001-01-01T00:00:00+01:00` is year 0 in
  UTC and used to crash the driver.

`no_nul`, `utc_datetime`, `check_number` are the same rules as plain functions, for values that
do not pass through a schema (cursors, `cf.<key>` query parameters, CSV cells).
"""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

NUL = "\x00"
NO_NUL_PATTERN = r"^[^\x00]*$"
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# A day inside Python's datetime range: conversions between offsets and +/- one day stay valid.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


def no_nul(value: str) -> str:
    """`value` unchanged, or ValueError when it holds a NUL character."""
    if NUL in value:
        raise ValueError("must not contain NUL (U+0000) characters")
    return value


class _NoNulJsonSchema:
    """Adds the NUL rule to the field's JSON schema without replacing its other constraints."""

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        if schema.get("type") == "string":
            schema.setdefault("pattern", NO_NUL_PATTERN)
        return schema


Text = Annotated[str, AfterValidator(no_nul), _NoNulJsonSchema()]
"""A string without NUL characters; add `Field(max_length=...)` where it is declared."""

Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
NonNegativeInt32 = Annotated[int, Field(ge=0, le=INT32_MAX)]


def utc_datetime(value: datetime) -> datetime:
    """`value` in UTC (naive taken as UTC), or ValueError outside the representable range."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        converted = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("date out of range once converted to UTC") from exc
    if not EARLIEST <= converted <= LATEST:
        raise ValueError("date out of range (0001-01-02 to 9999-12-30 UTC)")
    return converted


UtcDateTime = Annotated[datetime, AfterValidator(utc_datetime)]
"""An aware datetime in UTC, inside the range PostgreSQL and Python share (with a day's margin)."""


def check_number(value: Decimal, *, max_digits: int, decimal_places: int | None = None) -> Decimal:
    """`value` when finite with at most `max_digits` significant digits (and `decimal_places` after
    the point); ValueError otherwise. The cost does not grow with the exponent."""
    if not value.is_finite():
        raise ValueError("must be a finite number")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    length = len(digits)
    while length > 1 and digits[length - 1] == 0:  # trailing zeros ("1.500") are not precision
        length -= 1
    exponent += len(digits) - length
    places = max(-exponent, 0)
    if decimal_places is not None and places > decimal_places:
        raise ValueError(f"at most {decimal_places} decimal places")
    if max(length + exponent, 0) + places > max_digits:
        raise ValueError(f"at most {max_digits} digits")
    return value


def parse_decimal(text: str, *, max_digits: int, decimal_places: int | None = None) -> Decimal:
    """A decimal from text, refusing garbage and out-of-bound values with ValueError."""
    if len(text) > 100:
        raise ValueError("number too long")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("not a number") from exc
    return check_number(value, max_digits=max_digits, decimal_places=decimal_places)


def bounded_decimal(*, max_digits: int, decimal_places: int | None = None, **field: Any) -> Any:
    """An Annotated Decimal: finite, at most `max_digits` digits (pydantic checks these in
    microseconds, whatever the exponent), plus any other `Field` constraints such as `ge=0`."""
    return Annotated[Decimal, Field(max_digits=max_digits, decimal_places=decimal_places, allow_inf_nan=False,
                                    **field)]

Tag = Annotated[Text, Field(max_length=50)]
"""One tag of a record (the `tags` columns are `varchar(50)[]`)."""
