"""Word (.docx) plans to the plain-text dialect the plan reader understands.

The output follows the Word-converted seed (002): one line per paragraph, one line per table row
with cells separated by TAB, and a cell made of several list items written as
``<ul><li>a</li><li>b</li></ul>``. Body elements are walked in document order so paragraphs and
tables interleave as they do on the page. Opening the package is `docx_package`; paragraph
numbering ("1.", "a)", "I.") is `docx_numbering`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from lxml import etree

from .docx_numbering import _Numbering
from .docx_package import (
    _BR,
    _CR,
    _DEL,
    _HMERGE,
    _NO_BREAK_HYPHEN,
    _P,
    _PPR,
    _R,
    _RPR,
    _SYM,
    _T,
    _TABS,
    _TBL,
    _TC,
    _TCPR,
    _TR,
    _TRPR,
    _TXBX,
    _TYPE,
    _VAL,
    _VMERGE,
    MC,
    W,
    _child,
    _invalid_docx,
    _open,
    _Package,
)

_BLOCKS, _ROWS, _CELLS = frozenset({_P, _TBL}), frozenset({_TR}), frozenset({_TC})
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
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u3000]")


def docx_to_text(path) -> str:
    """Text of the Word document at ``path`` in reading order (see module docstring).

    Raises ``PlanReadError`` when the file is not a readable .docx document.
    """
    path = Path(path)
    package = _open(path)
    try:
        walker = _Walker(package)
        walker.blocks(package.body)
    except etree.XMLSyntaxError as exc:  # the styles part, parsed only now (see `_Package`)
        raise _invalid_docx(path) from exc
    return _join(walker.lines)


# --------------------------------------------------------------------------- walking


class _Para:
    """One paragraph: its text segments (split at line breaks) and list-ness."""

    __slots__ = ("segments", "is_list", "label")

    def __init__(self, segments: list[str], is_list: bool, label: str) -> None:
        self.segments = segments
        self.is_list = is_list
        self.label = label  # numbering label ("1.", "a)") or "" (none, or a bullet)


class _Walker:
    def __init__(self, package: _Package) -> None:
        self.lines: list[str] = []
        self.numbering = _Numbering(package)

    # ---- body

    def blocks(self, parent) -> None:
        for child in _content_children(parent, _BLOCKS):
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
        for tr in _content_children(tbl, _ROWS):
            if _is_deleted_row(tr):
                continue
            cells = self.row_cells(tr)
            if not any(cells):
                continue
            self.lines.append("\t".join(cells))
        self.lines.append("")

    def row_cells(self, tr) -> list[str]:
        cells: list[str] = []
        for tc in _content_children(tr, _CELLS):
            tc_pr = _child(tc, _TCPR)
            if tc_pr is not None:
                h_merge = v_merge = None
                for prop in tc_pr:  # the first hMerge and the first vMerge
                    tag = prop.tag
                    if tag == _HMERGE:
                        if h_merge is None:
                            h_merge = prop
                    elif tag == _VMERGE and v_merge is None:
                        v_merge = prop
                if h_merge is not None and h_merge.get(_VAL) != "restart":
                    continue  # legacy horizontal merge: the first cell holds the text
                if v_merge is not None and v_merge.get(_VAL) in (None, "continue"):
                    cells.append("")
                    # The continued cell still has an (empty) paragraph; numbering must not count it.
                    continue
            cells.append(self.cell_text(tc))
        return cells

    # ---- cells

    def cell_text(self, tc) -> str:
        items: list[tuple[bool, str]] = []  # (is list item, text)
        self._cell_items(tc, items)
        return _cell_markup(items)

    def _cell_items(self, container, items: list[tuple[bool, str]]) -> None:
        """The cell's paragraphs as items, in order: a paragraph, then its text boxes; a nested
        table's rows as one paragraph each."""
        for child in _content_children(container, _BLOCKS):
            if child.tag == _P:
                segments = [""]
                boxes: list = []
                p_pr = _walk_text(child, segments, boxes)
                is_list, label = self.numbering.paragraph(p_pr)
                _add_items(items, segments, is_list, label)
                for box in boxes:
                    self._cell_items(box, items)
            else:  # nested table: each row becomes one paragraph of the cell
                for tr in _content_children(child, _ROWS):
                    texts = []
                    for tc in _content_children(tr, _CELLS):
                        text = self.cell_text(tc)
                        if text:
                            texts.append(text)
                    if texts:
                        _add_items(items, [" ".join(texts)], False, "")

    # ---- paragraphs

    def paragraph(self, p) -> tuple[_Para, list]:
        """The paragraph's text and list-ness, and the text boxes anchored in it."""
        segments = [""]
        boxes: list = []
        p_pr = _walk_text(p, segments, boxes)
        is_list, label = self.numbering.paragraph(p_pr)
        return _Para(segments, is_list, label), boxes


def _add_items(items: list[tuple[bool, str]], segments: list[str], is_list: bool, label: str) -> None:
    for index, segment in enumerate(segments):
        text = _clean(segment)
        if index == 0 and label:  # an automatically numbered TT cell has only the label
            text = f"{label} {text}".strip()
        if not text:
            continue
        is_item = (is_list and index == 0) or bool(_BULLET_PREFIX.match(text))
        items.append((is_item, text))


def _walk_text(el, segments: list[str], boxes: list):
    """Append the text under ``el`` to ``segments`` (a new one at each line break); text boxes
    and wrongly nested paragraphs or tables go to ``boxes``. Returns the first ``w:pPr`` child."""
    p_pr = None
    for child in el:
        tag = child.tag
        if tag == _R:  # a run (most children): its text without a call per element
            for part in child:
                part_tag = part.tag
                if part_tag == _T:
                    segments[-1] += part.text or ""
                elif part_tag != _RPR:
                    _walk_element(part, part_tag, segments, boxes)
        elif tag == _PPR:
            if p_pr is None:
                p_pr = child
        else:
            _walk_element(child, tag, segments, boxes)
    return p_pr


def _walk_element(child, tag, segments: list[str], boxes: list) -> None:
    if not isinstance(tag, str) or tag in _SKIPPED:
        return
    if tag == _T:
        segments[-1] += child.text or ""
    elif tag in _TABS:
        segments[-1] += " "
    elif tag == _BR:
        if child.get(_TYPE) in (None, "textWrapping"):
            segments.append("")
    elif tag == _CR:
        segments.append("")
    elif tag == _NO_BREAK_HYPHEN:
        segments[-1] += "-"
    elif tag == _SYM:
        char = _sym_char(child)
        segments[-1] += char
    elif tag == _TXBX:
        boxes.append(child)
    elif tag == _P or tag == _TBL:  # malformed nesting: keep the text
        boxes.append(child)
    else:
        _walk_text(child, segments, boxes)


def _content_children(parent, wanted: set[str]):
    """Children of ``parent`` with a tag in ``wanted``, looking through wrapper elements."""
    for child in parent:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag in _WRAPPERS:
            yield from _content_children(child, wanted)


def _is_deleted_row(tr) -> bool:
    tr_pr = _child(tr, _TRPR)
    return tr_pr is not None and _child(tr_pr, _DEL) is not None


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
    if "  " in text or _ODD_SPACES.search(text):  # else every _SPACES match is one " ": nothing to do
        text = _SPACES.sub(" ", text)
    return text.strip()


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

