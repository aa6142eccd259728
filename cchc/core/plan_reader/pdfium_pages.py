"""A PDF's characters and ruled lines read with PDFium (pypdfium2), in pdfplumber's shapes.

pdfplumber spends nearly all of a plan's reading time in pdfminer's layout analysis; PDFium reads the
same characters and paths an order of magnitude faster. Each page gives plain dicts shaped like
pdfplumber's (``text``, ``x0``, ``x1``, ``top``, ``bottom`` from the top of the page), so pdfplumber's
table finder (`page_tables`) and word grouping keep working on them unchanged: pdfplumber is kept
only where its table logic is needed, never to parse the file.

Horizontal extents are PDFium's "loose" character boxes; the vertical extent comes from the baseline
and the font size (like pdfminer's), so accented Vietnamese capitals sit on the line of plain ones.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

_HYPHENS = "\ufffe\x02"
_AXIS = 0.01
_ASCENT = 0.8  # share of the font size above the baseline (only differences between chars matter)  # points: a segment this close to horizontal/vertical is a ruled line


@dataclass
class PdfPage:
    number: int  # from 0
    width: float
    height: float
    glyphs: list[tuple] = field(default_factory=list)  # (text, x0, x1, top, bottom) per character
    edges: list[dict] = field(default_factory=list)

    @property
    def chars(self) -> list[dict]:
        """The characters as pdfplumber's dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``)."""
        return [dict(zip(("text", "x0", "x1", "top", "bottom"), g, strict=True)) for g in self.glyphs]

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
                    edges += _picture_edges(page, height)
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


class _Api:
    """The few PDFium functions called once per character or path segment, as bare ctypes function
    pointers without argument types: pypdfium2's typed bindings check and convert every argument,
    which costs several times the call itself on the tens of thousands of characters of a plan.
    Pointers are passed as ``c_void_p``, out-parameters by ``byref``."""

    def __init__(self, raw) -> None:
        def bare(fn, restype=ctypes.c_int):
            function = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
            function.restype = restype
            return function

        self.loose = bare(raw.FPDFText_GetLooseCharBox)
        self.origin = bare(raw.FPDFText_GetCharOrigin)
        self.font_size = bare(raw.FPDFText_GetFontSize, ctypes.c_double)
        self.generated = bare(raw.FPDFText_IsGenerated)
        self.get_object = bare(raw.FPDFPage_GetObject, ctypes.c_void_p)
        self.object_type = bare(raw.FPDFPageObj_GetType)
        self.matrix = bare(raw.FPDFPageObj_GetMatrix)
        self.form_count = bare(raw.FPDFFormObj_CountObjects)
        self.form_object = bare(raw.FPDFFormObj_GetObject, ctypes.c_void_p)
        self.segment_count = bare(raw.FPDFPath_CountSegments)
        self.segment = bare(raw.FPDFPath_GetPathSegment, ctypes.c_void_p)
        self.point = bare(raw.FPDFPathSegment_GetPoint)
        self.segment_type = bare(raw.FPDFPathSegment_GetType)
        self.segment_close = bare(raw.FPDFPathSegment_GetClose)


_API: _Api | None = None


def _api(raw) -> _Api:
    global _API
    if _API is None:
        _API = _Api(raw)
    return _API


def _pointer(handle) -> ctypes.c_void_p:
    return ctypes.c_void_p(ctypes.cast(handle, ctypes.c_void_p).value)


def _chars(raw, textpage, height: float) -> list[tuple]:
    """The page's characters as ``(text, x0, x1, top, bottom)`` (see `PdfPage.glyphs`), each once: a
    character printed again at the same place (fake bold) is dropped, as `pdf._dedupe` does."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    got = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="replace")
    api = _api(raw)
    page = _pointer(textpage)
    box = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box_ref, ox_ref, oy_ref = ctypes.byref(box), ctypes.byref(ox), ctypes.byref(oy)
    loose, origin, size_of, generated = api.loose, api.origin, api.font_size, api.generated
    out: list[tuple] = []
    append = out.append
    seen: set[tuple] = set()
    seen_add = seen.add
    row = 0  # round(top), for the duplicate check: once per baseline lookup
    last_box = None  # the previous character's loose (top, bottom), and its top and bottom
    for i, ch in enumerate(text[:count]):
        if ch in _HYPHENS:  # PDFium's mark for a hyphen that ends a line
            ch = "-"
        elif ch in "\r\n\x00" or (ch.isspace() and generated(page, i) == 1):  # PDFium adds only blanks
            continue
        if not loose(page, i, box_ref):
            continue
        left, right = box[0], box[2]
        if right < left:
            left, right = right, left
        vertical = (box[1], box[3])
        if vertical != last_box:
            # The vertical extent from the baseline and the font size, as pdfminer has it: PDFium's
            # loose box reaches higher over stacked accents ("Ế"), which would split a line. The
            # loose box's height and place follow the baseline and the font size, so a character
            # whose box spans exactly the previous one's sits on the same baseline at the same size
            # (most characters: a line's run of one font), and PDFium is not asked again.
            if not origin(page, i, ox_ref, oy_ref):
                last_box = None
                continue
            size = size_of(page, i) or abs(box[1] - box[3])
            y_top = height - oy.value - _ASCENT * size
            y_bottom = y_top + size
            row = round(y_top)
            last_box = vertical
        key = (ch, round(left), row)
        if key in seen:
            continue
        seen_add(key)
        append((ch, left, right, y_top, y_bottom))
    return out


def _edges(raw, page, height: float) -> list[dict]:
    """Horizontal and vertical segments of every path (rectangles give their four sides), as
    pdfplumber's edges; paths inside form XObjects are included with their form's transform."""
    api = _api(raw)
    edges: list[dict] = []
    handle = _pointer(page)
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = api.get_object(handle, i)
        if obj:
            _object_edges(raw, api, ctypes.c_void_p(obj), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), height, edges, 0)
    return edges


def _compose(m, n):
    """The transform of ``m`` (inner) followed by ``n`` (outer), both as (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _object_edges(raw, api: _Api, obj, outer, height: float, edges: list[dict], depth: int) -> None:
    kind = api.object_type(obj)
    if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
        return
    matrix = raw.FS_MATRIX()
    if not api.matrix(obj, ctypes.byref(matrix)):
        return
    m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
    if kind == raw.FPDF_PAGEOBJ_FORM:
        if depth < 8:
            for j in range(api.form_count(obj)):
                inner = api.form_object(obj, j)
                if inner:
                    _object_edges(raw, api, ctypes.c_void_p(inner), m, height, edges, depth + 1)
        return
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    moveto = raw.FPDF_SEGMENT_MOVETO
    point_of, type_of, closes, segment_at = api.point, api.segment_type, api.segment_close, api.segment
    start = previous = None  # the open subpath's first point and its last one
    for s in range(api.segment_count(obj)):
        segment = segment_at(obj, s)
        if not segment:
            continue
        segment = ctypes.c_void_p(segment)
        if not point_of(segment, x_ref, y_ref):
            continue
        px, py = x.value, y.value
        point = (a * px + c * py + e, b * px + d * py + f)
        if type_of(segment) == moveto:
            start = previous = point
            continue
        if previous is None:
            start = previous = point
        else:
            _add_edge(previous, point, height, edges)
            previous = point
        if closes(segment) and start != point:
            _add_edge(point, start, height, edges)
            previous = start


def _add_edge(p0: tuple[float, float], p1: tuple[float, float], height: float, edges: list[dict]) -> None:
    """The segment from ``p0`` to ``p1`` as a pdfplumber edge, if it is horizontal or vertical."""
    x0, y0 = p0
    x1, y1 = p1
    if abs(y0 - y1) <= _AXIS and abs(x0 - x1) > _AXIS:
        lo, hi = min(x0, x1), max(x0, x1)
        top = height - y0
        edges.append({"x0": lo, "x1": hi, "top": top, "bottom": top, "width": hi - lo, "height": 0.0,
                      "orientation": "h", "object_type": "rect_edge"})
    elif abs(x0 - x1) <= _AXIS and abs(y0 - y1) > _AXIS:
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
                      "height": bottom - top, "orientation": "v", "object_type": "rect_edge"})


_RULE_DPI = 100  # rendering resolution for finding drawn rules: a 1-pixel rule at 200 dpi survives
_MIN_RULE = 0.25  # inches: a dark run this long is a ruled line, not a letter's stroke


def _picture_edges(page, height: float) -> list[dict]:
    """Ruled lines as they appear on the rendered page: horizontal and vertical runs of dark pixels
    at least `_MIN_RULE` long, in points from the top-left, as pdfplumber's edges."""
    import numpy as np

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
    edges: list[dict] = []
    for orientation, grid in (("h", dark), ("v", dark.T)):
        padded = np.zeros((grid.shape[0], grid.shape[1] + 2), dtype=np.int8)
        padded[:, 1:-1] = grid
        steps = np.diff(padded, axis=1)
        rows_s, starts = np.nonzero(steps == 1)
        _rows_e, ends = np.nonzero(steps == -1)
        keep = (ends - starts) >= minimum
        for line, a, b in zip(rows_s[keep], starts[keep], ends[keep], strict=True):
            pos, lo, hi = (line + 0.5) / scale, a / scale, b / scale
            if orientation == "h":
                edges.append({"x0": lo, "x1": hi, "top": pos, "bottom": pos, "width": hi - lo, "height": 0.0,
                              "orientation": "h", "object_type": "line"})
            else:
                edges.append({"x0": pos, "x1": pos, "top": lo, "bottom": hi, "width": 0.0, "height": hi - lo,
                              "orientation": "v", "object_type": "line"})
    return edges


def page_tables(page: PdfPage) -> list:
    """pdfplumber's ruled tables of ``page`` (default settings: the "lines" strategy), found by
    `lattice.find_tables` (the same cells, a fraction of the cost)."""
    from cchc.core.plan_reader.lattice import find_tables

    return find_tables(page.edges) if page.edges else []
