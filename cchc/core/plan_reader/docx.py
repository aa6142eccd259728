"""Word (.docx) plans to the plain-text dialect the plan reader understands.

The output follows the Word-converted seed (002): one line per paragraph, one line per table row
with cells separated by TAB, and a cell made of several list items written as
``<ul><li>a</li><li>b</li></ul>``. Body elements are walked in document order so paragraphs and
tables interleave as they do on the page.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
W = "{" + W_NS + "}"

_P, _TBL, _TR, _TC = W + "p", W + "tbl", W + "tr", W + "tc"
# Elements that only wrap content (content controls, custom XML, tracked insertions, smart tags).
_WRAPPERS = {
    W + "sdt",
    W + "sdtContent",
    W + "customXml",
    W + "ins",
    W + "moveTo",
    W + "smartTag",
    W + "hyperlink",
    W + "fldSimple",
    W + "r",
    W + "bdo",
    W + "dir",
    MC + "AlternateContent",
    MC + "Choice",
}
# Content that is not (or no longer) part of the visible text.
_SKIPPED = {
    W + "del",
    W + "moveFrom",
    W + "pPr",
    W + "rPr",
    W + "sdtPr",
    W + "sdtEndPr",
    W + "customXmlPr",
    W + "instrText",
    W + "delText",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    MC + "Fallback",
}
_BULLET_PREFIX = re.compile(r"^\s*([-+•●▪◦‒–—*])\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


def docx_to_text(path) -> str:
    """Text of the Word document at ``path`` in reading order (see module docstring).

    Raises ``PlanReadError`` when the file is not a readable .docx document.
    """
    path = Path(path)
    document = _open(path)
    walker = _Walker(document)
    walker.blocks(document.element.body)
    return _join(walker.lines)


# --------------------------------------------------------------------------- opening


def _plan_read_error(message: str, path: Path):
    try:
        from cchc.core.plan_reader import PlanReadError
    except ImportError:  # the package's __init__ is not there yet
        from cchc.core.plan_reader.errors import PlanReadError
    return PlanReadError(message, source_name=path.name, line=None)


def _open(path: Path):
    from docx import Document

    with open(path, "rb") as handle:  # missing/unreadable files raise OSError as usual
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _plan_read_error(
            f"Tệp {path.name} là tài liệu Word định dạng cũ (.doc) hoặc được đặt mật khẩu, "
            "không phải tài liệu Word (.docx) hợp lệ. Hãy mở bằng Word và lưu lại dưới dạng .docx.",
            path,
        )
    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip archive")
        document = Document(str(path))
        if document.element.body is None:
            raise ValueError("no document body")
    except Exception as exc:
        raise _plan_read_error(
            f"Tệp {path.name} không phải tài liệu Word (.docx) hợp lệ (tệp hỏng hoặc sai định dạng).",
            path,
        ) from exc
    return document


# --------------------------------------------------------------------------- walking


class _Para:
    """One paragraph: its text segments (split at line breaks) and list-ness."""

    __slots__ = ("segments", "is_list", "label")

    def __init__(self, segments: list[str], is_list: bool, label: str) -> None:
        self.segments = segments
        self.is_list = is_list
        self.label = label  # numbering label ("1.", "a)") or "" (none, or a bullet)


class _Walker:
    def __init__(self, document) -> None:
        self.lines: list[str] = []
        self.numbering = _Numbering(document)

    # ---- body

    def blocks(self, parent) -> None:
        for child in _content_children(parent, {_P, _TBL}):
            if child.tag == _P:
                self.body_paragraph(child)
            else:
                self.table(child)

    def body_paragraph(self, p) -> None:
        para, boxes = self.paragraph(p)
        for index, segment in enumerate(para.segments):
            text = _clean(segment)
            if index == 0 and (text or para.label):
                if para.label:
                    text = f"{para.label} {text}".strip()
                elif para.is_list and not _BULLET_PREFIX.match(text):
                    text = f"- {text}"  # a bullet drawn by Word, written as the seeds write it
            self.lines.append(text)
        for box in boxes:  # text boxes anchored in the paragraph follow it
            self.blocks(box)

    def table(self, tbl) -> None:
        self.lines.append("")
        for tr in _content_children(tbl, {_TR}):
            if _is_deleted_row(tr):
                continue
            cells = self.row_cells(tr)
            if not any(cells):
                continue
            self.lines.append("\t".join(cells))
        self.lines.append("")

    def row_cells(self, tr) -> list[str]:
        cells: list[str] = []
        for tc in _content_children(tr, {_TC}):
            tc_pr = tc.find(W + "tcPr")
            if tc_pr is not None:
                h_merge = tc_pr.find(W + "hMerge")
                if h_merge is not None and h_merge.get(W + "val") != "restart":
                    continue  # legacy horizontal merge: the first cell holds the text
                v_merge = tc_pr.find(W + "vMerge")
                if v_merge is not None and v_merge.get(W + "val") in (None, "continue"):
                    cells.append("")
                    # The continued cell still has an (empty) paragraph; numbering must not count it.
                    continue
            cells.append(self.cell_text(tc))
        return cells

    # ---- cells

    def cell_paragraphs(self, container) -> list[_Para]:
        out: list[_Para] = []
        for child in _content_children(container, {_P, _TBL}):
            if child.tag == _P:
                para, boxes = self.paragraph(child)
                out.append(para)
                for box in boxes:
                    out.extend(self.cell_paragraphs(box))
            else:  # nested table: each row becomes one paragraph of the cell
                for tr in _content_children(child, {_TR}):
                    texts = []
                    for tc in _content_children(tr, {_TC}):
                        text = self.cell_text(tc)
                        if text:
                            texts.append(text)
                    if texts:
                        out.append(_Para([" ".join(texts)], False, ""))
        return out

    def cell_text(self, tc) -> str:
        items: list[tuple[bool, str]] = []  # (is list item, text)
        for para in self.cell_paragraphs(tc):
            for index, segment in enumerate(para.segments):
                text = _clean(segment)
                if index == 0 and para.label:  # an automatically numbered TT cell has only the label
                    text = f"{para.label} {text}".strip()
                if not text:
                    continue
                is_item = (para.is_list and index == 0) or bool(_BULLET_PREFIX.match(text))
                items.append((is_item, text))
        return _cell_markup(items)

    # ---- paragraphs

    def paragraph(self, p) -> tuple[_Para, list]:
        """The paragraph's text and list-ness, and the text boxes anchored in it."""
        segments = [""]
        boxes: list = []

        def walk(el) -> None:
            for child in el:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIPPED:
                    continue
                if tag == W + "t":
                    segments[-1] += child.text or ""
                elif tag in (W + "tab", W + "ptab"):
                    segments[-1] += " "
                elif tag == W + "br":
                    if child.get(W + "type") in (None, "textWrapping"):
                        segments.append("")
                elif tag == W + "cr":
                    segments.append("")
                elif tag == W + "noBreakHyphen":
                    segments[-1] += "-"
                elif tag == W + "sym":
                    char = _sym_char(child)
                    segments[-1] += char
                elif tag == W + "txbxContent":
                    boxes.append(child)
                elif tag == _P or tag == _TBL:  # malformed nesting: keep the text
                    boxes.append(child)
                else:
                    walk(child)

        walk(p)
        is_list, label = self.numbering.paragraph(p)
        return _Para(segments, is_list, label), boxes


def _content_children(parent, wanted: set[str]):
    """Children of ``parent`` with a tag in ``wanted``, looking through wrapper elements."""
    for child in parent:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag in _WRAPPERS:
            yield from _content_children(child, wanted)


def _is_deleted_row(tr) -> bool:
    tr_pr = tr.find(W + "trPr")
    return tr_pr is not None and tr_pr.find(W + "del") is not None


def _sym_char(sym) -> str:
    code = sym.get(W + "char") or ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:  # symbol-font private-use range: usually a bullet or a dash
        value -= 0xF000
        return {0xB7: "•", 0x2D: "-", 0xA7: "▪", 0x76: "❖", 0xD8: "➢"}.get(value, "")
    return chr(value)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _cell_markup(items: list[tuple[bool, str]]) -> str:
    """One line for a cell: a ``<ul>`` when it holds several list items, else texts joined by spaces.

    Paragraphs before the first list item stay as leading text; a paragraph that is not a list
    item after one continues that item (a wrapped line typed as its own paragraph).
    """
    if sum(1 for is_item, _ in items if is_item) < 2:
        return " ".join(text for _, text in items)
    lead: list[str] = []
    entries: list[str] = []
    for is_item, text in items:
        if is_item:
            entries.append(_BULLET_PREFIX.sub("", text, count=1))
        elif entries:
            entries[-1] = f"{entries[-1]} {text}"
        else:
            lead.append(text)
    body = "<ul>" + "".join(f"<li>{html.escape(entry, quote=False)}</li>" for entry in entries) + "</ul>"
    return " ".join([*lead, body])


def _join(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        line = line.rstrip(" ")  # trailing TABs are empty cells: keep them
        if not line and (not out or not out[-1]):
            continue  # one blank line at most, none at the start
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


# --------------------------------------------------------------------------- numbering


_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
_LEVEL_REF = re.compile(r"%([1-9])")


def _roman(value: int) -> str:
    out = ""
    for amount, letters in _ROMAN:
        while value >= amount:
            out += letters
            value -= amount
    return out


def _letters(value: int) -> str:
    if value <= 0:
        return str(value)
    letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]
    return letter * ((value - 1) // 26 + 1)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letters(value)
    if fmt in ("upperLetter",):
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperRoman":
        return _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


class _Numbering:
    """Enough of Word's list numbering to tell list items apart and label numbered paragraphs
    (an automatically numbered TT column has no digits in its text)."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[object, dict[int, int]] = {}
        self.style_numpr: dict[str, tuple[str | None, str | None]] = {}
        self._load_numbering(document)
        self._load_styles(document)

    def _load_numbering(self, document) -> None:
        try:
            part = document.part.part_related_by(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
            )
        except (KeyError, AttributeError):
            return
        root = part.element
        for abstract in root.findall(W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.findall(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"))] = _level(lvl)
            self.levels[abstract.get(W + "abstractNumId") or ""] = levels
        for num in root.findall(W + "num"):
            abstract_id = _val(num.find(W + "abstractNumId")) or ""
            overrides: dict[int, int] = {}
            for override in num.findall(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"))
                start = override.find(W + "startOverride")
                if start is not None:
                    overrides[ilvl] = _int(_val(start), 1)
                lvl = override.find(W + "lvl")
                if lvl is not None:  # a level redefined for this instance only
                    levels = dict(self.levels.get(abstract_id, {}))
                    levels[ilvl] = _level(lvl)
                    abstract_id = f"{abstract_id}#{num.get(W + 'numId')}"
                    self.levels[abstract_id] = levels
            self.nums[num.get(W + "numId") or ""] = (abstract_id, overrides)

    def _load_styles(self, document) -> None:
        try:
            root = document.styles.element
        except Exception:  # pragma: no cover - a document without a styles part
            return
        raw: dict[str, tuple[str | None, str | None, str | None]] = {}
        for style in root.findall(W + "style"):
            num_id = ilvl = None
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(W + "numId"))
                ilvl = _val(num_pr.find(W + "ilvl"))
            raw[style.get(W + "styleId") or ""] = (num_id, ilvl, _val(style.find(W + "basedOn")))
        for style_id in raw:
            seen: set[str] = set()
            current: str | None = style_id
            num_id = ilvl = None
            while current and current in raw and current not in seen:
                seen.add(current)
                s_num, s_ilvl, based_on = raw[current]
                num_id = num_id if num_id is not None else s_num
                ilvl = ilvl if ilvl is not None else s_ilvl
                current = based_on
            self.style_numpr[style_id] = (num_id, ilvl)

    def paragraph(self, p) -> tuple[bool, str]:
        """(is a list item, numbering label) for paragraph ``p``, advancing the counters."""
        num_id = ilvl = None
        p_pr = p.find(W + "pPr")
        if p_pr is not None:
            num_pr = p_pr.find(W + "numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(W + "numId"))
                ilvl = _val(num_pr.find(W + "ilvl"))
            style = _val(p_pr.find(W + "pStyle"))
            if style and (num_id is None or ilvl is None):
                s_num, s_ilvl = self.style_numpr.get(style, (None, None))
                num_id = num_id if num_id is not None else s_num
                ilvl = ilvl if ilvl is not None else s_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return False, ""
        level = _int(ilvl)
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        key: object = num_id if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        if level in counters:
            counters[level] += 1
        else:
            counters[level] = overrides.get(level, start)
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return True, ""

        def substitute(match: re.Match) -> str:
            ref = int(match.group(1)) - 1
            ref_fmt, _, ref_start = levels.get(ref, ("decimal", "", 1))
            return _format_number(counters.get(ref, overrides.get(ref, ref_start)), ref_fmt)

        return True, _LEVEL_REF.sub(substitute, text).strip()


def _val(el) -> str | None:
    return None if el is None else el.get(W + "val")


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _level(lvl) -> tuple[str, str, int]:
    return (
        _val(lvl.find(W + "numFmt")) or "decimal",
        _val(lvl.find(W + "lvlText")) or "",
        _int(_val(lvl.find(W + "start")), 1),
    )
