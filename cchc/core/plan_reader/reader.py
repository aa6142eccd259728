"""Find the task tables of a plan and build the plan dict (see docs/plan-json.md)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from cchc.core.deadlines import parse_deadline
from cchc.core.text import clean

from . import flow
from .cells import html_cell_lines, join_lines, parse_bodies, split_items
from .errors import PlanReadError
from .lines import Line, double_spaced, fold, split_lines
from .meta import read_metadata, read_targets
from .vocab import HEADER_ROLES, HEADER_WORDS, ROMAN, find_area

DEFAULT_ROLES: list[str | None] = ["content", "deliverables", "lead", "coordinating", "deadline"]
BODY_ROLES = flow.BODY_ROLES


@dataclass
class Header:
    roles: list[str | None]  # flow: data columns after TT; tabbed: one per cell (TT included)
    tabbed: bool
    line: int


@dataclass
class Row:
    number: str
    first: int
    header: Header
    parts: list[list[Line]] = field(default_factory=lambda: [[]])
    tab_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    last: int = 0

    def add(self, ln: Line) -> None:
        self.parts[-1].append(ln)
        self.last = max(self.last, ln.no)

    def page_break(self) -> None:
        if self.parts[-1]:
            self.parts.append([])


@dataclass
class Section:
    number: str
    area: str | None
    title: str
    line: int
    rows: list[Row] = field(default_factory=list)


# ------------------------------------------------------------------------------ recognisers

_TT = re.compile(r"^(\d{1,3})\s*[.)]?$")
_TT_WITH_TEXT = re.compile(r"^(\d{1,3})\s*[.)]\s+(\S.*)$")
_PAGE_NO = re.compile(r"^(\d{1,3}|-\s*\d{1,3}\s*-|(trang|page)\s+\d{1,3}(\s*/\s*\d+)?)$", re.I)
_APPENDIX = re.compile(r"^phu luc\s*(?:so\s*)?(\d{1,2}|[ivx]+)?\s*([:.\-]|$)\s*(.*)$")
_END_MARKERS = re.compile(r"^(noi nhan|kt\. ?chu tich|tm\. ?(uy ban|ubnd)|tren day la)\b")
_ROMAN_HEADING = re.compile(r"^([IVX]{1,4})\s*[.)]?\s*(?:[-:]\s*)?(.*)$")
_TT_HEADER = re.compile(r"^(s?tt|so tt)\b")
_WORDS = re.compile(r"[a-z0-9&]+")


# Any header role word at all: most lines and cells have none, and one search tells.
_ANY_HEADER_ROLE = re.compile("|".join(f"(?:{pat.pattern})" for _, pat in HEADER_ROLES))


def _header_roles(folded: str) -> list[str]:
    return list(_header_roles_of(folded))


@lru_cache(maxsize=1 << 12)
def _header_roles_of(folded: str) -> tuple[str, ...]:
    """`_header_roles`, memoised like `fold`: header rows repeat on every page and table."""
    if not _ANY_HEADER_ROLE.search(folded):
        return ()
    hits: list[tuple[int, int, str]] = []
    for role, pat in HEADER_ROLES:
        for m in pat.finditer(folded):
            hits.append((m.start(), m.end(), role))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    roles: list[str] = []
    end = -1
    for s, e, role in hits:
        if s < end:
            continue
        end = e
        if not roles or roles[-1] != role:
            roles.append(role)
    return tuple(roles)


def _header_words_only(folded: str) -> bool:
    words = _WORDS.findall(folded)
    return bool(words) and all(w in HEADER_WORDS for w in words)


def _cell_role(cell: str) -> str | None:
    roles = _header_roles(fold(cell))
    return roles[0] if roles else None


def _try_header(lines: list[Line], i: int) -> tuple[Header, int] | None:
    ln = lines[i]
    if ln.is_tabbed:
        cells = ln.raw.split("\t")
        roles: list[str | None] = []
        for c in cells:  # a cell naming no column must hold header words only (a task row fails fast)
            role = _cell_role(c)
            if role is None and c.strip() and not _header_words_only(fold(c)):
                return None
            roles.append(role)
        known = [r for r in roles if r]
        if len(known) < 3 or "content" not in known:
            return None
        j = i + 1
        # a second header row ("Chủ trì | Phối hợp" under "Cơ quan")
        while j < len(lines) and lines[j].is_tabbed:
            cells2 = lines[j].raw.split("\t")
            if not all(_header_words_only(fold(c)) or not c.strip() for c in cells2):
                break
            for k, c in enumerate(cells2):
                r = _cell_role(c)
                if r and k < len(roles):
                    roles[k] = r
                elif r:
                    roles.append(r)
            j += 1
        return Header(roles, True, ln.no), j
    if not _TT_HEADER.match(ln.fold) and not (
        _header_words_only(ln.fold) and len(_header_roles(ln.fold)) >= 2
    ):
        return None
    if len(ln.text) > 160:
        return None
    text = ln.fold
    j = i + 1
    while j < len(lines) and j < i + 9:
        nxt = lines[j]
        if nxt.is_tabbed or _TT.match(nxt.text) or nxt.text.rstrip()[-1:] in ".;":
            break
        if _TT_HEADER.match(nxt.fold):  # the header row repeated
            break
        if not _header_words_only(nxt.fold):
            break
        text += " " + nxt.fold
        j += 1
    roles = _header_roles(text)
    if "content" not in roles or len(roles) < 3:
        return None
    if re.sub(r"[^a-z]", "", text.split()[0]) not in ("tt", "stt", "so") and not _header_words_only(text):
        return None
    return Header([r for r in roles if r != "number"], False, ln.no), j


def _try_section(lines: list[Line], i: int) -> tuple[Section, int] | None:
    """An appendix heading ("Phụ lục số 01: … Cải cách thể chế …") or a section row
    ("I. CẢI CÁCH THỂ CHẾ", "I<TAB>Cải cách thể chế"). Areas are recognised by name."""
    ln = lines[i]
    text = ln.text
    if ln.is_tabbed:
        cells = [c.strip() for c in ln.raw.split("\t") if c.strip()]
        if not cells or len(cells) > 3:
            return None
        first = cells[0]
        if ROMAN.match(fold(first).rstrip(".)")) and len(cells) >= 2:
            text = f"{first.rstrip('.)')}. {' '.join(cells[1:])}"
        elif len(cells) == 1:
            text = first
        else:
            return None
    f = fold(text)
    m = _APPENDIX.match(f)
    if m and len(text) < 250:
        number = m.group(1) or ""
        title = text[len(text) - len(m.group(3)) :].strip() if m.group(3) else ""
        j = i + 1
        area = find_area(fold(title)) if title else None
        if area is None and j < len(lines) and _try_header(lines, j) is None and len(lines[j].text) < 200:
            nxt = lines[j].text
            if find_area(fold(nxt)):
                title = (title + " " + nxt).strip()
                area = find_area(fold(title))
                j += 1
        number = str(int(number)) if number.isdigit() else number.upper()
        return Section(number, area, clean(title).rstrip(" ."), ln.no), j
    m = _ROMAN_HEADING.match(text)
    if m and len(text) < 160:
        rest = m.group(2).strip()
        j = i + 1
        if not rest and j < len(lines) and len(lines[j].text) < 160:
            rest, j = lines[j].text, j + 1
        if rest and "/" not in text[: len(m.group(1)) + 2]:
            area = find_area(fold(rest))
            words = rest.split()
            if area and (len(words) <= 30) and (text[len(m.group(1)) : len(m.group(1)) + 1] in ". )-:\t"):
                return Section(m.group(1), area, clean(rest).rstrip(" ."), ln.no), j
        return None
    if ln.is_tabbed or (text.isupper() and len(text) < 120):
        area = find_area(f)
        if area and 3 <= len(text.split()) <= 16 and (ln.is_tabbed or text.isupper()):
            return Section("", area, clean(text).rstrip(" ."), ln.no), i + 1
    return None


def _is_page_number(lines: list[Line], i: int) -> bool:
    return bool(_PAGE_NO.match(lines[i].text))


# ------------------------------------------------------------------------------------ scan


def _find_tables(lines: list[Line], source_name: str) -> tuple[list[Section], int]:
    """Sections with their rows, and the line number where the task tables start."""
    first_header = None
    for i in range(len(lines)):
        if _TT_HEADER.match(lines[i].fold) or lines[i].is_tabbed:
            if _try_header(lines, i):
                first_header = i
                break
    if first_header is None:
        # a table without its header row: an appendix heading followed by "1."
        for i in range(len(lines) - 1):
            sec = _try_section(lines, i)
            if sec and sec[0].area and sec[1] < len(lines) and _TT.match(lines[sec[1]].text):
                first_header = i
                break
    if first_header is None:
        last = lines[-1].no if lines else None
        raise PlanReadError(
            "Không tìm thấy bảng nhiệm vụ (dòng tiêu đề có các cột TT, Nội dung/Nhiệm vụ, "
            "Cơ quan chủ trì, Thời gian…).",
            line=last,
            source_name=source_name,
        )
    start = first_header
    for k in range(first_header - 1, max(-1, first_header - 8), -1):
        if _try_section(lines, k):
            start = k
            break
    sections: list[Section] = []
    sec: Section | None = None
    header: Header | None = None
    row: Row | None = None
    last_number = 0
    i = start
    n = len(lines)

    def close_row() -> None:
        nonlocal row
        row = None

    while i < n:
        ln = lines[i]
        if _END_MARKERS.match(ln.fold):
            close_row()
            sec = None
            i += 1
            continue
        s = _try_section(lines, i)
        if s:
            close_row()
            sec = s[0]
            sections.append(sec)
            i = s[1]
            continue
        h = _try_header(lines, i)
        if h:
            header = h[0]
            if row is not None:
                if row.header.tabbed != header.tabbed:
                    close_row()
                else:
                    row.page_break()
            i = h[1]
            continue
        if _is_page_number(lines, i) and not _accept_tt(lines, i, sec, last_number):
            if row is not None:
                row.page_break()
            i += 1
            continue
        if header is None:
            header = Header(DEFAULT_ROLES, False, ln.no)
        if ln.is_tabbed and header.tabbed:
            if sec is None:
                sec = Section("", None, "", ln.no)
                sections.append(sec)
            row, last_number = _tab_row(ln, header, sec, row, last_number)
            i += 1
            continue
        if header.tabbed:
            close_row()  # a paragraph between Word tables
            i += 1
            continue
        tt = _accept_tt(lines, i, sec, last_number)
        if tt is not None:
            if sec is None:
                sec = Section("", None, "", ln.no)
                sections.append(sec)
            row = Row(str(tt), ln.no, header, last=ln.no)
            sec.rows.append(row)
            last_number = tt
            m = _TT_WITH_TEXT.match(ln.text)
            if m:
                row.add(Line(ln.no, m.group(2), m.group(2), fold(m.group(2)), False, False))
            i += 1
            continue
        if row is not None:
            skip = _footnote_span(lines, i)
            if skip:
                i += skip  # a footnote at the foot of the page, inside the table
                continue
            row.add(ln)
        i += 1
    return sections, lines[start].no


_FOOTNOTE = re.compile(r"^([0-9¹²³⁴⁵⁶⁷⁸⁹]{1,2})\s*[A-ZĐÀ-Ỹ(“\"]")


def _footnote_span(lines: list[Line], i: int) -> int:
    """Number of lines of a footnote starting at line i ("1 Theo Quyết định …"), if the page
    ends right after it (a repeated header, a page number or a heading follows); else 0."""
    if not _FOOTNOTE.match(lines[i].text):
        return 0
    for k in range(i + 1, min(i + 4, len(lines))):
        if _try_header(lines, k) or _is_page_number(lines, k) or _try_section(lines, k):
            return k - i
    return 0


def _accept_tt(lines: list[Line], i: int, sec: Section | None, last_number: int) -> int | None:
    """The task number on line i, if it starts a new row there."""
    ln = lines[i]
    m = _TT.match(ln.text) or _TT_WITH_TEXT.match(ln.text)
    if not m:
        return None
    n = int(m.group(1))
    expected = {last_number + 1}
    if sec is not None:
        expected.add(len(sec.rows) + 1)
        if not sec.rows:
            expected.add(1)
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is not None and (_try_header(lines, i + 1) or _try_section(lines, i + 1)) and _TT.match(ln.text):
        return None  # a page number at the foot of a page
    if m.re is _TT_WITH_TEXT and n not in expected:
        return None
    if n in expected:
        return n
    if sec is not None and n == len(sec.rows) + 2 and nxt is not None and not _TT.match(nxt.text):
        return n  # a number skipped in the document
    return None


def _tab_row(ln: Line, header: Header, sec: Section, row: Row | None, last_number: int):
    cells = [c.strip() for c in ln.raw.split("\t")]
    roles = header.roles
    num_idx = roles.index("number") if "number" in roles else 0
    tt = cells[num_idx] if num_idx < len(cells) else ""
    m = _TT.match(tt)
    if m:
        r = Row(m.group(1), ln.no, header, last=ln.no)
        r.tab_rows.append((ln.no, cells))
        sec.rows.append(r)
        return r, int(m.group(1))
    if not tt and row is not None and any(cells):
        row.tab_rows.append((ln.no, cells))  # a continuation row of the same task
        row.last = ln.no
        return row, last_number
    return row, last_number


# ------------------------------------------------------------------------------------ tasks


# Deadline phrases and body cells recur across tasks and across plans ("Thường xuyên", "Quý
# IV/2025", "Sở Nội vụ"): like `fold`, these pure parsers are memoised, on immutable results.
_parse_deadline = lru_cache(maxsize=1 << 12)(parse_deadline)


@lru_cache(maxsize=1 << 12)
def _parse_bodies(lines: tuple[str, ...], role: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r, tuple(items)) for r, items in parse_bodies(list(lines), role).items())


class _Memo:
    """The cell parsers are pure and a plan repeats its cells ("Sở Nội vụ", "Thường xuyên", empty
    cells): within one read each distinct cell is parsed once. Results are shared, never mutated
    (`_fill` copies what it keeps; milestones are fresh dicts each time)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self._cells: dict[str, list[str]] = {}
        self._joined: dict[tuple[str, ...], str] = {}
        self._items: dict[tuple[str, ...], list[str]] = {}

    def cell_lines(self, cell: str) -> list[str]:
        out = self._cells.get(cell)
        if out is None:
            out = self._cells[cell] = html_cell_lines(cell)
        return out

    def join_lines(self, lines: list[str]) -> str:
        key = tuple(lines)
        out = self._joined.get(key)
        if out is None:
            out = self._joined[key] = join_lines(lines)
        return out

    def split_items(self, lines: list[str]) -> list[str]:
        key = tuple(lines)
        out = self._items.get(key)
        if out is None:
            out = self._items[key] = split_items(lines)
        return out

    def parse_bodies(self, lines: list[str], role: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return _parse_bodies(tuple(lines), role)

    def milestones(self, deadline_text: str) -> list[dict]:
        if not deadline_text:
            return []
        return [m.as_json() for m in _parse_deadline(deadline_text, self.year)]


def _empty_task(number: str) -> dict:
    return {
        "number": number,
        "content": "",
        "deliverables": [],
        "lead": [],
        "coordinating": [],
        "monitoring": [],
        "other_roles": [],
        "notes": None,
        "deadline_text": "",
        "milestones": [],
        "source_lines": [0, 0],
    }


def _add_bodies(task: dict, bodies: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
    for role, items in bodies:
        if role in ("lead", "coordinating", "monitoring"):
            task[role].extend(items)
        else:
            for entry in task["other_roles"]:
                if entry["role"] == role:
                    entry["bodies"].extend(items)
                    break
            else:
                task["other_roles"].append({"role": role, "bodies": list(items)})


def _fill(
    task: dict,
    by_role: list[tuple[str | None, list[str]]],
    deadlines: list[str],
    notes: list[str],
    memo: _Memo,
) -> None:
    for role, cell_lines in by_role:
        if not cell_lines or role is None:
            continue
        if role == "content":
            text = memo.join_lines(cell_lines)
            task["content"] = f"{task['content']} {text}".strip() if task["content"] else text
        elif role == "deliverables":
            task["deliverables"].extend(memo.split_items(cell_lines))
        elif role in BODY_ROLES:
            _add_bodies(task, memo.parse_bodies(cell_lines, role))
        elif role == "deadline":
            deadlines.append(memo.join_lines(cell_lines))
        elif role == "notes":
            notes.append(memo.join_lines(cell_lines))


def _build_task(row: Row, ctx: flow.FlowContext, memo: _Memo) -> dict:
    task = _empty_task(row.number)
    deadlines: list[str] = []
    notes: list[str] = []
    if row.tab_rows:
        for _no, cells in row.tab_rows:
            by_role = []
            for k, cell in enumerate(cells):
                role = row.header.roles[k] if k < len(row.header.roles) else None
                if role == "number":
                    continue
                by_role.append((role, memo.cell_lines(cell)))
            _fill(task, by_role, deadlines, notes, memo)
        task["source_lines"] = [row.first, max(row.last, row.first)]
    else:
        cells = flow.assign(row.parts, row.header.roles, ctx)
        by_role = []
        for role, pieces in zip(row.header.roles, cells, strict=True):
            pieces = flow.reinsert_strays(pieces, ctx.bigrams) if role != "content" else pieces
            by_role.append((role, [p.text for p in pieces]))
        _fill(task, by_role, deadlines, notes, memo)
        task["source_lines"] = [row.first, max(row.last, row.first)]
    task["deadline_text"] = "; ".join(d for d in deadlines if d)
    task["notes"] = "; ".join(n for n in notes if n) or None
    ms: list[dict] = []
    for d in deadlines:
        ms.extend(memo.milestones(d))
    task["milestones"] = ms
    return task


def _bigrams(lines: list[Line]) -> Counter:
    c: Counter = Counter()
    for ln in lines:
        ws = [w.strip(".,;:()") for w in ln.fold.split()]
        c.update(zip(ws, ws[1:], strict=False))
    return c


def _wide_threshold(rows: list[Row]) -> float:
    lengths = sorted(len(ln.text) for r in rows for part in r.parts for ln in part)
    if len(lengths) < 10:
        return 0.0
    top = lengths[int(len(lengths) * 0.95)]
    return 0.72 * top if top >= 30 else 0.0


def read(text: str, *, year: int | None, source_name: str) -> dict:
    lines = split_lines(text)
    if not lines:
        raise PlanReadError("Văn bản trống.", line=None, source_name=source_name)
    sections, table_start = _find_tables(lines, source_name)
    meta = read_metadata(lines, table_start)
    plan_year = year or meta["year"]
    if plan_year is None and meta["issued_on"]:
        y, mth = int(meta["issued_on"][:4]), int(meta["issued_on"][5:7])
        plan_year = y + 1 if mth >= 10 else y
    if plan_year is None:
        raise PlanReadError(
            "Không xác định được năm của kế hoạch; hãy chỉ định năm.",
            line=lines[0].no,
            source_name=source_name,
        )
    meta["year"] = plan_year
    big: Counter = Counter()
    lefts: Counter = Counter()
    if any(not r.tab_rows for sec in sections for r in sec.rows):  # only the flowing dialect uses them
        big = _bigrams(lines)
        for (w1, _w2), k in big.items():
            lefts[w1] += k
    ctx = flow.FlowContext(0.0, double_spaced(lines), big, lefts)
    memo = _Memo(plan_year)
    out_sections = []
    for sec in sections:
        if not sec.rows:
            continue
        if sec.area is None:
            raise PlanReadError(
                "Không nhận ra lĩnh vực cải cách của bảng nhiệm vụ này (cần tên lĩnh vực như "
                "“Cải cách thể chế”, “Cải cách thủ tục hành chính”…).",
                line=sec.line,
                source_name=source_name,
            )
        ctx.wide = _wide_threshold([r for r in sec.rows if not r.tab_rows])
        tasks = [_build_task(r, ctx, memo) for r in sec.rows]
        for t in tasks:
            if not t["content"]:
                raise PlanReadError(
                    f"Không đọc được nội dung nhiệm vụ số {t['number']}.",
                    line=t["source_lines"][0],
                    source_name=source_name,
                )
        out_sections.append({"number": sec.number, "area": sec.area, "title": sec.title, "tasks": tasks})
    if not out_sections:
        raise PlanReadError(
            "Đã thấy tiêu đề bảng nhiệm vụ nhưng không có dòng nhiệm vụ nào được đánh số.",
            line=table_start,
            source_name=source_name,
        )
    plan = {
        "issuer": meta["issuer"],
        "number": meta["number"],
        "issued_on": meta["issued_on"],
        "year": plan_year,
        "title": meta["title"],
        "parent_reference": meta["parent_reference"],
        "targets": read_targets(lines, table_start),
        "sections": out_sections,
    }
    return plan
