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

from cchc.core import deadline_vocabulary as vocab
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
    return f[max(0, start - vocab.CONTEXT) : start]


def _cued(f: str, start: int) -> bool:
    """A phrase that opens with its anchor, or a cue right before it, states a due date."""
    return not f[:start].strip(" ,.;:-()") or bool(vocab.CUE_BEFORE.search(_before(f, start)))


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
    for m in vocab.ITEM_SPLIT.finditer(items):
        out.append((sep, items[pos : m.start()]))
        pos, sep = m.end(), m.group(1)
    out.append((sep, items[pos:]))
    return [(s, v.strip()) for s, v in out if v.strip()]


def _quarter_number(item: str) -> int:
    if item.isdigit():
        return int(item)
    if item in vocab.ROMAN:
        return vocab.ROMAN[item]
    raise _Invalid


def _scan_anchors(f: str, plan_year: int) -> tuple[list[_Anchor], str]:
    """Dates, months and quarters (blanked in the returned text); raises _Invalid if impossible."""
    anchors: list[_Anchor] = []
    group = 0

    def add(kind: str, start: int, end: int, due: datetime.date) -> None:
        anchors.append(_Anchor(start, end, kind, due, _cued(f, start), group))

    def check_context(start: int) -> bool:
        before = _before(f, start)
        if vocab.VAGUE_BEFORE.search(before):
            raise _Invalid
        return not vocab.START_BEFORE.search(before)

    for pattern in (vocab.DATE_DMY, vocab.DATE_ISO, vocab.DATE_WORDS, vocab.DATE_DM):
        for m in pattern.finditer(f):
            d, mo, y = (m.groupdict().get(k) for k in ("d", "m", "y"))
            if d is None:  # the second branch of vocab.DATE_WORDS
                d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
            group += 1
            if check_context(m.start()):
                add("date", m.start(), m.end(), _make("date", _explicit(y, plan_year), int(mo), int(d)))
            f = _blank(f, m.start(), m.end())

    for pattern, kind in ((vocab.QUARTERS, "quarter"), (vocab.Q_SHORT, "quarter"), (vocab.MONTHS, "month")):
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

    for m in vocab.MONTH_MY.finditer(f):  # "Trước 6/2022": a month only after a cue, else maybe a number
        if not f[: m.start()].strip() or vocab.MY_CUE.search(_before(f, m.start())):
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
    for pattern in (vocab.YEAR_RANGE, vocab.YEAR, vocab.YEAR_PLAN, vocab.YEAR_BARE):
        for m in pattern.finditer(f):
            group += 1
            before = _before(f, m.start())
            if vocab.VAGUE_BEFORE.search(before):
                raise _Invalid
            if pattern is vocab.YEAR_RANGE:
                if not int(m.group("a")) <= int(m.group("y")):
                    raise _Invalid
            elif vocab.START_BEFORE.search(before):
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
    for m in vocab.RECURRENCE.finditer(f):
        for item in vocab.PERIOD_ITEM.finditer(m.group("list")):
            periods.add(_period_key(item.group(0)))
        f = _blank(f, m.start(), m.end())
    periodic = bool(periods) or bool(vocab.DINH_KY.search(f))
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
    return vocab.ADJ_YEAR.sub(year_of, f)


def _next_period_day(f: str, plan_year: int) -> _Hits | None:
    """A report due on a day of the period after each period, or None when the phrase says no such thing.

    The period is named by the phrase ("hằng quý", "tháng liền kề" alone is monthly); when it is not
    ("kỳ báo cáo liền kề" with no period), the reading is recurring with neither period nor day.
    """
    m = vocab.NEXT_PERIOD_DAY.search(f)
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
    for m in vocab.CITATION_DATE.finditer(f):
        f = _blank(f, m.start("date"), m.end("date"))
    for m in vocab.ISSUED_DATE.finditer(f):
        if not vocab.CUE_BEFORE.search(_before(f, m.start())):
            f = _blank(f, m.start("date"), m.end("date"))
    f = vocab.CITATION.sub(_spaces, f)
    cited = f != folded  # a reference to another document's timetable, at best an event
    following = bool(vocab.FOLLOWING_YEARS.search(f))
    f = vocab.FOLLOWING_YEARS.sub(_spaces, f)
    if vocab.RELATIVE.search(f):
        return [("event", None, None)] if vocab.EVENT.search(f) or "ke tu" in f else []
    try:
        anchors, f = _scan_anchors(f, plan_year)
        recurrence, periodic, f = _scan_recurrence(f, following)
        years = _scan_years(f, plan_year, len(anchors) + 1)
    except _Invalid:
        return []
    anchors = _drop_ranges(anchors, f)
    years = _drop_ranges(years, f)
    ongoing = bool(vocab.ONGOING.search(f))
    event = bool(vocab.EVENT.search(f))
    dinh_ky = bool(vocab.DINH_KY.search(folded))

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
        return _strip(clean(vocab.TAG.sub(" ", html.unescape(str(text or "")))))
    except Exception:
        return ""


def _pieces(text: str) -> list[str]:
    """Split a time cell at list bullets, ";" and sentence ends; pieces keep their raw (cleaned) text.

    A piece may still hold soft boundaries, resolved by `_parse` once it can read them.
    """
    s = vocab.TAG.sub(" ", html.unescape(text)).replace(vocab.SENTINEL, "").replace(vocab.SOFT, "")
    s = nfc(s)
    s = vocab.LINE_BULLET.sub(lambda m: m.group(1) + vocab.SENTINEL + "- ", s)
    s = vocab.SENTENCE_BULLET.sub(lambda m: m.group(1) + vocab.SENTINEL + "- ", s)
    s = s.replace(";", ";" + vocab.SENTINEL)
    s = vocab.SENTENCE.sub(lambda m: "." + vocab.SENTINEL if m.group(1)[0].isupper() else m.group(0), s)
    s = vocab.DASH_LABEL.sub(vocab.SOFT + "- ", s)
    s = vocab.LINE_LABEL.sub(vocab.SOFT, s)
    return [p for p in (clean(x) for x in s.split(vocab.SENTINEL)) if _strip(p.replace(vocab.SOFT, " "))]


def _strip(piece: str) -> str:
    return vocab.LEAD.sub("", piece).rstrip(vocab.TRAIL).strip()


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
    if hits and hits[0][0] == "recurring" and vocab.NEXT_PERIOD_DAY.search(fold(value)):
        # "Báo cáo hằng quý: trước ngày 05 của tháng liền kề": the label names the period.
        stated, _, _ = _scan_recurrence(fold(label), False)
        if stated:
            hits = _read(f"{label} {value}", plan_year)
    if not hits:
        # The label may carry the time ("Báo cáo tổng hợp toàn tỉnh hàng quý: Sở TT&TT") or be it
        # ("Quý I/2022: Xây dựng kế hoạch").
        hits = _read(label, plan_year)
        if hits and value and vocab.TIME_FIRST.match(fold(label)):
            label = _strip(value)
    return _Part(raw, text, label, hits)


def _implicit_label(text: str) -> str:
    """The product that starts an unlabelled part: "Báo cáo kết quả thực hiện cùng báo cáo … hằng quý"."""
    words = text.split(" ")
    folded = [fold(w) for w in words]
    if not vocab.DELIVERABLE.match(" ".join(folded)):
        return ""
    for i, w in enumerate(folded):
        if w in vocab.LABEL_STOP or any(c.isdigit() for c in w):
            return _strip(" ".join(words[:i])) if i >= 3 else ""
    return ""


def _deliverable(label: str) -> str:
    """The product a label names: the label itself, or what follows its verb ("Xây dựng kế hoạch")."""
    if not label:
        return ""
    words = label.split(" ")
    folded_words = [fold(w) for w in words[: vocab.VERB_WORDS + 2]]
    folded = " ".join(folded_words)
    pos = 0
    for i in range(min(len(words), vocab.VERB_WORDS)):
        if vocab.DELIVERABLE.match(folded, pos):
            tail = " ".join(words[i:])
            return tail if i == 0 else tail[:1].upper() + tail[1:]
        pos += len(folded_words[i]) + 1
    return ""


def _resolve_soft(pieces: list[str], plan_year: int) -> list[str]:
    """Resolve soft splits: "Thẩm định: Sở Tư pháp - Phối hợp: …" splits, "Văn hóa - Xã hội: Quý I" not."""
    out: list[str] = []
    for piece in pieces:
        subs = piece.split(vocab.SOFT)
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
