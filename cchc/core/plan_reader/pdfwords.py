"""Words and lines of PDF characters, as pdfplumber's ``extract_words`` / ``extract_text`` give them
(default settings, upright text), without their general machinery: the same grouping (characters
clustered into lines by their top within a tolerance, split into words at blanks and gaps wider than
the tolerance), so the reader's text is unchanged (tests/core/test_pdf_pdfium.py checks it), but at a
fraction of the cost on the thousands of small cells of a plan's tables.
"""

from __future__ import annotations

from pdfplumber.utils.text import LIGATURES

TOLERANCE = 3  # points, pdfplumber's default x and y tolerance


def _grouped(objects: list[dict], key: str, tolerance: float) -> list[list[dict]]:
    """``objects`` in clusters of ``key`` values no further than ``tolerance`` from the previous
    value (pdfplumber's ``cluster_objects``): clusters in order, objects in their order inside each."""
    index: dict[float, int] = {}
    group, last = -1, None
    for value in sorted({o[key] for o in objects}):
        if last is None or value > last + tolerance:
            group += 1
        index[value] = group
        last = value
    out: list[list[dict]] = [[] for _ in range(group + 1)]
    for o in objects:
        out[index[o[key]]].append(o)
    return out


def _word(chars: list[dict]) -> dict:
    return {
        "text": "".join(LIGATURES.get(c["text"], c["text"]) for c in chars),
        "x0": min(c["x0"] for c in chars),
        "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars),
        "bottom": max(c["bottom"] for c in chars),
    }


def extract_words(chars: list[dict], tolerance: float = TOLERANCE) -> list[dict]:
    """Words (``text``, ``x0``, ``x1``, ``top``, ``bottom``) line by line, left to right."""
    words: list[dict] = []
    for line in _grouped(chars, "top", tolerance):
        line.sort(key=lambda c: c["x0"])
        current: list[dict] = []
        for c in line:
            if c["text"].isspace():
                if current:
                    words.append(_word(current))
                current = []
                continue
            if current:
                p = current[-1]
                if c["x0"] < p["x0"] or c["x0"] > p["x1"] + tolerance or abs(c["top"] - p["top"]) > tolerance:
                    words.append(_word(current))
                    current = [c]
                    continue
            current.append(c)
        if current:
            words.append(_word(current))
    return words


def extract_text(chars: list[dict], tolerance: float = TOLERANCE) -> str:
    """The characters' text: words joined by a space, lines by a newline."""
    words = extract_words(chars, tolerance)
    return "\n".join(" ".join(w["text"] for w in line) for line in _grouped(words, "top", tolerance))


def cluster_lines(words: list[dict], tolerance: float = TOLERANCE) -> list[list[dict]]:
    """Words in lines by their top (pdfplumber's ``cluster_objects(words, "top", tolerance)``)."""
    return _grouped(words, "top", tolerance)
