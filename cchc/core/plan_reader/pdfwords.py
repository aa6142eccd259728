"""Words and lines of PDF characters, as pdfplumber's ``extract_words`` / ``extract_text`` give them
(default settings, upright text), without their general machinery: the same grouping (characters
clustered into lines by their top within a tolerance, split into words at blanks and gaps wider than
the tolerance), so the reader's text is unchanged (tests/core/test_pdf_pdfium.py checks it), but at a
fraction of the cost on the thousands of small cells of a plan's tables.

Characters and words are tuples ``(text, x0, x1, top, bottom, ...)`` (`pdfium_pages.PdfPage.glyphs`).
"""

from __future__ import annotations

from operator import itemgetter

from pdfplumber.utils.text import LIGATURES

TOLERANCE = 3  # points, pdfplumber's default x and y tolerance
_LIGATURES = str.maketrans(LIGATURES)  # str.translate does LIGATURES.get per character
_X0 = itemgetter(1)


def _grouped(objects: list[tuple], key: int, tolerance: float) -> list[list[tuple]]:
    """``objects`` in clusters of ``key`` values no further than ``tolerance`` from the previous
    value (pdfplumber's ``cluster_objects``): clusters in order, objects in their order inside each."""
    if not objects:
        return []
    values = sorted({o[key] for o in objects})
    if len(values) == 1:
        return [list(objects)]
    index: dict[float, int] = {}
    group, last = -1, None
    for value in values:
        if last is None or value > last + tolerance:
            group += 1
        index[value] = group
        last = value
    if group == 0:
        return [list(objects)]
    out: list[list[tuple]] = [[] for _ in range(group + 1)]
    for o in objects:
        out[index[o[key]]].append(o)
    return out


def _word(chars: list[tuple]) -> tuple:
    """``(text, x0, x1, top, bottom)`` of a word's characters (sorted by x0)."""
    text = "".join([c[0] for c in chars]).translate(_LIGATURES)
    if len(chars) == 1:
        c = chars[0]
        return (text, c[1], c[2], c[3], c[4])
    return (
        text,
        min([c[1] for c in chars]),
        max([c[2] for c in chars]),
        min([c[3] for c in chars]),
        max([c[4] for c in chars]),
    )


def extract_words(chars: list[tuple], tolerance: float = TOLERANCE) -> list[tuple]:
    """Words ``(text, x0, x1, top, bottom)`` line by line, left to right."""
    words: list[tuple] = []
    append = words.append
    for line in _grouped(chars, 3, tolerance):
        line.sort(key=_X0)
        current: list[tuple] = []
        p = None
        for c in line:
            if c[0].isspace():
                if current:
                    append(_word(current))
                current = []
                p = None
                continue
            if p is not None and (c[1] < p[1] or c[1] > p[2] + tolerance or abs(c[3] - p[3]) > tolerance):
                append(_word(current))
                current = [c]
            else:
                current.append(c)
            p = c
        if current:
            append(_word(current))
    return words


def extract_text(chars: list[tuple], tolerance: float = TOLERANCE) -> str:
    """The characters' text: words joined by a space, lines by a newline (`extract_words` grouped
    into lines by their top; only each word's text and top are made)."""
    words: list[tuple] = []  # (text, top)
    append = words.append
    for line in _grouped(chars, 3, tolerance):
        line.sort(key=_X0)
        current: list[str] = []
        top = 0.0
        p = None
        for c in line:
            if c[0].isspace():
                if current:
                    append(("".join(current), top))
                current = []
                p = None
                continue
            if p is None:
                current, top = [c[0]], c[3]
            elif c[1] < p[1] or c[1] > p[2] + tolerance or abs(c[3] - p[3]) > tolerance:
                append(("".join(current), top))
                current, top = [c[0]], c[3]
            else:
                current.append(c[0])
                if c[3] < top:
                    top = c[3]
            p = c
        if current:
            append(("".join(current), top))
    text = "\n".join(" ".join([w[0] for w in line]) for line in _grouped(words, 1, tolerance))
    return text.translate(_LIGATURES)


def cluster_lines(words: list[tuple], tolerance: float = TOLERANCE) -> list[list[tuple]]:
    """Words in lines by their top (pdfplumber's ``cluster_objects(words, "top", tolerance)``)."""
    return _grouped(words, 3, tolerance)
