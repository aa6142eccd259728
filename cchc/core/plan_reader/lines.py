"""The line model: every non-blank input line with its 1-based number and normalised forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cchc.core.text import fold as _fold
from cchc.core.text import nfc

# `cchc.core.text.fold`, memoised: the reader folds the same short strings many times.
fold = lru_cache(maxsize=1 << 16)(_fold)

_LINE_SPLIT = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0c")


@dataclass(slots=True)
class Line:
    no: int  # 1-based line number in the input text
    raw: str  # NFC text with tabs kept, trailing whitespace removed
    text: str  # `clean` form (single spaces)
    fold: str  # accent-free lower-case form
    gap: bool  # a blank line precedes it
    indent: bool  # starts with whitespace

    @property
    def is_tabbed(self) -> bool:
        return "\t" in self.raw

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.no}: {self.text[:60]!r}>"


def split_lines(text: str) -> list[Line]:
    """Non-blank lines of ``text`` (any line ending), normalised, numbered from 1."""
    out: list[Line] = []
    gap = True
    # `nfc` once for the whole text: line breaks are stable code points, so this is `nfc` per line;
    # and a line already `nfc` needs only its spaces collapsed to be `clean`.
    for no, raw in enumerate(_LINE_SPLIT.split(nfc(text)), start=1):
        raw = raw.rstrip()
        if not raw:
            gap = True
            continue
        txt = " ".join(raw.split())
        out.append(Line(no, raw, txt, fold(txt), gap, raw[:1].isspace()))
        gap = False
    return out


def double_spaced(lines: list[Line]) -> bool:
    """True when the text separates almost every line by a blank line (PDF extractions do):
    then two lines with no blank between them mark a block (cell) boundary."""
    if len(lines) < 20:
        return False
    return sum(1 for ln in lines if ln.gap) / len(lines) > 0.6
