"""The shared input rules themselves: cursors fail closed, bounds cost nothing, the contract is published."""

import base64
import json
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mancrel.core.pagination import InvalidCursor, decode_cursor, encode_cursor
from mancrel.core.types import parse_decimal
from mancrel.customfield.schemas import CustomFieldCreate


def raw_cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


@pytest.mark.parametrize(("values", "parser"), [
    (["garbage"], Decimal),  # InvalidOperation is not a ValueError
    (["sNaN"], Decimal),
    (["1e300000"], Decimal),
    (["9" * 4000], int),
    ([str(2**31)], int),
    (["0001-01-01T00:00:00+00:30"], datetime.fromisoformat),
    (["a\x00b"], str),
    ([{"nested": 1}], str),
])
def test_a_tampered_cursor_is_an_invalid_cursor_whatever_the_parser_raises(values, parser):
    with pytest.raises(InvalidCursor):
        decode_cursor(raw_cursor(values), [parser])


def test_a_cursor_the_list_gave_out_still_decodes():
    when = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
    cursor = encode_cursor([when, Decimal("1250.00"), 7, "Lovelace"])
    assert decode_cursor(cursor, [datetime.fromisoformat, Decimal, int, str]) == [
        when, Decimal("1250.00"), 7, "Lovelace"]


def test_refusing_a_huge_exponent_takes_microseconds():
    started = time.perf_counter()
    for _ in range(1000):
        with pytest.raises(ValueError, match="digits"):
            parse_decimal("1e300000", max_digits=15)
    assert time.perf_counter() - started < 1.0  # int(Decimal("1e300000")) alone takes seconds


def test_the_openapi_contract_tells_clients_the_bounds():
    schema = CustomFieldCreate.model_json_schema()["properties"]
    assert schema["label"]["pattern"] == r"^[^\x00]*$"
    assert schema["label"]["maxLength"] == 200
    assert schema["position"]["maximum"] == 2**31 - 1
