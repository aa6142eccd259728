"""PDF plans to the plain-text dialect the plan reader understands.

Ruled tables (found from their drawn lines) become one TAB-separated line per row, as in the
Word-converted seed; text outside tables stays as lines in reading order. A page without ruled
tables gives pdfplumber's plain text lines (the PDF-extracted seeds' dialect). Every page's
characters are parsed once and shared by table detection and text extraction.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from pathlib import Path

import numpy as np

from cchc.core.plan_reader import pdfwords
from cchc.core.plan_reader.docx import _BULLET_PREFIX, _cell_markup, _clean

_EPS = 1.0  # points: tolerance when comparing cell edges
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?[-–]?\s*\d{1,4}\s*[-–]?\s*$", re.IGNORECASE)
_ITEM_END = re.compile(r"[.;:,!?)]\s*$")
_GLUE_END = re.compile(r"(?<=\S)[-/]$")  # a line broken right after a hyphen or slash inside a word
_TEXT_SETTINGS = {"x_tolerance": 3, "y_tolerance": 3}
_RULE_CODES = [ord(c) for c in "|¦│"]  # what OCR reads a table's vertical rule as: never in a plan's text
_GUTTER = 24  # points: a gap this wide inside a line separates two columns of text
_X0 = itemgetter(1)


def _fast_words(glyphs, group, bands: np.ndarray) -> tuple[dict[int, str], dict[int, list[list[tuple]]]]:
    """Each group's text (``extract_text``) and, for the bands of text (the groups in ``bands``), its
    lines of words ``(text, x0, x1)`` (``extract_words`` in lines), for the whole document at once."""
    texts, word_group, word_x0, word_x1 = pdfwords.group_words(glyphs, group)
    lines: dict[int, list[list[tuple]]] = {}
    starts = np.searchsorted(word_group, bands).tolist()  # words are in group order
    ends = np.searchsorted(word_group, bands, side="right").tolist()
    for band, start, end in zip(bands.tolist(), starts, ends, strict=True):
        text = texts.get(band)
        if text is None:
            continue
        x0 = iter(word_x0[start:end].tolist())
        x1 = iter(word_x1[start:end].tolist())
        lines[band] = [[(word, next(x0), next(x1)) for word in line.split(" ")] for line in text.split("\n")]
    return texts, lines


def _plumber_words(glyphs, group, bands: np.ndarray) -> tuple[dict[int, str], dict[int, list[list[tuple]]]]:
    """`_fast_words` by pdfplumber's own ``extract_text`` / ``extract_words`` (the reference)."""
    from pdfplumber.utils import cluster_objects, extract_text, extract_words

    members: dict[int, list[dict]] = {}
    for g, char in zip(group.tolist(), glyphs.items, strict=True):
        members.setdefault(g, []).append(char)
    band_set = set(bands.tolist())
    texts = {g: extract_text(chars, **_TEXT_SETTINGS) for g, chars in members.items() if g not in band_set}
    lines = {
        g: [[(w["text"], w["x0"], w["x1"]) for w in line]
            for line in cluster_objects(extract_words(chars, **_TEXT_SETTINGS), "top", 3)]
        for g, chars in members.items()
        if g in band_set
    }
    return texts, lines


class _PlumberChars:
    """pdfplumber's characters (``(text, x0, x1, top, bottom, dict)`` tuples) as the columns
    `_layout` places (see `pdfium_pages.Glyphs`), with their dicts for pdfplumber's grouping."""

    def __init__(self, chars: list[tuple]) -> None:
        self.items = [c[5] for c in chars]
        self.x0, self.x1, self.top, self.bottom = (np.array([c[i] for c in chars], float) for i in range(1, 5))

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def concatenate(cls, parts: list[_PlumberChars]) -> _PlumberChars:
        out = cls([])
        out.items = [item for part in parts for item in part.items]
        out.x0, out.x1, out.top, out.bottom = (
            np.concatenate([getattr(part, name) for part in parts] or [np.empty(0)])
            for name in ("x0", "x1", "top", "bottom")
        )
        return out


def pdf_to_text(path, *, drawn_rules: bool = False) -> str:
    """Text of the PDF at ``path`` (see module docstring).

    Characters and ruled lines are read with PDFium (`pdfium_pages`); pdfplumber's table finder
    (`lattice`) and word grouping (`pdfwords`, for the whole document at once) are redone on them,
    to the same results; ``drawn_rules`` finds table rules in the page pictures too (an OCR'd
    scan). Raises ``PlanReadError`` for a damaged or password-protected PDF and
    for one without a text layer (a scan).
    """
    from cchc.core.plan_reader.pdfium_pages import Glyphs, PdfiumOpenError, page_tables, read_pages

    path = Path(path)
    with open(path, "rb"):  # missing/unreadable files raise OSError as usual
        pass
    pages: list[_Page] = []
    any_text = False
    try:
        for page in read_pages(path, drawn_rules=drawn_rules):
            glyphs = page.glyphs  # already without characters printed twice (fake bold)
            if drawn_rules:
                glyphs = glyphs.subset(~np.isin(glyphs.codes, _RULE_CODES))
            has_text = not glyphs.space.all()
            tables = page_tables(page) if has_text and len(page.rules) else []
            if has_text:
                any_text = True
                pages.append(_layout(page.number, glyphs, tables))
    except PdfiumOpenError as exc:
        if exc.password:
            raise _plan_read_error(
                f"Tệp {path.name} là PDF được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.", path
            ) from exc
        raise _plan_read_error(f"Tệp {path.name} không phải tệp PDF hợp lệ hoặc đã bị hỏng.", path) from exc
    if not any_text:
        raise _plan_read_error(
            f"Tệp PDF không có lớp văn bản (có thể là bản quét): {path.name}. "
            "Hãy dùng bản PDF xuất trực tiếp từ Word hoặc nhận dạng ký tự (OCR) trước khi tải lên.",
            path,
        )
    return _render(_join_continued_tables(_blocks(pages, Glyphs.concatenate, _fast_words)))


def pdf_to_text_pdfplumber(path) -> str:
    """The same text read by pdfplumber alone (pdfminer's layout): the reference `pdf_to_text` is
    checked against, and the baseline of bench/import_speed.py."""
    import pdfplumber

    path = Path(path)
    laid_out: list[_Page] = []
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many kinds of errors on a damaged file
        raise _read_error(exc, path) from exc
    with pdf:
        for page_no, page in enumerate(pages):
            try:
                chars = _dedupe(
                    [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c) for c in page.chars if c.get("text")]
                )
                tables = page.find_tables() if any(not c[0].isspace() for c in chars) else []
            except Exception as exc:
                raise _read_error(exc, path) from exc
            if chars:
                laid_out.append(_layout(page_no, _PlumberChars(chars), tables))
            page.close()
    return _render(_join_continued_tables(_blocks(laid_out, _PlumberChars.concatenate, _plumber_words)))


# --------------------------------------------------------------------------- errors


def _plan_read_error(message: str, path: Path):
    try:
        from cchc.core.plan_reader import PlanReadError
    except ImportError:  # the package's __init__ is not there yet
        from cchc.core.plan_reader.errors import PlanReadError
    return PlanReadError(message, source_name=path.name, line=None)


def _read_error(exc: Exception, path: Path):
    names = set()
    cause: BaseException | None = exc
    while cause is not None and len(names) < 10:
        names.add(type(cause).__name__)
        names.update(type(arg).__name__ for arg in getattr(cause, "args", ()) if isinstance(arg, Exception))
        cause = cause.__cause__ or cause.__context__
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return _plan_read_error(
            f"Tệp {path.name} là PDF được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.", path
        )
    return _plan_read_error(f"Tệp {path.name} không phải tệp PDF hợp lệ hoặc đã bị hỏng.", path)


# --------------------------------------------------------------------------- pages


class _Row:
    """A table row: each grid column's cell as its visual lines; ``None`` where a cell merged
    across columns covers the position (the text is written once, in the first column)."""

    __slots__ = ("cells", "single")

    def __init__(self, cells: list[list[str] | None], single: bool) -> None:
        self.cells = cells
        self.single = single  # one cell merged across the whole table (a section title row)

    def render(self) -> str:
        texts = [_cell_text(lines) for lines in self.cells if lines is not None]
        if self.single:
            return next((t for t in texts if t), "")
        return "\t".join(texts)

    def shape(self) -> tuple[bool, ...]:
        return tuple(lines is None for lines in self.cells)


class _Block:
    __slots__ = ("kind", "page", "lines", "rows", "xs")

    def __init__(self, kind: str, page: int, lines=None, rows=None, xs=None) -> None:
        self.kind = kind  # "text" or "table"
        self.page = page
        self.lines: list[str] = lines or []
        self.rows: list[_Row] = rows or []
        self.xs: list[float] = xs or []


class _Grid:
    """A ruled table as a grid: column lefts, row tops and which cell covers each position."""

    def __init__(self, table) -> None:
        cells = table.cells
        self.bbox = table.bbox
        self.xs = sorted({c[0] for c in cells})
        self.tops = sorted({c[1] for c in cells})
        self.cells = cells
        self.spans: list[tuple[int, int, int, int]] = []  # r0, r1, c0, c1 (exclusive ends)
        self.owner: list[list[int | None]] = [[None] * len(self.xs) for _ in self.tops]
        x_index = {x: i for i, x in enumerate(self.xs)}
        top_index = {t: i for i, t in enumerate(self.tops)}
        for k, (x0, top, x1, bottom) in enumerate(cells):
            c0, r0 = x_index[x0], top_index[top]
            c1 = max(c0 + 1, bisect_right(self.xs, x1 - _EPS))
            r1 = max(r0 + 1, bisect_right(self.tops, bottom - _EPS))
            self.spans.append((r0, r1, c0, c1))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if self.owner[r][c] is None:
                        self.owner[r][c] = k
        self.base = 0  # the group number of cell 0 (see `_assign`)

    @property
    def usable(self) -> bool:
        # A frame around the page or a boxed paragraph is not a table.
        return len(self.xs) >= 2 and len(self.cells) >= 2

    def rows(self, texts: dict[int, str]) -> list[_Row]:
        """The rows, from the texts of the page's groups (``texts[self.base + k]``: cell k's)."""
        texts = [_visual_lines(texts.get(self.base + k, "")) for k in range(len(self.cells))]
        ncols = len(self.xs)
        out: list[_Row] = []
        for r in range(len(self.tops)):
            cells: list[list[str] | None] = []
            started: list[int] = []
            for c in range(ncols):
                k = self.owner[r][c]
                if k is None:
                    cells.append([])  # no cell drawn here
                    continue
                r0, _, c0, _ = self.spans[k]
                if c != c0:
                    cells.append(None)  # covered by a cell merged across columns: written once
                elif r != r0:
                    cells.append([])  # covered by a cell merged across rows
                else:
                    cells.append(texts[k])
                    started.append(k)
            if not any(cells):
                continue
            single = len(started) == 1 and self.spans[started[0]][2:] == (0, ncols)
            out.append(_Row(cells, single))
        return out


class _Page:
    """A page's characters placed: ``group`` numbers each character's cell or band of text (see
    `_assign`) from 0; `_blocks` shifts them to be unique in the document."""

    __slots__ = ("number", "glyphs", "grids", "group")

    def __init__(self, number: int, glyphs, grids: list[_Grid], group) -> None:
        self.number, self.glyphs, self.grids, self.group = number, glyphs, grids, group


def _layout(page_no: int, glyphs, tables: list) -> _Page:
    grids = [g for g in (_Grid(t) for t in tables) if g.usable]
    grids.sort(key=lambda g: g.bbox[1])
    return _Page(page_no, glyphs, grids, _assign(glyphs, grids))


def _blocks(pages: list[_Page], concatenate, words) -> list[_Block]:
    """The pages' blocks. The characters of all pages are grouped into words and lines at once
    (``words(glyphs, group, bands)``: `_fast_words` or `_plumber_words`; ``concatenate`` joins the
    pages' characters): numpy's cost per call, paid per page, was most of the grouping's time."""
    base = 0
    bands: list[np.ndarray] = []
    for page in pages:
        page.group = page.group + base
        for grid in page.grids:
            grid.base += base
        bands.append(base + np.arange(len(page.grids) + 1))
        base += len(page.grids) + 1 + sum(len(grid.cells) for grid in page.grids)
    glyphs = concatenate([page.glyphs for page in pages])
    group = np.concatenate([page.group for page in pages] or [np.empty(0, np.intp)])
    texts, lines = words(glyphs, group, np.concatenate(bands or [np.empty(0, np.intp)]))
    blocks: list[_Block] = []
    for page, page_bands in zip(pages, bands, strict=True):
        page_no, grids = page.number, page.grids
        if not grids:
            blocks.append(_Block("text", page_no, lines=_band_lines(lines.get(int(page_bands[0]), []))))
            continue
        # Text outside tables, in bands: above the first table, between tables, below the last.
        for index, band_group in enumerate(page_bands.tolist()):
            band = _band_lines(lines.get(band_group, []))
            if band:
                blocks.append(_Block("text", page_no, lines=band))
            if index < len(grids):
                rows = grids[index].rows(texts)
                if rows:
                    blocks.append(_Block("table", page_no, rows=rows, xs=grids[index].xs))
    return blocks


def _assign(glyphs, grids: list[_Grid]):
    """Each character's group: the first table cell (in ``grids``' order) holding its centre, else
    the band of text its centre falls in. Group ``i`` for ``i`` up to ``len(grids)`` is the band above
    table ``i`` (the last one: below the last table); cell ``k`` of a grid is group ``grid.base + k``."""
    h = (glyphs.x0 + glyphs.x1) / 2
    v = (glyphs.top + glyphs.bottom) / 2
    group = np.searchsorted([g.bbox[1] for g in grids], v, side="right")
    free = np.ones(len(group), bool)
    base = len(grids) + 1
    for grid in grids:
        grid.base = base
        base += len(grid.cells)
        x0, top, x1, bottom = grid.bbox
        at = np.flatnonzero(free & (x0 <= h) & (h < x1) & (top <= v) & (v < bottom))
        if not at.size:
            continue
        gh, gv = h[at], v[at]
        r = np.searchsorted(grid.tops, gv, side="right") - 1
        c = np.searchsorted(grid.xs, gh, side="right") - 1
        owner = np.array([-1 if k is None else k for row in grid.owner for k in row])
        k = np.where((r >= 0) & (c >= 0), owner[r * len(grid.xs) + c], -1)  # a -1 index is read, then dropped
        cells = np.array(grid.cells, float)[k]
        hit = (k >= 0) & (cells[:, 0] <= gh) & (gh < cells[:, 2]) & (cells[:, 1] <= gv) & (gv < cells[:, 3])
        hit = at[hit], k[hit]
        group[hit[0]] = grid.base + hit[1]
        free[hit[0]] = False
    return group


def _dedupe(chars: list[tuple]) -> list[tuple]:
    """Drop characters printed twice at the same place (fake bold); linear, unlike pdfplumber's."""
    seen: set[tuple] = set()
    out = []
    for char in chars:
        key = (char[0], round(char[1]), round(char[3]))
        if key in seen:
            continue
        seen.add(key)
        out.append(char)
    return out


def _band_lines(lines: list[list[tuple]]) -> list[str]:
    """Lines of text outside tables (given as lines of words ``(text, x0, x1)``), top to bottom. Where consecutive lines are split by a wide
    gap into a left and a right part (the issuer | national motto block at the top of every
    administrative document), the left column is written before the right one, as Word does."""
    rows: list[list[tuple[float, float, str]]] = []  # per line: segments (x0, x1, text)
    for line in lines:
        line.sort(key=_X0)
        segments = [[line[0]]]
        for word in line[1:]:
            if word[1] - segments[-1][-1][2] >= _GUTTER:
                segments.append([word])
            else:
                segments[-1].append(word)
        rows.append([(seg[0][1], seg[-1][2], " ".join(w[0] for w in seg)) for seg in segments])
    out: list[str] = []
    i = 0
    while i < len(rows):
        end, gutter = _two_column_run(rows, i)
        if end > i + 1:
            left = [r[0][2] for r in rows[i:end] if len(r) == 2 or r[0][1] < gutter[1]]
            right = [r[-1][2] for r in rows[i:end] if len(r) == 2 or r[0][1] >= gutter[1]]
            out += left + right
            i = end
        else:
            out.append(" ".join(seg[2] for seg in rows[i]))
            i += 1
    return [line.replace("\t", " ").rstrip() for line in out if line.strip()]


def _two_column_run(rows: list, start: int) -> tuple[int, tuple[float, float]]:
    """End (exclusive) of the run of lines from ``start`` set in two columns, and its gutter; the run
    starts and ends with a line that has both parts, lines with one part on one side may sit between."""
    if len(rows[start]) != 2:
        return start, (0.0, 0.0)
    lo, hi = rows[start][0][1], rows[start][1][0]
    end = start + 1
    for j in range(start + 1, len(rows)):
        row = rows[j]
        if len(row) == 2 and row[0][1] < hi and row[1][0] > lo:
            lo, hi = max(lo, row[0][1]), min(hi, row[1][0])
            end = j + 1
        elif len(row) == 1 and ((row[0][1] < hi) != (row[0][0] > lo)):
            continue  # wholly on one side of the gutter
        else:
            break
    return end, (lo, hi)


def _visual_lines(text: str) -> list[str]:
    return [line for line in (_clean(raw.replace("\t", " ")) for raw in text.split("\n")) if line]


def _cell_text(lines: list[str]) -> str:
    """One line for a cell's visual lines: list items (lines starting with a bullet or dash)
    become ``<ul><li>…</li></ul>``; wrapped lines are joined with spaces."""
    if len(lines) < 2:  # most cells: nothing to join (one item alone is no list)
        return lines[0] if lines else ""
    items: list[tuple[bool, str]] = []
    for line in lines:
        match = _BULLET_PREFIX.match(line)
        is_item = False
        if match:
            after = line[match.end() :]
            marker = match.group(1)
            # A dash at the start of a wrapped line may be a range ("2021" / "- 2025"): it starts an
            # item only after a finished line, at the cell's start, or before a capital letter.
            is_item = (
                marker not in "-–‒"
                or not items
                or bool(_ITEM_END.search(items[-1][1]))
                or (after[:1].isupper() or after[:1] in "\"'“(")
            )
        if not is_item and items and _GLUE_END.search(items[-1][1]):
            items[-1] = (items[-1][0], items[-1][1] + line)  # "QĐ-" / "UBND", "2725/" / "QĐ-UBND"
            continue
        items.append((is_item, line))
    if sum(1 for is_item, _ in items if is_item) < 2:
        return " ".join(text for _, text in items)
    return _cell_markup(items)  # continuation lines join the item above them


# --------------------------------------------------------------------------- assembling


def _only_page_numbers(block: _Block) -> bool:
    return block.kind == "text" and all(_PAGE_NUMBER.match(line) for line in block.lines)


def _same_columns(a: _Block, b: _Block) -> bool:
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 3 for x, y in zip(a.xs, b.xs, strict=True))


def _join_continued_tables(blocks: list[_Block]) -> list[_Block]:
    """Merge a table that ends a page with the table that starts the next one (same columns),
    dropping the page numbers printed between them. A row split by the page break (its part on
    the next page has an empty first cell) is put back together."""
    out: list[_Block] = []
    for block in blocks:
        if block.kind == "table":
            between = []
            for previous in reversed(out):
                if previous.kind == "table":
                    break
                between.append(previous)
            if (
                len(between) < len(out)
                and all(_only_page_numbers(b) for b in between)
                and block.page == (prev := out[-1 - len(between)]).page + 1
                and _same_columns(prev, block)
            ):
                del out[len(out) - len(between) :]
                _append_rows(prev, block.rows)
                prev.page = block.page
                continue
        out.append(block)
    return out


def _append_rows(table: _Block, rows: list[_Row]) -> None:
    header = table.rows[0].render() if table.rows else None
    repeated = 1 if rows and header is not None and rows[0].render() == header else 0
    last = table.rows[-1] if table.rows else None
    if (
        last is not None
        and len(rows) > repeated
        and not last.single
        and (len(table.rows) > 1 or not repeated)
        and last.render() != header
    ):
        first = rows[repeated]
        if not first.single and first.shape() == last.shape() and first.cells[0] == []:
            for lines, more in zip(last.cells, first.cells, strict=True):
                if lines is not None and more:
                    lines.extend(more)
            rows = rows[:repeated] + rows[repeated + 1 :]
    table.rows.extend(rows)


def _render(blocks: list[_Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if block.kind == "table":
            if lines and lines[-1]:
                lines.append("")
            lines.extend(row.render() for row in block.rows)
            lines.append("")
        else:
            lines.extend(block.lines)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""
