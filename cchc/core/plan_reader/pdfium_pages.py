"""A PDF's characters and ruled lines read with PDFium (pypdfium2), with pdfplumber's values.

pdfplumber spends nearly all of a plan's reading time in pdfminer's layout analysis; PDFium reads the
same characters and paths an order of magnitude faster. Each page gives its characters (`Glyphs`:
text, ``x0``, ``x1``, ``top``, ``bottom`` from the top of the page) and its ruled lines
(`PdfPage.rules`) as numpy columns, the values pdfplumber's would have (`PdfPage.chars` and
`PdfPage.edges` give them as its dicts), for the table finder (`page_tables`) and the word grouping
(`pdfwords`), which do pdfplumber's steps on them; pdfplumber never parses the file.

PDFium is asked once per character or path segment: through ``map`` over bare ctypes functions, so
no Python runs between the calls, the answers written into reused ctypes arrays (`_Outputs`) that
numpy reads. What was Python work per character is numpy work per page.

Horizontal extents are PDFium's "loose" character boxes; the vertical extent comes from the baseline
and the font size (like pdfminer's), so accented Vietnamese capitals sit on the line of plain ones.
"""

from __future__ import annotations

import ctypes
import threading
from ctypes import byref
from dataclasses import dataclass
from itertools import chain, islice, repeat
from pathlib import Path

import numpy as np

# Per code point up to U+3000 (the last one str.isspace() holds blank): 1 a blank, 2 a line end or
# NUL (PDFium's, never a character on the page), 0 anything else.
_KIND = np.array([2 if chr(c) in "\r\n\x00" else int(chr(c).isspace()) for c in range(0x3001)], np.uint8)
_AXIS = 0.01  # points: a segment this close to horizontal/vertical is a ruled line
_ASCENT = 0.8  # share of the font size above the baseline (only differences between chars matter)


class Glyphs:
    """A page's characters as columns: ``codes`` (code points), ``space`` (blank or not) and the box
    ``x0``, ``x1``, ``top``, ``bottom`` (points from the top-left), numpy arrays in reading order.
    Columns, not a tuple per character: the reader places and groups them with numpy, a page or a
    document at a time (`pdf._assign`, `pdfwords.group_words`)."""

    __slots__ = ("codes", "space", "x0", "x1", "top", "bottom")

    def __init__(self, codes, space, x0, x1, top, bottom) -> None:
        self.codes, self.space, self.x0, self.x1, self.top, self.bottom = codes, space, x0, x1, top, bottom

    @classmethod
    def empty(cls) -> Glyphs:
        none = np.empty(0)
        return cls(np.empty(0, np.uint32), np.empty(0, bool), none, none, none, none)

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def concatenate(cls, parts: list[Glyphs]) -> Glyphs:
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(g, name) for g in parts]) for name in cls.__slots__))

    def subset(self, keep) -> Glyphs:
        return Glyphs(*(getattr(self, name)[keep] for name in self.__slots__))

    @property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le")


@dataclass
class PdfPage:
    number: int  # from 0
    width: float
    height: float
    glyphs: Glyphs
    rules: np.ndarray  # the ruled lines: rows (x0, top, x1, bottom, vertical), see `_rules`

    @property
    def chars(self) -> list[dict]:
        """The characters as pdfplumber's dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``)."""
        g = self.glyphs
        columns = (g.text, g.x0.tolist(), g.x1.tolist(), g.top.tolist(), g.bottom.tolist())
        return [dict(zip(("text", "x0", "x1", "top", "bottom"), c, strict=True)) for c in zip(*columns, strict=True)]

    @property
    def edges(self) -> list[dict]:
        """The ruled lines as pdfplumber's edges (what its ``TableFinder`` reads)."""
        out = []
        for x0, top, x1, bottom, vertical in self.rules.tolist():
            out.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": 0.0 if vertical else x1 - x0,
                        "height": bottom - top if vertical else 0.0, "orientation": "v" if vertical else "h"})
        return out

    @property
    def bbox(self) -> tuple[float, float, float, float]:  # what pdfplumber's TableFinder asks of a page
        return (0.0, 0.0, self.width, self.height)


class PdfiumOpenError(Exception):
    """The file cannot be opened by PDFium; ``password`` tells a protected file from a damaged one."""

    def __init__(self, message: str, *, password: bool) -> None:
        super().__init__(message)
        self.password = password


def read_pages(path: Path | str, *, drawn_rules: bool = False):
    """Yield a `PdfPage` per page of the PDF at ``path``; raises `PdfiumOpenError` on a bad file.

    ``drawn_rules``: also find the ruled lines drawn in the page's pictures (a scan with an OCR text
    layer has its table borders in the picture only), see `_picture_edges`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        raise PdfiumOpenError(str(exc), password=code == raw.FPDF_ERR_PASSWORD) from exc
    try:
        for number in range(len(doc)):
            page = doc[number]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    chars = _chars(raw, textpage.raw, height)
                finally:
                    textpage.close()
                edges = _edges(raw, page.raw, height)
                if drawn_rules:
                    edges = np.concatenate((edges, _picture_edges(page, height)))
            finally:
                page.close()
            yield PdfPage(number, width, height, chars, edges)
    finally:
        doc.close()


def has_text(path: Path | str) -> bool:
    """Whether any page of the PDF has a non-blank character (a scan has none)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        for number in range(len(doc)):
            page = doc[number]
            textpage = page.get_textpage()
            try:
                if textpage.get_text_range().strip():
                    return True
            finally:
                textpage.close()
                page.close()
        return False
    finally:
        doc.close()


class _Handle(ctypes.c_void_p):
    """A PDFium handle as a function returns it: a subclass of ``c_void_p`` is not turned into an
    int, so it passes to the next call as is (false when null), without a ``c_void_p`` made per call."""


class _Api:
    """The few PDFium functions called once per character or path segment, as bare ctypes function
    pointers without argument types: pypdfium2's typed bindings check and convert every argument,
    which costs several times the call itself on the tens of thousands of characters of a plan.
    Pointers are passed as ``c_void_p``, out-parameters by ``byref``; handles come back as `_Handle`,
    ready to pass on."""

    def __init__(self, raw) -> None:
        def bare(fn, restype=ctypes.c_int):
            function = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
            function.restype = restype
            return function

        self.loose = bare(raw.FPDFText_GetLooseCharBox)
        self.origin = bare(raw.FPDFText_GetCharOrigin)
        self.font_size = bare(raw.FPDFText_GetFontSize, ctypes.c_double)
        self.generated = bare(raw.FPDFText_IsGenerated)
        self.get_object = bare(raw.FPDFPage_GetObject, _Handle)
        self.object_type = bare(raw.FPDFPageObj_GetType)
        self.matrix = bare(raw.FPDFPageObj_GetMatrix)
        self.form_count = bare(raw.FPDFFormObj_CountObjects)
        self.form_object = bare(raw.FPDFFormObj_GetObject, _Handle)
        self.segment_count = bare(raw.FPDFPath_CountSegments)
        self.segment = bare(raw.FPDFPath_GetPathSegment, _Handle)
        self.point = bare(raw.FPDFPathSegment_GetPoint)
        self.segment_type = bare(raw.FPDFPathSegment_GetType)
        self.segment_close = bare(raw.FPDFPathSegment_GetClose)


class _Outputs(threading.local):
    """Per thread, ctypes arrays for PDFium to write its answers into, with a ``byref`` to each
    slot: made once and reused (a ``byref`` made per call costs a third of the call)."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple] = {}

    def slots(self, name: str, ctype, width: int, n: int):
        """An array of at least ``n`` slots of ``width`` ``ctype`` values and an iterator over the
        first ``n`` slots' references; read the answers before asking for ``name`` again."""
        array, refs = self.kept.get(name, (None, []))
        if len(refs) < n:
            size = max(n, min(2 * len(refs), _KEPT_SLOTS))
            step = ctypes.sizeof(ctype) * width
            array = (ctype * (width * size))()
            refs = list(map(byref, repeat(array, size), range(0, step * size, step)))
            if size <= _KEPT_SLOTS:  # a page of a huge count is served, not kept
                self.kept[name] = (array, refs)
        return array, islice(refs, n)


_KEPT_SLOTS = 1 << 16  # per name and thread: ~5 MB at most, pages have a few thousand characters


_OUT = _Outputs()
_API: _Api | None = None


def _api(raw) -> _Api:
    global _API
    if _API is None:
        _API = _Api(raw)
    return _API


def _pointer(handle) -> ctypes.c_void_p:
    return ctypes.c_void_p(ctypes.cast(handle, ctypes.c_void_p).value)


def _chars(raw, textpage, height: float) -> Glyphs:
    """The page's characters (see `Glyphs`), each once: a character printed again at the same place
    (fake bold) is dropped, as `pdf._dedupe` does.

    PDFium is asked per character through ``map`` (the calls run from C, with no Python loop around
    them), the answers land in ctypes arrays read by numpy: the per-character Python work, not the
    calls, was most of the reading time."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return Glyphs.empty()
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    got = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="replace")[:count]
    # PDFium's marks for a hyphen that ends a line
    text = text.replace("\ufffe", "-").replace("\x02", "-")
    n = len(text)
    if not n:
        return Glyphs.empty()
    api = _api(raw)
    page = _pointer(textpage)
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    kind = np.where(codes < len(_KIND), _KIND[np.minimum(codes, len(_KIND) - 1)], 0)
    space = kind > 0
    keep = kind != 2
    spaces = np.flatnonzero(space & keep)
    if spaces.size:  # PDFium adds blanks between words (and line ends): only those it read are kept
        generated = np.fromiter(map(api.generated, repeat(page, spaces.size), spaces.tolist()), np.intc, spaces.size)
        keep[spaces[generated == 1]] = False
    index = np.flatnonzero(keep)
    k = len(index)
    boxes, refs = _OUT.slots("box", ctypes.c_float, 4, k)  # an FS_RECTF each: left, top, right, bottom
    found = np.fromiter(map(api.loose, repeat(page, k), index.tolist(), refs), np.intc, k) != 0
    box = np.frombuffer(boxes, np.float32, 4 * k).reshape(k, 4)  # a view: read before the next page
    if not found.all():
        index, box = index[found], box[found]
    if not index.size:
        return Glyphs.empty()
    # The vertical extent from the baseline and the font size, as pdfminer has it: PDFium's loose box
    # reaches higher over stacked accents ("Ế"), which would split a line. The loose box's height and
    # place follow the baseline and the font size, so a character whose box spans exactly the
    # previous one's sits on the same baseline at the same size (most characters: a line's run of one
    # font), and PDFium is asked only where the box changes; the others take the last answer.
    change = np.empty(len(index), bool)
    change[0] = True
    np.not_equal(box[1:, 1], box[:-1, 1], out=change[1:])
    change[1:] |= box[1:, 3] != box[:-1, 3]
    valid = np.ones(len(index), bool)
    y_top = np.empty(len(index))
    size = np.empty(len(index))
    asked = np.flatnonzero(change)
    while asked.size:
        m = len(asked)
        at = index[asked].tolist()
        _xs, x_refs = _OUT.slots("origin x", ctypes.c_double, 1, m)
        ys, y_refs = _OUT.slots("origin y", ctypes.c_double, 1, m)
        ok = np.fromiter(map(api.origin, repeat(page, m), at, x_refs, y_refs), np.intc, m)
        sizes = np.fromiter(map(api.font_size, repeat(page, m), at), np.float64, m)
        loose_height = np.abs(box[asked, 1].astype(np.float64) - box[asked, 3])
        sizes = np.where(sizes != 0, sizes, loose_height)  # no font size: the loose box's height
        size[asked] = sizes
        y_top[asked] = height - np.frombuffer(ys, np.float64, m) - _ASCENT * sizes
        # A character without an origin is dropped, and the next one asks PDFium again.
        failed = asked[ok == 0]
        valid[failed] = False
        after = failed + 1
        after = after[after < len(index)]
        asked = after[~change[after]]
        change[asked] = True
    last = np.maximum.accumulate(np.where(change, np.arange(len(index)), 0))
    y_top, size = y_top[last], size[last]
    left, right = box[:, 0].astype(np.float64), box[:, 2].astype(np.float64)
    swapped = right < left
    left, right = np.where(swapped, right, left), np.where(swapped, left, right)
    codes, space = codes[index], space[index]
    columns = [column[valid] for column in (codes, space, left, right, y_top, y_top + size)]
    # The duplicate check, on (character, rounded left, rounded top): the first one stays.
    keys = (columns[0], np.rint(columns[2]), np.rint(columns[4]))
    if (np.abs(keys[1]) < 1 << 20).all() and (np.abs(keys[2]) < 1 << 20).all():
        # One int key (21 bits each): without duplicates (most pages) one plain sort tells.
        key = ((keys[0].astype(np.int64) << 42) | ((keys[1].astype(np.int64) + (1 << 20)) << 21)
               | (keys[2].astype(np.int64) + (1 << 20)))
        ordered = np.sort(key)
        if not (ordered[1:] == ordered[:-1]).any():
            return Glyphs(*columns)
        keys = (key,)
    order = np.lexsort(keys[::-1])  # stable: the first of equal keys stays first
    same = np.ones(len(order) - 1, bool)
    for key in keys:
        ordered = key[order]
        same &= ordered[1:] == ordered[:-1]
    first = np.ones(len(order), bool)
    first[order[1:][same]] = False
    return Glyphs(*(column[first] for column in columns))


def _edges(raw, page, height: float):
    """Horizontal and vertical segments of every path (rectangles give their four sides), as
    pdfplumber's edges (see `PdfPage.rules`); paths inside form XObjects are included with their
    form's transform."""
    api = _api(raw)
    objects = list(map(api.get_object, repeat(_pointer(page)), range(raw.FPDFPage_CountObjects(page))))
    paths: list[_Handle] = []
    matrices: list[np.ndarray] = []
    _collect_paths(raw, api, [o for o in objects if o], _IDENTITY, 0, paths, matrices)
    if not paths:
        return np.empty((0, 5))
    return _paths_edges(raw, api, paths, np.concatenate(matrices), height)


_IDENTITY = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])


def _collect_paths(raw, api: _Api, objects: list[_Handle], outer, depth: int, paths: list, matrices: list) -> None:
    """Append the paths among ``objects`` (handles) to ``paths`` in their order, those inside forms
    where the form is, with their transforms (composed with ``outer``) as rows to ``matrices``."""
    kinds = list(map(api.object_type, objects))
    wanted = [i for i, kind in enumerate(kinds) if kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)]
    if not wanted:
        return
    count = len(wanted)
    values, refs = _OUT.slots("matrix", ctypes.c_float, 6, count)  # an FS_MATRIX (a, b, c, d, e, f) each
    has_matrix = list(map(api.matrix, (objects[i] for i in wanted), refs))
    m = np.frombuffer(values, np.float32, 6 * count).reshape(count, 6).astype(np.float64)
    # Composed with ``outer`` as (a, b, c, d, e, f) transforms (inner first), term by term as ever.
    a, b, c, d, e, f = m.T
    A, B, C, D, E, F = outer
    m = np.stack((a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F), 1)
    run: list[int] = []  # positions in ``wanted`` of the paths since the last form
    for j, i in enumerate(wanted):
        if not has_matrix[j]:
            continue
        if kinds[i] == raw.FPDF_PAGEOBJ_PATH:
            run.append(j)
            continue
        if run:
            paths.extend(objects[wanted[k]] for k in run)
            matrices.append(m[run])
            run = []
        if depth < 8:
            form = objects[i]
            inner = list(map(api.form_object, repeat(form), range(api.form_count(form))))
            _collect_paths(raw, api, [o for o in inner if o], m[j], depth + 1, paths, matrices)
    if run:
        paths.extend(objects[wanted[k]] for k in run)
        matrices.append(m[run])


def _paths_edges(raw, api: _Api, paths: list, matrices, height: float):
    """The edges of the segments of ``paths``, each path under its matrix (a row of ``matrices``)."""
    counts = [max(n, 0) for n in map(api.segment_count, paths)]
    handles = list(map(api.segment, chain.from_iterable(map(repeat, paths, counts)), chain.from_iterable(map(range, counts))))
    owners = np.repeat(np.arange(len(paths)), counts)
    if not all(handles):  # segments without a handle (or, below, a point) are passed over, as if absent
        present = [k for k, h in enumerate(handles) if h]
        handles, owners = [handles[k] for k in present], owners[present]
    total = len(handles)
    xs, x_refs = _OUT.slots("point x", ctypes.c_float, 1, total)
    ys, y_refs = _OUT.slots("point y", ctypes.c_float, 1, total)
    read = np.fromiter(map(api.point, handles, x_refs, y_refs), np.intc, total) != 0
    moveto = np.fromiter(map(api.segment_type, handles), np.intc, total) == raw.FPDF_SEGMENT_MOVETO
    closes = np.fromiter(map(api.segment_close, handles), np.intc, total) != 0
    owner, moveto, closes = owners[read], moveto[read], closes[read]
    px = np.frombuffer(xs, np.float32, total)[read].astype(np.float64)
    py = np.frombuffer(ys, np.float32, total)[read].astype(np.float64)
    a, b, c, d, e, f = matrices[owner].T
    x, y = a * px + c * py + e, b * px + d * py + f
    # The subpath walk: a move (or a path's first segment) starts a subpath; any other segment draws
    # from the previous point, and one that closes draws back to the subpath's start too (the next
    # segment then draws from the start).
    n = len(owner)
    starts = moveto.copy()
    starts[:1] = True
    starts[1:] |= owner[1:] != owner[:-1]
    start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    sx, sy = x[start], y[start]
    back = closes & ((sx != x) | (sy != y)) & ~starts
    # Each segment's two candidate edges, in order: from the previous point, then back to the start.
    ends = np.empty((4, n, 2))  # [x0 y0 x1 y1, segment, from the previous point | back to the start]
    ends[0, 1:, 0] = np.where(back, sx, x)[:-1]
    ends[1, 1:, 0] = np.where(back, sy, y)[:-1]
    ends[:2, :1, 0] = 0.0  # a path's first segment draws nothing
    ends[0, :, 1], ends[1, :, 1] = x, y
    ends[2, :, 0], ends[3, :, 0] = x, y
    ends[2, :, 1], ends[3, :, 1] = sx, sy
    keep = np.stack((~starts, back), 1).ravel()
    x0, y0, x1, y1 = ends.reshape(4, -1)[:, keep]
    return _rules(x0, y0, x1, y1, height)


def _rules(x0, y0, x1, y1, height: float):
    """The segments from (x0, y0) to (x1, y1) (PDF space) that are horizontal or vertical, as rows
    ``(x0, top, x1, bottom, vertical)`` from the top-left."""
    dx, dy = np.abs(x0 - x1), np.abs(y0 - y1)
    flat = (dy <= _AXIS) & (dx > _AXIS)
    upright = (dx <= _AXIS) & (dy > _AXIS)
    out = np.empty((len(x0), 5))
    out[:, 0] = np.where(flat, np.minimum(x0, x1), x0)
    out[:, 2] = np.where(flat, np.maximum(x0, x1), x0)
    out[:, 1] = np.where(flat, height - y0, height - np.maximum(y0, y1))
    out[:, 3] = np.where(flat, height - y0, height - np.minimum(y0, y1))
    out[:, 4] = upright
    return out[flat | upright]


_RULE_DPI = 100  # rendering resolution for finding drawn rules: a 1-pixel rule at 200 dpi survives
_MIN_RULE = 0.25  # inches: a dark run this long is a ruled line, not a letter's stroke


def _picture_edges(page, height: float):
    """Ruled lines as they appear on the rendered page: horizontal and vertical runs of dark pixels
    at least `_MIN_RULE` long, in points from the top-left, as `_rules` gives them."""
    scale = _RULE_DPI / 72
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        pixels = bitmap.to_numpy()
    finally:
        bitmap.close()
    if pixels.ndim == 3:
        pixels = pixels[..., 0]
    dark = pixels < 160
    minimum = int(_MIN_RULE * _RULE_DPI)
    parts = []
    for vertical, grid in ((0.0, dark), (1.0, dark.T)):
        padded = np.zeros((grid.shape[0], grid.shape[1] + 2), dtype=np.int8)
        padded[:, 1:-1] = grid
        steps = np.diff(padded, axis=1)
        rows_s, starts = np.nonzero(steps == 1)
        _rows_e, ends = np.nonzero(steps == -1)
        keep = (ends - starts) >= minimum
        pos, lo, hi = (rows_s[keep] + 0.5) / scale, starts[keep] / scale, ends[keep] / scale
        rules = np.stack((lo, pos, hi, pos) if not vertical else (pos, lo, pos, hi), 1)
        parts.append(np.column_stack((rules, np.full(len(pos), vertical))))
    return np.concatenate(parts)


def page_tables(page: PdfPage) -> list:
    """pdfplumber's ruled tables of ``page`` (default settings: the "lines" strategy), found by
    `lattice.find_tables` (the same cells, a fraction of the cost)."""
    from cchc.core.plan_reader.lattice import find_tables

    return find_tables(page.rules) if len(page.rules) else []
