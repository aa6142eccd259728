"""The deadline grammar: a plan task's free-text "Thời gian hoàn thành" → milestones.

Kept pure, small and exhaustively tested (the idea of Healthchecks' ``hc/lib/cronsim.py``): no Django,
no I/O, and `parse_deadline` never raises. DOMAIN.md §5 lists the forms. Matching runs on folded
text (no accents, lower case, see `cchc.core.text.fold`); labels and phrases are kept as printed.

Principle: a phrase the grammar does not fully understand becomes kind "unknown" (flagged for review)
or "event" (no date until someone records it) — never a guessed date.

    >>> [m.as_json()["due"] for m in parse_deadline("Quý II và Quý IV/2022", 2022)]
    ['2022-06-30', '2022-12-31']
"""

from __future__ import annotations

import calendar
import datetime
import html
import re
from dataclasses import dataclass

from cchc.core.text import clean, fold, nfc

__all__ = ["KINDS", "PERIODS", "Milestone", "parse_deadline"]

KINDS: tuple[str, ...] = ("date", "month", "quarter", "year", "ongoing", "recurring", "event", "unknown")
#: Recurrence period keys, in canonical order (a recurrence tuple is always sorted by this order).
PERIODS: tuple[str, ...] = ("monthly", "quarterly", "semiannual", "nine_months", "annual")


@dataclass(frozen=True)
class Milestone:
    """One deadline of a task; a time cell may hold several ("- Kế hoạch: …; - Báo cáo: …")."""

    label: str  # "" when the phrase is not labelled
    kind: str  # one of KINDS
    due: datetime.date | None
    recurrence: tuple[str, ...] | None  # period keys; None unless recurring (or ongoing with a period)
    deliverable: str = ""  # product named by the label ("Báo cáo kết quả khảo sát")
    text: str = ""  # the source phrase of this milestone, cleaned

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "recurrence": list(self.recurrence) if self.recurrence is not None else None,
            "deliverable": self.deliverable,
            "text": self.text,
        }


def parse_deadline(text: str, year: int) -> list[Milestone]:
    """Milestones of a deadline phrase in a plan of `year`; never raises, never returns [].

    A missing year is the plan's year; a month or quarter is due on its last day, a year on 31/12.
    """
    try:
        return _parse(text, year)
    except Exception:  # a safety net only: the grammar below is written not to raise
        return [Milestone("", "unknown", None, None, text=_safe_text(text))]


# --------------------------------------------------------------------------- vocabulary (folded text)

# A deadline cue right before an anchor: it states a due date even next to an event phrase.
_CUE_BEFORE = re.compile(
    r"\b(?:truoc|cham nhat|han|hoan thanh|trong|vao|cuoi|den|toi|het)\s*(?:ngay|thang|qu[yi]|nam)?\s*$"
)
# A start marker: the anchor is when something begins, not when it is due.
_START_BEFORE = re.compile(r"\b(?:sau|tu|ke tu|bat dau|ke ca)\s*(?:ngay|thang|qu[yi]|nam)?\s*$")
# "đầu tháng 12", "giữa năm 2022": the due date inside the period is not stated.
_VAGUE_BEFORE = re.compile(r"\b(?:dau|giua|nam hoc|nien khoa)\s*(?:ngay|thang|qu[yi]|nam)?\s*$")

_DOC_NOUN = (
    r"(?:quyet dinh|ke hoach|cong van|nghi quyet|nghi dinh|thong tu|chi thi|van ban|to trinh|thong bao|"
    r"huong dan|chuong trinh|de an|luat)"
)
_DATE_TAIL = r"ngay\s*\d{0,2}\s*(?:[/.-]|thang)\s*\d{0,2}\s*(?:[/.-]|nam)\s*\d{4}"
_DMY = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
# "Quyết định số 2725/QĐ-UBND ngày 21/7/2021", "24/2018/QĐ-UBND", "số /QĐ-UBND ngày tháng năm 2021",
# "Công văn số 7599/UBND-THKH 30/5/2024", "Nghị quyết số 57-NQ/TW ngày 22/12/2024".
_CITATION = re.compile(
    r"(?:(?:\bso\s*(?:hieu\s*)?\d*|\b\d+)\s*(?:/\s*\d{4}\s*)?/\s*[a-z][a-z0-9&]*(?:\s*-\s*[a-z0-9&]+)*"
    r"|\b\d+\s*-\s*[a-z][a-z0-9&]*\s*/\s*[a-z][a-z0-9&]*(?:\s*-\s*[a-z0-9&]+)*)"
    rf"(?:\s*,?\s*(?:{_DATE_TAIL}|{_DMY}))?"
)
# "…ngày 10/7/2023 của Chính phủ": the date a body issued something (unless a deadline cue precedes).
_ISSUED_DATE = re.compile(
    rf"(?P<date>(?:\bngay\s*)?(?<![/\w.]){_DMY})\s*,?\s*cua\s+(?:chinh phu|thu tuong|bo|ubnd|uy ban|hdnd|"
    r"hoi dong|tinh uy|huyen uy|dang uy|ban|van phong|so|quoc hoi|trung uong|tong cuc|cuc)\b"
)
# "Kế hoạch của UBND tỉnh ngày 22/12/2025": a document's own date, unless a deadline cue intervenes.
_CITATION_DATE = re.compile(
    rf"\b{_DOC_NOUN}\b(?:(?!truoc|cham nhat|\bhan\b|hoan thanh|\bvao\b|\bden\b|\btrong\b)[^;]){{0,80}}?"
    rf"(?P<date>\b{_DATE_TAIL})"
)
# "Năm 2022 và các năm tiếp theo": a yearly task from that year on.
_FOLLOWING_YEARS = re.compile(r"\b(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau|ke\s+tiep|tiep)\b")
# Time relative to something else: the due date depends on another date, so we do not compute it.
_RELATIVE = re.compile(
    r"\b(?:nam|qu[yi]|thang|tuan)\s+(?:sau\b(?!\s*(?:khi|cuoc|do))|toi\b|tiep\s+theo|ke\s+tiep|"
    r"truoc\b(?!\s*(?:ngay|\d|thang|qu[yi]|khi|ky)))"
    r"|\bke\s+tu\b|\b(?:sau|trong(?:\s+vong)?|chua\s+qua|khong\s+qua)\s+\d+\s*(?:ngay|thang|nam|tuan)"
    r"|\b\d+\s*(?:ngay|thang|nam|tuan)\s+(?:sau|ke\s+tu|lam\s+viec)\b"
)
_EVENT = re.compile(
    r"\b(?:khi|ngay sau|sau (?:khi|cuoc|dot|ky|do|moi)|ket thuc|dot xuat|tuy (?:theo|thuoc)|phu thuoc|"
    r"theo (?:huong dan|quy dinh|ke hoach|lo trinh|yeu cau|chi dao|tien do|thoi gian|thoi han|van ban|"
    r"thong bao|de nghi|chuong trinh|quyet dinh|cong van|nghi quyet|nghi dinh|thong tu|chi thi|muc tieu|"
    r"phan cong|de an|lich|su chi dao))\b"
)
_ONGOING = re.compile(r"\b(?:thuong xuyen|lien tuc|hang ngay|moi ngay|hang tuan|moi tuan)\b")
_DINH_KY = re.compile(r"\b(?:theo\s+)?dinh\s+k[yi]\b")

# One period word of a recurrence list: "quý", "6 tháng", "9 tháng", "năm", "cả năm", "hằng năm"…
_PERIOD = (
    r"(?:(?:hang|moi)\s+)?(?:"
    r"(?:0?6|sau)\s*thang(?:\s+(?:dau|cuoi)\s+nam(?!\s*[/.-]?\s*\d))?"
    r"|(?:0?9|chin)\s*thang(?:\s+dau\s+nam(?!\s*[/.-]?\s*\d))?"
    r"|(?:0?3|ba)\s*thang"
    r"|(?:ca\s+|cuoi\s+)?nam(?!\s*[/.-]?\s*\d)"
    # "quý" the period, not "quy định", "quy chế"… (nor a numbered quarter, an anchor)
    r"|qu[yi]\b(?!\s*(?:[ivxl]+\b|\d|dinh|che\b|trinh|hoach|mo\b|luat|tac\b|doi\b|chuan|uoc|pham|cach|tu\b))"
    r"|thang(?!\s*[/.-]?\s*\d))"
)
_RECURRENCE = re.compile(
    r"(?:\b(?:theo\s+)?dinh\s+k[yi]\s*(?:(?:theo|vao|hang|moi)\s+)?|(?<!ngan )(?<!khach )(?<!mat )\bhang\s+"
    rf"|\bmoi\s+)(?P<list>{_PERIOD}(?:\s*(?:,|va|hoac)\s*{_PERIOD})*)"
)
_PERIOD_ITEM = re.compile(_PERIOD)

# Anchors. The year suffix "/2022", "- 2022", " năm 2022", " của năm 2022".
_YEAR_SUFFIX = r"(?:\s*[/.-]\s*|\s+(?:cua\s+)?nam\s+)(?P<y>\d{4})\b"
_NO_TAIL = r"(?!\s*/|\w|\.\d)"  # not followed by more of a number ("6/22", "02/2o22")
_Q_ITEM = r"(?:[ivxl]+|\d{1,2})\b(?!\s*thang)"
_M_ITEM = r"\d{1,2}\b(?!\s*thang)"
_LIST_SEP = r"\s*(?:,|va|hoac|-|den|toi)\s*"
_QUARTERS = re.compile(
    rf"\bqu[yi]\s*(?P<items>{_Q_ITEM}(?:{_LIST_SEP}(?:qu[yi]\s*)?{_Q_ITEM})*)(?:{_YEAR_SUFFIX})?{_NO_TAIL}"
)
_Q_SHORT = re.compile(rf"\bq\.?\s*(?P<items>iv|iii|ii|i|[1-4])\s*[/.-]\s*(?P<y>\d{{4}})\b{_NO_TAIL}")
_MONTHS = re.compile(
    rf"\bthang\s*(?P<items>{_M_ITEM}(?:{_LIST_SEP}(?:thang\s*)?{_M_ITEM})*)(?:{_YEAR_SUFFIX})?{_NO_TAIL}"
)
_ITEM_SPLIT = re.compile(r"\s*(,|va|hoac|-|den|toi)\s*(?:qu[yi]|thang)?\s*")
_DATE_DMY = re.compile(
    r"(?<![/\w.])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})\b" + _NO_TAIL
)
_DATE_ISO = re.compile(r"(?<![/\w.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b" + _NO_TAIL)
_DATE_WORDS = re.compile(
    r"\b(?:ngay\s*(?P<d>\d{1,2})\s+thang\s*(?P<m>\d{1,2})(?:\s*,?\s*nam\s*(?P<y>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s+thang\s*(?P<m2>\d{1,2})\s*,?\s*nam\s*(?P<y2>\d{4}))\b" + _NO_TAIL
)
_DATE_DM = re.compile(r"(?<![/\w.])(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})" + _NO_TAIL)
_MONTH_MY = re.compile(r"(?<![/\w.])(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\b" + _NO_TAIL)
_MY_CUE = re.compile(r"(?:\b(?:truoc|cham nhat|han|trong|vao|cuoi|den|hoan thanh)|:)\s*$")
_YEAR_RANGE = re.compile(
    r"\b(?:giai\s+doan\s*|tu\s+)?(?:nam\s*)?(?P<a>\d{4})\s*(?:-|den|toi)\s*(?:nam\s*)?(?P<y>\d{4})\b"
)
_YEAR = re.compile(r"\bnam\s*(?P<y>\d{4})\b" + _NO_TAIL)
_YEAR_PLAN = re.compile(r"\b(?:trong\s+(?:suot\s+)?nam|ca\s+nam|nam\s+ke\s+hoach)\b(?!\s*\d)")
_YEAR_BARE = re.compile(r"^\W*(?P<y>\d{4})\W*$")
# Periods next to the plan's ("năm liền kề", "năm trước liền kề", "năm sau"), after an anchor that
# needs a year: resolved against the plan's year before anything else reads the phrase. A bare
# "năm trước" / "năm tới" stays relative (unknown): only these words say which year they mean.
_ADJ_YEAR = re.compile(
    r"(?P<pre>(?<![/\w.])\d{1,2}\s*/\s*\d{1,2}(?!\s*/)|\bngay\s*\d{1,2}\s+thang\s*\d{1,2}|\bthang\s*\d{1,2}"
    r"|\bqu[yi]\s*(?:[ivx]+|\d)\b|\b(?:trong|cuoi|dau|giua|het|den|truoc|cham nhat|vao)(?:\s+ca)?)"
    r"\s*,?\s+(?:cua\s+)?nam\s+(?P<rel>truoc\s+lien\s+ke|lien\s+ke\s+truoc|(?:sau\s+)?lien\s+ke(?:\s+sau)?"
    r"|sau(?!\s*(?:khi|cuoc|do|ngay|\d))|tiep\s+theo|ke\s+tiep)\b"
)
# "Trước ngày 05 của tháng liền kề", "ngày 10 tháng đầu của quý liền kề", "ngày 15 của kỳ báo cáo liền
# kề": a report due that day of the month after each period. Read as recurring, the day pinned in
# the year after the plan's (the status engine reads such a pin as a lag after every period's end).
_NEXT_PERIOD_DAY = re.compile(
    r"\bngay\s*(?P<d>\d{1,2})\s+(?:cua\s+)?(?P<what>thang\s+(?:dau\s+(?:tien\s+)?(?:cua\s+)?)?"
    r"(?:qu[yi]\s+|ky\s+(?:bao\s+cao\s+)?)?|qu[yi]\s+|ky\s+bao\s+cao\s+|ky\s+)"
    r"(?P<rel>lien\s+ke|tiep\s+theo|ke\s+tiep|sau(?!\s*(?:khi|cuoc|do)))\b"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_CONTEXT = 40  # characters looked at before an anchor

# Labels and deliverables.
_VERB_WORDS = 6  # a product named after at most this many words ("Trình UBND tỉnh Đề án")
_DELIVERABLE = re.compile(
    r"(?:cac |nhung )?(?:bao cao|ke hoach|de an|quyet dinh|van ban|nghi quyet|phuong an|hop dong|du thao|"
    r"chuong trinh|thong bao|huong dan|quy che|quy dinh|to trinh|cong van|bien ban|danh muc|tai lieu|"
    r"san pham|ho so|chi thi|ket qua|phieu|bo cau hoi)\b"
)
_TIME_FIRST = re.compile(
    r"^(?:truoc|cham nhat|trong|vao|cuoi|den)?\s*(?:ngay\s*)?(?:qu[yi]\b|thang\b|nam\b|\d)"
)
# Words that end an implicit label ("Báo cáo kết quả thực hiện | cùng báo cáo CCHC định kỳ hằng quý").
_LABEL_STOP = frozenset(
    "cung trong theo vao truoc cham dinh hang thuong ngay khi sau qu quy qui thang dot han den".split()
)

# Private-use characters mark part boundaries before whitespace is collapsed: a hard one always
# splits; a soft one (" - " or a line break before a label) splits only when the left side reads on
# its own, since PDF text wraps lines anywhere ("Trình UBND tỉnh \n Đề án: Quý II/2022").
_SENTINEL = "\ue000"
_SOFT = "\ue001"
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_LINE_BULLET = re.compile(r"(^|\n)[ \t]*[-+•*·▪●◦]+(?=\s)")
_SENTENCE_BULLET = re.compile(r"([.;])\s*[-+•*·▪●◦]+\s+")
_SENTENCE = re.compile(r"\.\s+(?=(\S))")
_DASH_LABEL = re.compile(r"\s-\s+(?=[^:;.\-\n]{1,100}:)")
_LINE_LABEL = re.compile(r"\n(?=[ \t]*[^:;\n]{1,100}:)")  # a line that opens with a label
_LEAD = re.compile(r"^(?:[\s\-+•*·▪●◦]+|(?:\d{1,2}|[a-zđ])[.)]\s+)+")
_TRAIL = " \t\n;,.-"  # stripped with str.rstrip: a regex here is quadratic on long runs


# --------------------------------------------------------------------------- reading one phrase


@dataclass
class _Anchor:
    start: int
    end: int
    kind: str  # date, month, quarter, year
    due: datetime.date
    cued: bool
    group: int  # anchors of one list ("Quý II và IV/2022") share a group


#: What a phrase says: (kind, due, recurrence) per milestone; an empty list means not understood.
_Hits = list[tuple[str, datetime.date | None, tuple[str, ...] | None]]


def _before(f: str, start: int) -> str:
    """The few words before an anchor, where its cue or start marker is (bounded: keeps it linear)."""
    return f[max(0, start - _CONTEXT) : start]


def _cued(f: str, start: int) -> bool:
    """A phrase that opens with its anchor, or a cue right before it, states a due date."""
    return not f[:start].strip(" ,.;:-()") or bool(_CUE_BEFORE.search(_before(f, start)))


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _blank(f: str, start: int, end: int) -> str:
    """Blank a consumed span, keeping offsets (later passes look at the words before an anchor)."""
    return f[:start] + " " * (end - start) + f[end:]


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _valid_year(y: int) -> bool:
    return 1900 <= y <= 2199


class _Invalid(Exception):
    """An anchor that cannot be a date (31/02, tháng 13, quý V): the phrase is unknown."""


def _explicit(y: str | None, plan_year: int) -> int:
    if y is None:
        return plan_year
    value = int(y)
    if not _valid_year(value):
        raise _Invalid
    return value


def _make(kind: str, year: int, month: int = 12, day: int | None = None) -> datetime.date:
    try:
        if kind == "date":
            return datetime.date(year, month, day or 0)
        if kind == "quarter":
            if not 1 <= month <= 4:
                raise _Invalid
            return _last_day(year, month * 3)
        if not 1 <= month <= 12:
            raise _Invalid
        return _last_day(year, month)
    except (ValueError, OverflowError) as exc:
        raise _Invalid from exc


def _list_items(items: str) -> list[tuple[str, str]]:
    """Split "ii va iv" into [("", "ii"), ("va", "iv")]; the separator tells a list from a range."""
    out: list[tuple[str, str]] = []
    pos, sep = 0, ""
    for m in _ITEM_SPLIT.finditer(items):
        out.append((sep, items[pos : m.start()]))
        pos, sep = m.end(), m.group(1)
    out.append((sep, items[pos:]))
    return [(s, v.strip()) for s, v in out if v.strip()]


def _quarter_number(item: str) -> int:
    if item.isdigit():
        return int(item)
    if item in _ROMAN:
        return _ROMAN[item]
    raise _Invalid


def _scan_anchors(f: str, plan_year: int) -> tuple[list[_Anchor], str]:
    """Dates, months and quarters (blanked in the returned text); raises _Invalid if impossible."""
    anchors: list[_Anchor] = []
    group = 0

    def add(kind: str, start: int, end: int, due: datetime.date) -> None:
        anchors.append(_Anchor(start, end, kind, due, _cued(f, start), group))

    def check_context(start: int) -> bool:
        before = _before(f, start)
        if _VAGUE_BEFORE.search(before):
            raise _Invalid
        return not _START_BEFORE.search(before)

    for pattern in (_DATE_DMY, _DATE_ISO, _DATE_WORDS, _DATE_DM):
        for m in pattern.finditer(f):
            d, mo, y = (m.groupdict().get(k) for k in ("d", "m", "y"))
            if d is None:  # the second branch of _DATE_WORDS
                d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
            group += 1
            if check_context(m.start()):
                add("date", m.start(), m.end(), _make("date", _explicit(y, plan_year), int(mo), int(d)))
            f = _blank(f, m.start(), m.end())

    for pattern, kind in ((_QUARTERS, "quarter"), (_Q_SHORT, "quarter"), (_MONTHS, "month")):
        for m in pattern.finditer(f):
            group += 1
            y = _explicit(m.group("y"), plan_year)
            items = _list_items(m.group("items"))
            ranged = any(sep in ("-", "den", "toi") for sep, _ in items[1:])
            if ranged:  # "tháng 3 đến tháng 6/2022": due at the end of the range
                items = items[-1:]
            elif not check_context(m.start()):
                f = _blank(f, m.start(), m.end())
                continue
            for _, item in items:
                number = _quarter_number(item) if kind == "quarter" else int(item)
                add(kind, m.start(), m.end(), _make(kind, y, number))
            f = _blank(f, m.start(), m.end())

    for m in _MONTH_MY.finditer(f):  # "Trước 6/2022": a month only after a cue, else maybe a number
        if not f[: m.start()].strip() or _MY_CUE.search(_before(f, m.start())):
            group += 1
            if check_context(m.start()):
                add(
                    "month",
                    m.start(),
                    m.end(),
                    _make("month", _explicit(m.group("y"), plan_year), int(m.group("m"))),
                )
            f = _blank(f, m.start(), m.end())
    return anchors, f


def _scan_years(f: str, plan_year: int, next_group: int) -> list[_Anchor]:
    """Year ranges, "năm 2022", "Trong năm" (the plan's year), a bare "2022"."""
    anchors: list[_Anchor] = []
    group = next_group
    for pattern in (_YEAR_RANGE, _YEAR, _YEAR_PLAN, _YEAR_BARE):
        for m in pattern.finditer(f):
            group += 1
            before = _before(f, m.start())
            if _VAGUE_BEFORE.search(before):
                raise _Invalid
            if pattern is _YEAR_RANGE:
                if not int(m.group("a")) <= int(m.group("y")):
                    raise _Invalid
            elif _START_BEFORE.search(before):
                f = _blank(f, m.start(), m.end())
                continue
            y = _explicit(m.groupdict().get("y"), plan_year)
            cued = _cued(f, m.start()) or m.group(0).startswith(("trong", "ca "))
            anchors.append(_Anchor(m.start(), m.end(), "year", _make("year", y), cued, group))
            f = _blank(f, m.start(), m.end())
    return anchors


def _drop_ranges(anchors: list[_Anchor], f: str) -> list[_Anchor]:
    """Keep the end of a range of separate anchors ("Quý II/2022 - Quý IV/2022" → Quý IV)."""
    anchors = sorted(anchors, key=lambda a: (a.start, a.due))
    keep: list[_Anchor] = []
    for i, a in enumerate(anchors):
        nxt = anchors[i + 1] if i + 1 < len(anchors) else None
        if (
            nxt is not None
            and nxt.group != a.group
            and f[a.end : nxt.start].strip() in ("-", "den", "toi", "den het")
        ):
            continue
        keep.append(a)
    return keep


def _scan_recurrence(f: str, following_years: bool) -> tuple[tuple[str, ...] | None, bool, str]:
    """(period keys or None, whether the phrase is periodic at all, the text with periods blanked)."""
    periods: set[str] = {"annual"} if following_years else set()
    for m in _RECURRENCE.finditer(f):
        for item in _PERIOD_ITEM.finditer(m.group("list")):
            periods.add(_period_key(item.group(0)))
        f = _blank(f, m.start(), m.end())
    periodic = bool(periods) or bool(_DINH_KY.search(f))
    keys = tuple(p for p in PERIODS if p in periods)
    return (keys or None), periodic, f


def _period_key(item: str) -> str:
    item = re.sub(r"^(?:hang|moi)\s+", "", item)
    if re.match(r"(?:0?6|sau)\s*thang", item):
        return "semiannual"
    if re.match(r"(?:0?9|chin)\s*thang", item):
        return "nine_months"
    if re.match(r"(?:0?3|ba)\s*thang|qu", item):
        return "quarterly"
    if item.startswith("thang"):
        return "monthly"
    return "annual"


def _adjacent_years(f: str, plan_year: int) -> str:
    """Write "năm liền kề" / "năm sau" as the year it means: "15/01 năm liền kề" → "15/01/2027"."""

    def year_of(m: re.Match[str]) -> str:
        rel = m.group("rel")
        y = plan_year - 1 if "truoc" in rel else plan_year + 1
        pre = m.group("pre")
        return f"{pre}/{y}" if pre[:1].isdigit() else f"{pre} nam {y}"

    if "nam" not in f:
        return f
    return _ADJ_YEAR.sub(year_of, f)


def _next_period_day(f: str, plan_year: int) -> _Hits | None:
    """A report due on a day of the period after each period, or None when the phrase says no such thing.

    The period is named by the phrase ("hằng quý", "tháng liền kề" alone is monthly); when it is not
    ("kỳ báo cáo liền kề" with no period), the reading is recurring with neither period nor day.
    """
    m = _NEXT_PERIOD_DAY.search(f)
    if m is None:
        return None
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return []
    recurrence, _, _ = _scan_recurrence(_blank(f, m.start(), m.end()), False)
    what = m.group("what")
    if recurrence is None:
        if re.search(r"qu[yi]", what):
            recurrence = ("quarterly",)
        elif what.strip() == "thang":
            recurrence = ("monthly",)
        else:
            return [("recurring", None, None)]
    if not _valid_year(plan_year + 1):
        return []
    return [("recurring", datetime.date(plan_year + 1, 1, day), recurrence)]


def _read(text: str, plan_year: int) -> _Hits:
    """Read one unlabelled phrase."""
    folded = _adjacent_years(fold(text), plan_year)
    f = folded
    if not f:
        return []
    next_period = _next_period_day(f, plan_year)
    if next_period is not None:
        return next_period
    for m in _CITATION_DATE.finditer(f):
        f = _blank(f, m.start("date"), m.end("date"))
    for m in _ISSUED_DATE.finditer(f):
        if not _CUE_BEFORE.search(_before(f, m.start())):
            f = _blank(f, m.start("date"), m.end("date"))
    f = _CITATION.sub(_spaces, f)
    cited = f != folded  # a reference to another document's timetable, at best an event
    following = bool(_FOLLOWING_YEARS.search(f))
    f = _FOLLOWING_YEARS.sub(_spaces, f)
    if _RELATIVE.search(f):
        return [("event", None, None)] if _EVENT.search(f) or "ke tu" in f else []
    try:
        anchors, f = _scan_anchors(f, plan_year)
        recurrence, periodic, f = _scan_recurrence(f, following)
        years = _scan_years(f, plan_year, len(anchors) + 1)
    except _Invalid:
        return []
    anchors = _drop_ranges(anchors, f)
    years = _drop_ranges(years, f)
    ongoing = bool(_ONGOING.search(f))
    event = bool(_EVENT.search(f))
    dinh_ky = bool(_DINH_KY.search(folded))

    if periodic:
        if ongoing and not dinh_ky:  # "Thực hiện thường xuyên hằng năm": ongoing, with its period
            return [("ongoing", None, recurrence)]
        # The first occurrence when the phrase anchors it ("tháng 12 hằng năm", "Năm 2022 và các năm
        # tiếp theo"); a plain year does not anchor a quarterly report.
        firsts = anchors or (years[:1] if recurrence == ("annual",) else [])
        if firsts:
            return [("recurring", a.due, recurrence) for a in firsts]
        return [("recurring", None, recurrence)]
    if anchors:
        if event:
            anchors = [a for a in anchors if a.cued]
            if not anchors:
                return [("event", None, None)]
        specific_years = {a.due.year for a in anchors}
        chosen = anchors + [y for y in years if y.due.year not in specific_years]
        chosen.sort(key=lambda a: (a.start, a.due))
        return [(a.kind, a.due, None) for a in chosen]
    if years:
        if ongoing:
            return [("ongoing", None, None)]
        if event and not any(y.cued for y in years):
            return [("event", None, None)]
        return [("year", y.due, None) for y in years]
    if ongoing:
        return [("ongoing", None, None)]
    if event or cited:
        return [("event", None, None)]
    return []


# --------------------------------------------------------------------------- parts and labels


@dataclass
class _Part:
    raw: str
    text: str
    label: str
    hits: _Hits


def _safe_text(text: object) -> str:
    try:
        return _strip(clean(_TAG.sub(" ", html.unescape(str(text or "")))))
    except Exception:
        return ""


def _pieces(text: str) -> list[str]:
    """Split a time cell at list bullets, ";" and sentence ends; pieces keep their raw (cleaned) text.

    A piece may still hold soft boundaries, resolved by `_parse` once it can read them.
    """
    s = _TAG.sub(" ", html.unescape(text)).replace(_SENTINEL, "").replace(_SOFT, "")
    s = nfc(s)
    s = _LINE_BULLET.sub(lambda m: m.group(1) + _SENTINEL + "- ", s)
    s = _SENTENCE_BULLET.sub(lambda m: m.group(1) + _SENTINEL + "- ", s)
    s = s.replace(";", ";" + _SENTINEL)
    s = _SENTENCE.sub(lambda m: "." + _SENTINEL if m.group(1)[0].isupper() else m.group(0), s)
    s = _DASH_LABEL.sub(_SOFT + "- ", s)
    s = _LINE_LABEL.sub(_SOFT, s)
    return [p for p in (clean(x) for x in s.split(_SENTINEL)) if _strip(p.replace(_SOFT, " "))]


def _strip(piece: str) -> str:
    return _LEAD.sub("", piece).rstrip(_TRAIL).strip()


def _split_label(text: str) -> tuple[str, str]:
    """Split "Báo cáo kết quả khảo sát: tháng 12/2022" into (label, value); ("", text) if unlabelled."""
    i = -1
    while (i := text.find(":", i + 1)) >= 0:
        if 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # a clock time, not a label
        label, value = text[:i].strip(), text[i + 1 :].strip()
        if any(c.isalpha() for c in label) and not label.lower().startswith(("http", "www")):
            return _strip(label), value
        return "", text
    return "", text


def _read_part(raw: str, plan_year: int) -> _Part:
    text = _strip(raw)
    label, value = _split_label(text)
    if not label:
        return _Part(raw, text, "", _read(text, plan_year))
    hits = _read(value, plan_year)
    if hits and hits[0][0] == "recurring" and _NEXT_PERIOD_DAY.search(fold(value)):
        # "Báo cáo hằng quý: trước ngày 05 của tháng liền kề": the label names the period.
        stated, _, _ = _scan_recurrence(fold(label), False)
        if stated:
            hits = _read(f"{label} {value}", plan_year)
    if not hits:
        # The label may carry the time ("Báo cáo tổng hợp toàn tỉnh hàng quý: Sở TT&TT") or be it
        # ("Quý I/2022: Xây dựng kế hoạch").
        hits = _read(label, plan_year)
        if hits and value and _TIME_FIRST.match(fold(label)):
            label = _strip(value)
    return _Part(raw, text, label, hits)


def _implicit_label(text: str) -> str:
    """The product that starts an unlabelled part: "Báo cáo kết quả thực hiện cùng báo cáo … hằng quý"."""
    words = text.split(" ")
    folded = [fold(w) for w in words]
    if not _DELIVERABLE.match(" ".join(folded)):
        return ""
    for i, w in enumerate(folded):
        if w in _LABEL_STOP or any(c.isdigit() for c in w):
            return _strip(" ".join(words[:i])) if i >= 3 else ""
    return ""


def _deliverable(label: str) -> str:
    """The product a label names: the label itself, or what follows its verb ("Xây dựng kế hoạch")."""
    if not label:
        return ""
    words = label.split(" ")
    folded_words = [fold(w) for w in words[: _VERB_WORDS + 2]]
    folded = " ".join(folded_words)
    pos = 0
    for i in range(min(len(words), _VERB_WORDS)):
        if _DELIVERABLE.match(folded, pos):
            tail = " ".join(words[i:])
            return tail if i == 0 else tail[:1].upper() + tail[1:]
        pos += len(folded_words[i]) + 1
    return ""


def _resolve_soft(pieces: list[str], plan_year: int) -> list[str]:
    """Resolve soft splits: "Thẩm định: Sở Tư pháp - Phối hợp: …" splits, "Văn hóa - Xã hội: Quý I" not."""
    out: list[str] = []
    for piece in pieces:
        subs = piece.split(_SOFT)
        buf = ""
        for i, sub in enumerate(subs):
            buf = f"{buf} {sub}" if buf else sub
            if i == len(subs) - 1:
                out.append(clean(buf))
            else:
                part = _read_part(clean(buf), plan_year)
                if part.hits or part.label:
                    out.append(clean(buf))
                    buf = ""
    return [p for p in out if _strip(p)]


def _parse(text: str, year: int) -> list[Milestone]:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        plan_year = int(year)
    except (TypeError, ValueError, OverflowError):
        plan_year = 0  # every date built from it is invalid, so year-less phrases read as unknown

    parts: list[_Part] = []
    pending = ""  # leading pieces that do not read on their own prefix the next piece
    for raw in _resolve_soft(_pieces(text), plan_year):
        part = _read_part(raw, plan_year)
        if part.hits or part.label:
            if pending:  # read once more with its prefix ("UBND TP." + "Thanh Hóa: Quý I/2022")
                joined = _read_part(f"{pending} {raw}", plan_year)
                if joined.hits or joined.label:
                    part = joined
                else:  # the prefix spoils it ("Tháng 13/2022; Quý II/2022"): flag it on its own
                    parts.append(_Part(pending, _strip(pending), "", []))
            parts.append(part)
            pending = ""
        elif parts:  # a continuation ("…của Chính phủ; Thủ tướng Chính phủ.") joins the part before
            joined = f"{parts[-1].raw} {raw}"
            parts[-1] = _Part(joined, _strip(joined), parts[-1].label, parts[-1].hits)
        else:
            pending = f"{pending} {raw}" if pending else raw
    if not parts:
        return [Milestone("", "unknown", None, None, text=_safe_text(text))]

    if len(parts) > 1 and any(p.label for p in parts):
        for p in parts:
            if not p.label and p.hits:
                p.label = _implicit_label(p.text)

    out: list[Milestone] = []
    for p in parts:
        deliverable = _deliverable(p.label)
        for kind, due, recurrence in p.hits or [("unknown", None, None)]:
            out.append(Milestone(p.label, kind, due, recurrence, deliverable, p.text))
    return out
