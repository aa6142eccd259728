"""Vietnamese number notation: "." groups thousands, "," is the decimal mark."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.statforms import VNNumberError, format_vn_number, is_dash, matches_printed, parse_vn_number
from cchc.core.statforms.numbers import printed_places


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("238.144", Decimal("238144")),
        ("517.417", Decimal("517417")),
        ("12.469.022", Decimal("12469022")),
        ("99,65%", Decimal("99.65")),
        ("99,82 %", Decimal("99.82")),
        ("44,7", Decimal("44.7")),
        ("100", Decimal("100")),
        ("02", Decimal("2")),
        ("0", Decimal("0")),
        ("1.234,5", Decimal("1234.5")),
        ("238144", Decimal("238144")),
        ("238 144", Decimal("238144")),
        (" 7.041 ", Decimal("7041")),
        ("-3", Decimal("-3")),
        ("-1.234,50", Decimal("-1234.50")),
        ("1\u00a0234", Decimal("1234")),
    ],
)
def test_parse(text, value):
    assert parse_vn_number(text) == value


@pytest.mark.parametrize(
    "text", ["1.5", "1,2,3", "1.23.456", "12.3456", "abc", "", "-", "1,", ",5", "99.65%", "1.234.5"]
)
def test_parse_refuses(text):
    with pytest.raises(VNNumberError):
        parse_vn_number(text)


def test_parse_error_message_is_vietnamese():
    with pytest.raises(VNNumberError, match="dấu «.» phân cách hàng nghìn"):
        parse_vn_number("1.5")


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("238144"), 0, "238.144"),
        (Decimal("12469022"), 0, "12.469.022"),
        (Decimal("99.654"), 2, "99,65"),
        (Decimal("99.655"), 2, "99,66"),  # half-up
        (Decimal("90.9375"), 2, "90,94"),
        (Decimal("44.68085"), 1, "44,7"),
        (Decimal("100"), 2, "100,00"),
        (Decimal("0.004"), 2, "0,00"),
        (Decimal("-0.004"), 2, "0,00"),  # no "-0,00"
        (Decimal("-1234.5"), 1, "-1.234,5"),
        (Decimal("999.5"), 0, "1.000"),
        (7041, 0, "7.041"),
        (99.99, 2, "99,99"),
    ],
)
def test_format(value, places, text):
    assert format_vn_number(value, places) == text


def test_format_without_grouping():
    assert format_vn_number(Decimal("238144.5"), 1, grouping=False) == "238144,5"


def test_dash_and_printed_places():
    assert is_dash("-") and is_dash(" – ") and not is_dash("-3") and not is_dash(None)
    assert printed_places("99,99") == 2 and printed_places("44,7%") == 1 and printed_places("2.133") == 0


def test_matches_printed_accepts_rounding_and_truncation_only():
    value = Decimal(238144) * 100 / Decimal(238146)  # 99,99916…
    assert matches_printed(value, "99,99")  # truncated
    assert matches_printed(value, "100,00")  # rounded
    assert not matches_printed(value, "99,98")
    assert matches_printed(Decimal("2133"), "2.133")


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_round_trip(value, places):
    text = format_vn_number(value, places)
    expected = Decimal(format(value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"), "f"))
    assert parse_vn_number(text) == expected
    assert format_vn_number(parse_vn_number(text), places) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_counts(value):
    assert parse_vn_number(format_vn_number(value)) == value
