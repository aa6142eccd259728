"""Words and lines of PDF characters, as pdfplumber's ``extract_words`` / ``extract_text`` give them
(default settings, upright text), without their general machinery: the same grouping (characters
clustered into lines by their top within a tolerance, sorted by x0, split into words at blanks and
gaps wider than the tolerance; words clustered into lines again by their top), so the reader's text
is unchanged (tests/core/test_pdf_pdfium.py checks it), done with numpy for all the groups of a
document (its table cells and bands of text) at once: per-character Python was most of the reading time.

Characters are a `pdfium_pages.Glyphs`; each belongs to one group (a cell or a band of text).
"""

from __future__ import annotations

import numpy as np
from pdfplumber.utils.text import LIGATURES

TOLERANCE = 3  # points, pdfplumber's default x and y tolerance
_LIGATURES = str.maketrans(LIGATURES)
_GROUP, _LINE, _WORD = 0, ord("\n"), ord(" ")  # separators in the page's text (NUL is never a glyph)


def _clusters(group, values, tolerance: float):
    """pdfplumber's ``cluster_objects`` inside each group: a cluster id per item (ids ordered by
    group, then by value), a new cluster where the sorted value passes the previous by more than
    ``tolerance``. Ties keep the items' order (a stable sort), as pdfplumber's lists do."""
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    starts = np.empty(len(order), bool)
    starts[:1] = True
    starts[1:] = (g[1:] != g[:-1]) | (v[1:] > v[:-1] + tolerance)
    ids = np.empty(len(order), np.intp)
    ids[order] = np.cumsum(starts)
    return ids


def _stable_argsort(ids):
    """``np.argsort(ids, kind="stable")`` for small non-negative ints, as 16-bit ints when they fit
    (numpy radix-sorts those, several times faster)."""
    if len(ids) and ids.max() < 1 << 16:
        ids = ids.astype(np.uint16)
    return np.argsort(ids, kind="stable")


def _by_group_then_value(group, values):
    """``np.lexsort((values, group))``: by group, then by value, then in the given order. Within a
    line the page's order nearly always runs left to right already, so only the lines where it does
    not are sorted (a sort by x0 of the whole document costs several times more)."""
    order = _stable_argsort(group)
    groups, ordered = group[order], values[order]
    back = (groups[1:] == groups[:-1]) & ~(ordered[1:] >= ordered[:-1])  # a step back inside a group
    if back.any():
        at = np.flatnonzero(np.isin(groups, groups[1:][back]))
        order[at] = order[at][np.lexsort((ordered[at], groups[at]))]
    return order


def group_words(glyphs, group, tolerance: float = TOLERANCE):
    """Each group's words, in pdfplumber's order: ``(texts, groups, x0, x1)`` where ``texts`` maps a
    group to its text (words joined by a space, lines by a newline: ``extract_text``) and the
    arrays give each word's group, x0 and x1, in the text's order (``extract_words`` grouped into
    lines: the words of ``texts[g].split()``, for the bands of text outside tables)."""
    if not len(glyphs):
        return {}, np.empty(0, np.intp), np.empty(0), np.empty(0)
    x0, x1, top = glyphs.x0, glyphs.x1, glyphs.top
    # Characters in lines (by top), each line left to right (by x0, then the page's order).
    line = _clusters(group, top, tolerance)
    order = _by_group_then_value(line, x0)  # each line left to right
    same_line = line[order[1:]] == line[order[:-1]]
    blank = glyphs.space[order]
    a, b = order[:-1], order[1:]  # each character after the first and the one before it
    split = (x0[b] < x0[a]) | (x0[b] > x1[a] + tolerance) | (np.abs(top[b] - top[a]) > tolerance)
    starts = np.ones(len(order), bool)
    starts[1:] = ~same_line | blank[:-1] | split
    inked = ~blank  # blanks end words and belong to none
    chars = order[inked]
    if not chars.size:
        return {}, np.empty(0, np.intp), np.empty(0), np.empty(0)
    new_word = starts[inked]  # in ``chars``: the first character of a word
    firsts = np.flatnonzero(new_word)
    word_top = np.minimum.reduceat(top[chars], firsts)
    word_x0 = np.minimum.reduceat(x0[chars], firsts)
    word_x1 = np.maximum.reduceat(x1[chars], firsts)
    word_group = group[chars[firsts]]
    # Words in lines again, by the word's top (its highest character's).
    word_line = _clusters(word_group, word_top, tolerance)
    if (word_line[1:] >= word_line[:-1]).all():  # the usual case: words stay in their order
        word_order = np.arange(len(word_line))
    else:
        word_order = _stable_argsort(word_line)
        rank = np.empty(len(word_order), np.intp)
        rank[word_order] = np.arange(len(word_order))
        placed = _stable_argsort(rank[np.cumsum(new_word) - 1])  # characters in the words' new order
        chars, new_word = chars[placed], new_word[placed]
        word_group, word_line = word_group[word_order], word_line[word_order]
        word_x0, word_x1 = word_x0[word_order], word_x1[word_order]
    # One string for the document: before each word a blank, a newline before a line, NUL before a
    # group (the first word's NUL is dropped after).
    new_group = np.ones(len(word_group), bool)
    new_group[1:] = word_group[1:] != word_group[:-1]
    separator = np.full(len(word_group), _WORD, np.uint32)
    separator[1:][word_line[1:] != word_line[:-1]] = _LINE
    separator[new_group] = _GROUP
    at = np.arange(len(chars)) + np.cumsum(new_word)  # each character's place in the string
    stream = np.empty(len(chars) + len(word_group), np.uint32)
    stream[at] = glyphs.codes[chars]
    stream[at[new_word] - 1] = separator
    text = stream.tobytes().decode("utf-32-le")
    if any(ligature in text for ligature in LIGATURES):  # str.translate is slow: only when needed
        text = text.translate(_LIGATURES)
    texts = dict(zip(word_group[new_group].tolist(), text[1:].split("\x00"), strict=True))
    return texts, word_group, word_x0, word_x1
