"""Text helpers shared by every parser: Unicode normalisation and accent folding.

Vietnamese documents arrive NFC, NFD or a mix of both, with several dash characters and
irregular spacing. Parsers compare folded text and keep the original for display.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC-normalise, unify dashes and non-breaking spaces; keeps accents and case."""
    return unicodedata.normalize("NFC", text).translate(_DASHES).replace("\u00a0", " ")


def clean(text: str) -> str:
    """`nfc` plus collapsed whitespace and stripped ends: the form we store and show."""
    return _SPACES.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Accent-free, lower-case, single-spaced form for comparisons ("Sở Nội vụ" -> "so noi vu")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
