"""Moving a task's wording and deadline to a later plan year.

"Quý II/2025" → "Quý II/2026", "Trước ngày 15/12/2025" → "Trước ngày 15/12/2026", "Kế hoạch đầu tư
công năm 2026" (in the 2025 plan) → "… năm 2027". The plan year and the years either side of it move
by the same number of years; years that name something already fixed do not: a document's citation
("Quyết định số 24/2018/QĐ-UBND ngày 27/7/2018", "Nghị định 107/2020/NĐ-CP"), the date a body issued
something ("ngày 10/11/2021 của Ban Thường vụ Tỉnh ủy") and a period ("giai đoạn 2022 - 2025").
A 29 February that the new year lacks becomes 28 February.

Phrases without a year ("Tháng 12", "Thường xuyên", "Hằng quý", "Khi có văn bản chỉ đạo") stay as
written: the grammar reads them in the new plan's year. `shift_deadline` returns the moved text and
its milestones as the grammar reads them in the new year (`cchc.core.deadlines.parse_deadline`).
"""

from __future__ import annotations

import calendar
import re

from cchc.core.deadlines import Milestone, parse_deadline
from cchc.core.text import fold

__all__ = ["shift_deadline", "shift_milestone", "shift_years"]

_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?!\d)")
_DMY = re.compile(r"(?<![\d/])(?P<d>\d{1,2})(?P<s1>\s*[/.-]\s*)(?P<m>\d{1,2})(?P<s2>\s*[/.-]\s*)(?P<y>(?:19|20)\d\d)(?!\d)")
# "24/2018/QĐ-UBND", "số 120/2020/NĐ-CP": the year of a document number.
_NUMBERED = re.compile(r"\d+\s*/\s*$")
_NUMBER_TAIL = re.compile(r"^\s*/\s*[A-Za-zĐđ]")
# "ngày 07/10/2020 của Chính phủ", "Quyết định … ngày 21/7/2021": a document's own date.
_ISSUED_AFTER = re.compile(r"^\s*,?\s*(?:cua|do)\b")
_CITED_BEFORE = re.compile(
    r"\b(?:quyet dinh|ke hoach|cong van|nghi quyet|nghi dinh|thong tu|chi thi|van ban|luat|so)\b[^;:]{0,60}"
    r"\bngay\s*$"
)
_RANGE_BEFORE = re.compile(r"(?:\d{4}\s*(?:-|den|toi)\s*|giai doan\s*(?:tu\s*)?(?:nam\s*)?)$")
_RANGE_AFTER = re.compile(r"^\s*(?:-|den|toi)\s*(?:nam\s*)?\d{4}")


def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded if len(folded) == 1 else (" " if not folded else ch.lower()[:1])


def _fixed(folded: str, start: int, end: int, date_start: int) -> bool:
    """Whether the year at [start, end) (of a date starting at date_start) names a fixed thing."""
    before, after = folded[:date_start], folded[end:]
    if _NUMBERED.search(folded[:start]) and _NUMBER_TAIL.match(after):
        return True
    if date_start < start and (_ISSUED_AFTER.match(after) or _CITED_BEFORE.search(before[-90:])):
        return True
    return bool(_RANGE_BEFORE.search(folded[:start]) or _RANGE_AFTER.match(after))


def shift_years(text: str, from_year: int, to_year: int) -> str:
    """The text with the years around `from_year` (the one before, it, the one after) moved by `to_year - from_year`."""
    delta = to_year - from_year
    if not text or delta == 0:
        return text
    folded = "".join(_fold_char(ch) for ch in text)  # one character per character: positions agree
    moving = {from_year - 1, from_year, from_year + 1}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), never overlapping
    in_dates: set[int] = set()
    for match in _DMY.finditer(text):
        in_dates.add(match.start("y"))
        year = int(match["y"])
        if year not in moving or _fixed(folded, match.start("y"), match.end("y"), match.start()):
            continue
        day, new_year = int(match["d"]), year + delta
        if int(match["m"]) == 2 and day == 29 and not calendar.isleap(new_year):
            day = 28
        edits.append((match.start(), match.end(),
                      f"{day:0{len(match['d'])}d}{match['s1']}{match['m']}{match['s2']}{new_year}"))
    for match in _YEAR.finditer(text):
        year = int(match["y"])
        if year in moving and match.start() not in in_dates and not _fixed(folded, match.start(), match.end(), match.start()):
            edits.append((match.start(), match.end(), str(year + delta)))
    out: list[str] = []
    last = 0
    for start, end, replacement in sorted(edits):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def shift_milestone(milestone: Milestone, delta: int) -> Milestone:
    """The milestone `delta` years later (due date moved, 29/02 → 28/02); kinds without a date keep it."""
    if milestone.due is None:
        return milestone
    day = milestone.due.day
    year = milestone.due.year + delta
    if milestone.due.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return Milestone(milestone.label, milestone.kind, milestone.due.replace(year=year, day=day),
                     milestone.recurrence, milestone.deliverable, milestone.text)


def shift_deadline(text: str, from_year: int, to_year: int) -> tuple[str, list[Milestone]]:
    """The deadline phrase moved to the plan year `to_year`, and its milestones read in that year."""
    moved = shift_years(text, from_year, to_year)
    return moved, parse_deadline(moved, to_year)
