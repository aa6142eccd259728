"""Text helpers shared by every parser: Unicode normalisation and accent folding.

Vietnamese documents arrive NFC, NFD or a mix of both, with several dash characters and
irregular spacing. Parsers compare folded text and keep the original for display.
"""

from __future__ import annotations

import re
import unicodedata

_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Any character `nfc` rewrites; str.translate with a dict is slow on non-ASCII text, so `nfc` only
# replaces when one occurs (the common case is none).
_NFC_REWRITES = re.compile("[\u00a0" + _DASH_CHARS + "]")
# The combining marks Vietnamese uses (U+0300–U+036F, those with a non-zero combining class),
# removed in one pass; any other combining character is found by `_NON_ASCII` below.
_BASIC_MARKS = "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c)))
_COMBINING_BASIC = re.compile("[" + _BASIC_MARKS + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Neither ASCII nor one of those marks: when there is none, dropping every non-ASCII character is
# dropping the marks (and much faster).
_NOT_ASCII_OR_MARK = re.compile("[^\x00-\x7f" + _BASIC_MARKS + "]")


def nfc(text: str) -> str:
    """NFC-normalise, unify dashes and non-breaking spaces; keeps accents and case."""
    text = unicodedata.normalize("NFC", text)
    if _NFC_REWRITES.search(text) is None:
        return text
    for dash in _DASH_CHARS:
        if dash in text:
            text = text.replace(dash, "-")
    return text.replace("\u00a0", " ")


def clean(text: str) -> str:
    """`nfc` plus collapsed whitespace and stripped ends: the form we store and show."""
    return " ".join(nfc(text).split())  # = re.sub(r"\s+", " ", …).strip(): same whitespace set


def fold(text: str) -> str:
    """Accent-free, lower-case, single-spaced form for comparisons ("Sở Nội vụ" -> "so noi vu")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    if _NOT_ASCII_OR_MARK.search(decomposed) is None:
        return " ".join(decomposed.encode("ascii", "ignore").decode("ascii").lower().split())
    stripped = _COMBINING_BASIC.sub("", decomposed)
    if not stripped.isascii():
        marks = {ch for ch in _NON_ASCII.findall(stripped) if unicodedata.combining(ch)}
        if marks:
            stripped = "".join(ch for ch in stripped if ch not in marks)
    return " ".join(stripped.lower().split())
