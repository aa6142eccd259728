"""Ruled tables from a page's edges: pdfplumber's ``TableFinder`` with its default settings (the
"lines" strategy; snap, join and intersection tolerance 3, edges at least 3 points long), step by
step the same arithmetic, so the cells are the same to the last bit (tests/core/test_pdf_pdfium.py
compares them on every page of the fixture PDFs), without its cost: pdfplumber copies every edge
dict at each step, compares every vertical with every horizontal edge and, for each crossing, scans
all the later crossings and rebuilds the sets of edges through two crossings at every comparison.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter

import numpy as np

SNAP = 3
JOIN = 3
MIN_LENGTH = 3
MIN_LENGTH_PREFILTER = 1
INTERSECTION = 3


class Table:
    """A table as pdfplumber's: its cells ``(x0, top, x1, bottom)`` and their bounding box."""

    __slots__ = ("bbox", "cells")

    def __init__(self, cells: list[tuple]) -> None:
        self.cells = cells
        self.bbox = (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )


def find_tables(rules) -> list[Table]:
    """The tables pdfplumber's ``TableFinder(page).tables`` finds from ``page.edges`` (given as
    `pdfium_pages.PdfPage.rules`)."""
    merged = _merge(rules)
    intersections = _intersections(merged)
    return [Table(cells) for cells in _cells_to_tables(_cells(intersections))]


# Edges are worked on as rows [x0, top, x1, bottom, length] (length: width or height): numpy arrays
# while snapped, lists from the join on.


def _snap(edges: np.ndarray, attr: int, tolerance: float) -> np.ndarray:
    """pdfplumber's ``snap_objects``: each cluster of positions moved to its mean; clusters in order,
    each cluster's edges in their order. ``np.bincount`` adds each cluster's positions one by one in
    that order, as pdfplumber's ``sum`` does, so the means are the same to the last bit."""
    if not len(edges):
        return edges
    values = edges[:, attr]
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.empty(len(order), bool)
    starts[0] = True
    starts[1:] = ordered[1:] > ordered[:-1] + tolerance
    cluster = np.empty(len(order), np.intp)
    cluster[order] = np.cumsum(starts) - 1
    average = np.bincount(cluster, weights=values) / np.bincount(cluster)
    shift = average[cluster] - values
    moved = edges.copy()
    moved[:, attr] = values + shift
    moved[:, attr + 2] = edges[:, attr + 2] + shift  # x0 -> x1, top -> bottom
    return moved[np.argsort(cluster, kind="stable")]


def _merge(rules: np.ndarray) -> tuple[list[list], list[list]]:
    """pdfplumber's ``get_edges`` + ``merge_edges`` + ``filter_edges``: (vertical, horizontal)."""
    upright = rules[:, 4] != 0
    # The length is pdfplumber's height (vertical) or width.
    edges = np.column_stack((rules[:, :4], np.where(upright, rules[:, 3] - rules[:, 1], rules[:, 2] - rules[:, 0])))
    long = edges[:, 4] >= MIN_LENGTH_PREFILTER
    vertical = _snap(edges[upright & long], 0, SNAP)
    horizontal = _snap(edges[~upright & long], 1, SNAP)
    return _join(vertical, 0, JOIN), _join(horizontal, 1, JOIN)


def _join(edges: np.ndarray, position: int, tolerance: float) -> list[list]:
    """pdfplumber's ``join_edge_group`` on each line (edges of one position, by their start), then the
    minimum length."""
    start, end = (1, 3) if position == 0 else (0, 2)  # a vertical edge runs from top to bottom
    out: list[list] = []
    last: list | None = None
    for e in edges[np.lexsort((edges[:, start], edges[:, position]))].tolist():
        if last is not None and e[position] == last[position] and e[start] <= last[end] + tolerance:
            if e[end] > last[end]:
                if position == 0:  # pdfplumber adds the difference to the height
                    last[4] = last[4] + (e[end] - last[end])
                else:  # and recomputes the width
                    last[4] = e[end] - last[0]
                last[end] = e[end]
            continue
        if last is not None and last[4] >= MIN_LENGTH:
            out.append(last)
        last = e
    if last is not None and last[4] >= MIN_LENGTH:
        out.append(last)
    return out


def _intersections(merged: tuple[list[list], list[list]]) -> dict[tuple, tuple[set, set]]:
    """pdfplumber's ``edges_to_intersections``: each crossing and the (bboxes of the) vertical and
    horizontal edges through it."""
    vertical, horizontal = merged
    vertical = sorted(vertical, key=itemgetter(0))
    xs = [v[0] for v in vertical]
    out: dict[tuple, tuple[set, set]] = {}
    tol = INTERSECTION
    for h in horizontal:
        h_top = h[1]
        h_box = (h[0], h[1], h[2], h[3])
        for k in range(bisect_left(xs, h[0] - tol), bisect_right(xs, h[2] + tol)):
            v = vertical[k]
            x = v[0]
            if v[1] <= h_top + tol and v[3] >= h_top - tol and x >= h[0] - tol and x <= h[2] + tol:
                vertex = (x, h_top)
                found = out.get(vertex)
                if found is None:
                    found = out[vertex] = (set(), set())
                found[0].add((v[0], v[1], v[2], v[3]))
                found[1].add(h_box)
    return out


def _cells(intersections: dict[tuple, tuple[set, set]]) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells``: for each crossing, the smallest cell it opens.

    Its ``edge_connects(p1, p2)`` (the points share a vertical edge if on one column, else a
    horizontal one if on one row) is spelt out: every pair compared here is on one column (a vertical
    edge then) or on one row (a horizontal one)."""
    points = sorted(intersections)
    vertical = {p: found[0] for p, found in intersections.items()}  # the edges through each point
    horizontal = {p: found[1] for p, found in intersections.items()}
    columns: dict[float, list[tuple]] = {}
    rows: dict[float, list[tuple]] = {}
    place: dict[tuple, tuple[int, int]] = {}  # each point's place in its column and its row
    for p in points:  # sorted by x then top: each column top-down, each row left to right
        column, row = columns.setdefault(p[0], []), rows.setdefault(p[1], [])
        place[p] = (len(column), len(row))
        column.append(p)
        row.append(p)
    cells: list[tuple] = []
    for pt in points[:-1]:
        in_column, in_row = place[pt]
        across = horizontal[pt]
        right = [p for p in rows[pt[1]][in_row + 1 :] if not across.isdisjoint(horizontal[p])]
        if not right:
            continue
        down = vertical[pt]
        found = None
        for below_pt in columns[pt[0]][in_column + 1 :]:
            if down.isdisjoint(vertical[below_pt]):
                continue
            for right_pt in right:
                bottom_right = (right_pt[0], below_pt[1])
                if (
                    bottom_right in intersections
                    and not vertical[bottom_right].isdisjoint(vertical[right_pt])
                    and not horizontal[bottom_right].isdisjoint(horizontal[below_pt])
                ):
                    found = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's ``cells_to_tables``: cells grouped by shared corners, pass after pass over the
    cells left (in their order) until a pass adds none, the same tables with their cells in the
    same order (the cells are distinct: the list left is rebuilt instead of removed from)."""
    remaining = list(cells)
    corners: set[tuple] = set()
    current: list[tuple] = []
    tables: list[list[tuple]] = []
    while remaining:
        count = len(current)
        left: list[tuple] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or not corners.isdisjoint(cell_corners):
                corners.update(cell_corners)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == count:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
