"""Vietnamese number notation: "." groups thousands, "," is the decimal mark.

    parse_vn_number("238.144")      -> Decimal("238144")
    parse_vn_number("99,65%")       -> Decimal("99.65")
    parse_vn_number("12.469.022")   -> Decimal("12469022")
    format_vn_number(Decimal("99.654"), 2) -> "99,65"

Parsing is strict: a "." must be followed by exactly three digits (so "1.5" is rejected rather
than silently read as 15 or 1.5), and a lone "-" is the table's "nothing reported" dash, not a
number (see `is_dash`). Rounding when formatting is half-up, the way reports are written by hand.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from cchc.core.text import clean

__all__ = [
    "VNNumberError",
    "format_vn_number",
    "is_dash",
    "matches_printed",
    "parse_vn_number",
    "printed_places",
]

# Optional sign, integer part with "." (or space) thousands groups or none, optional ",decimals".
_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)(?P<int>\d{1,3}(?:(?P<sep>[. ])\d{3})(?:(?P=sep)\d{3})*|\d+)(?:,(?P<frac>\d+))?$"
)
_DASHES = {"-", "--", "–", "—"}


class VNNumberError(ValueError):
    """A text that is not a Vietnamese-notation number; the message is Vietnamese."""


def is_dash(text: str | None) -> bool:
    """True for the "-" a table prints in a cell where nothing was reported."""
    return text is not None and clean(text) in _DASHES


def _normalise(text: str) -> tuple[str, bool]:
    s = clean(text).replace("\u202f", " ").replace("\u2009", " ")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    return s, percent


def parse_vn_number(text: str | int | Decimal) -> Decimal:
    """Parse "238.144", "99,65%", "1.234,5", "02" or "-3" into a Decimal (the "%" is dropped)."""
    if isinstance(text, bool):
        raise VNNumberError(f"Giá trị «{text}» không phải là số.")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if not isinstance(text, str):
        raise VNNumberError(f"Giá trị «{text!r}» không phải là số.")
    s, _ = _normalise(text)
    if not s:
        raise VNNumberError("Ô số liệu để trống, không phải là số.")
    if s in _DASHES:
        raise VNNumberError("Ô số liệu ghi «-» (không có số liệu), không phải là số.")
    m = _NUMBER.match(s)
    if not m:
        raise VNNumberError(
            f"«{text.strip()}» không đúng cách viết số: dấu «.» phân cách hàng nghìn "
            "(nhóm 3 chữ số), dấu «,» ngăn cách phần thập phân, ví dụ 238.144 hoặc 99,65."
        )
    digits = re.sub(r"[. ]", "", m["int"])
    literal = f"{m['sign']}{digits}" + (f".{m['frac']}" if m["frac"] else "")
    try:
        return Decimal(literal)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise VNNumberError(f"«{text}» không phải là số.") from exc


def printed_places(text: str) -> int:
    """Number of decimals a printed value shows: "99,99" -> 2, "44,7%" -> 1, "100" -> 0."""
    s, _ = _normalise(text)
    return len(s.split(",", 1)[1]) if "," in s else 0


def _quantize(value: Decimal, places: int, rounding: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def format_vn_number(value: Decimal | int | float, places: int = 0, grouping: bool = True) -> str:
    """Format with "." thousands groups and "," decimals, rounded half-up to `places`."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    q = _quantize(Decimal(value), places, ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no "-0,00"
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    if grouping:
        head = len(whole) % 3 or 3
        whole = ".".join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])
    return sign + whole + (f",{frac}" if places > 0 else "")


def matches_printed(value: Decimal, printed: str) -> bool:
    """True when `printed` is `value` at the printed precision, rounded half-up or truncated.

    Reports are typed by hand: seed 003 rounds some ratios (90,9375 -> 90,94) and truncates
    others (99,99916 -> 99,99). Both are "equal at printed precision"; anything else is not.
    """
    places = printed_places(printed)
    target = parse_vn_number(printed)
    return target in (_quantize(value, places, ROUND_HALF_UP), _quantize(value, places, ROUND_DOWN))
