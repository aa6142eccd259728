"""Task lineage: which task of one plan is the same duty as which task of another.

Two relations use it: a child plan against its parent (a commune's plan against the province's of
the same year, the duty taken down a level) and a plan against the same unit's plan of the year
before (the duty carried over). Evidence, strongest first:

1. a recorded link (a cascaded task keeps its parent task; a confirmed lineage) — score 1;
2. text similarity of the folded task contents: the mean of a TF-IDF cosine over word unigrams
   and bigrams (weights from both plans, so words every task uses — "thực hiện", "các" — count
   little) and rapidfuzz's token-set ratio (a child that adds "thuộc thẩm quyền của UBND xã" to
   the parent's words still scores high);
3. the reform area: a pair in different areas keeps `CROSS_AREA_FACTOR` of its score (duties do
   move between areas from one year to the next, but rarely).

Matching is one-to-one, greedy on the best score: in the seeds no unit splits one duty of the plan
above into two tasks or merges two into one, and one-to-many would pair every generic task with
several. Pairs under `THRESHOLD` are not proposed. Pure Python (no Django).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from cchc.core.areas import AREAS
from cchc.core.text import fold

__all__ = [
    "CROSS_AREA_FACTOR", "THRESHOLD", "LineageResult", "Pair", "TaskRef", "area_number", "match_tasks",
    "refs_from_plan_json",
]

THRESHOLD = 0.45
CROSS_AREA_FACTOR = 0.85
_AREA_ORDER = {key: position for position, key in enumerate(AREAS, start=1)}

# Words that say nothing about the duty: administrative filler, the levels' names and places.
_STOPWORDS = frozenset(
    "va cac cua cho trong tren theo tai de voi nhung mot so duoc la co da se den tu ve nay do khi "
    "thuc hien tiep tuc trien khai tang cuong day manh nang cao hieu qua chat luong dia ban tinh huyen "
    "xa thi tran thanh pho ubnd uy ban nhan dan cap quy dinh nam giai doan muc tieu dinh huong"
    .split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TaskRef:
    """One task as the matcher sees it. `key` identifies it to the caller (a database id, a ref)."""

    key: Hashable
    area: str
    ordinal: int  # the task's place within its area in document order, from 1
    number: str
    text: str
    parent_key: Hashable | None = None  # a recorded link to a task of the other plan

    def as_ref(self) -> dict:
        return {"area": area_number(self.area), "ordinal": self.ordinal, "number": self.number,
                "title": self.text}


@dataclass(frozen=True)
class Pair:
    parent: TaskRef
    child: TaskRef
    score: float
    known: bool = False  # from a recorded link rather than from similarity


@dataclass
class LineageResult:
    pairs: list[Pair] = field(default_factory=list)
    child_without_parent: list[TaskRef] = field(default_factory=list)
    parent_unmatched: list[TaskRef] = field(default_factory=list)


def area_number(area: str) -> int:
    """The area's place in DOMAIN.md §2 order (1 institutions … 7 direction); 0 when unknown."""
    return _AREA_ORDER.get(area, 0)


def refs_from_plan_json(plan: dict) -> list[TaskRef]:
    """TaskRefs of a plan as `cchc import-plan --json` prints it; keys are "AREA.ORDINAL"."""
    refs: list[TaskRef] = []
    ordinals: Counter = Counter()
    for section in plan.get("sections", []):
        for task in section.get("tasks", []):
            ordinals[section["area"]] += 1
            ordinal = ordinals[section["area"]]
            refs.append(TaskRef(
                key=f"{area_number(section['area'])}.{ordinal}", area=section["area"], ordinal=ordinal,
                number=str(task.get("number") or ""), text=task.get("content") or "",
            ))
    return refs


def _tokens(text: str) -> list[str]:
    words = [w for w in _WORD.findall(fold(text)) if w not in _STOPWORDS]
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


class _Vectors:
    """TF-IDF vectors (unit length) of every task of both plans."""

    def __init__(self, texts: Sequence[str]):
        bags = [Counter(_tokens(text)) for text in texts]
        df: Counter = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = len(bags)
        self.vectors = []
        for bag in bags:
            vector = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in bag.items()}
            norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
            self.vectors.append({t: w / norm for t, w in vector.items()})

    def cosine(self, i: int, j: int) -> float:
        a, b = self.vectors[i], self.vectors[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(w * b.get(t, 0.0) for t, w in a.items())


def similarity_matrix(parents: Sequence[TaskRef], children: Sequence[TaskRef]) -> list[list[float]]:
    """score[i][j] in [0, 1] of parent i and child j from text and area (no recorded links)."""
    vectors = _Vectors([t.text for t in parents] + [t.text for t in children])
    content_p = [" ".join(w for w in _tokens(t.text) if "_" not in w) for t in parents]
    content_c = [" ".join(w for w in _tokens(t.text) if "_" not in w) for t in children]
    offset = len(parents)
    matrix = []
    for i, parent in enumerate(parents):
        row = []
        for j, child in enumerate(children):
            text_score = (vectors.cosine(i, offset + j) + fuzz.token_set_ratio(content_p[i], content_c[j]) / 100) / 2
            if parent.area != child.area:
                text_score *= CROSS_AREA_FACTOR
            row.append(text_score)
        matrix.append(row)
    return matrix


def match_tasks(
    parents: Sequence[TaskRef], children: Sequence[TaskRef], *, threshold: float = THRESHOLD,
    known: Iterable[tuple[Hashable, Hashable]] = (), forbidden: Iterable[tuple[Hashable, Hashable]] = (),
) -> LineageResult:
    """Pair the tasks one to one. `known` adds recorded (parent key, child key) links to those the
    children carry in `parent_key`; a known link always wins and scores 1. `forbidden` pairs (a
    person said they are not the same duty) are never proposed."""
    forbidden = set(forbidden)
    by_key_p = {t.key: t for t in parents}
    by_key_c = {t.key: t for t in children}
    links = {(c.parent_key, c.key) for c in children if c.parent_key is not None} | set(known)
    pairs: list[Pair] = []
    taken_p: set = set()
    taken_c: set = set()
    for parent_key, child_key in links:
        if parent_key in by_key_p and child_key in by_key_c and parent_key not in taken_p and child_key not in taken_c:
            pairs.append(Pair(by_key_p[parent_key], by_key_c[child_key], 1.0, known=True))
            taken_p.add(parent_key)
            taken_c.add(child_key)
    free_p = [t for t in parents if t.key not in taken_p]
    free_c = [t for t in children if t.key not in taken_c]
    matrix = similarity_matrix(free_p, free_c)
    candidates = sorted(
        ((score, i, j) for i, row in enumerate(matrix) for j, score in enumerate(row) if score >= threshold),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_p: set[int] = set()
    used_c: set[int] = set()
    for score, i, j in candidates:
        if i in used_p or j in used_c or (free_p[i].key, free_c[j].key) in forbidden:
            continue
        used_p.add(i)
        used_c.add(j)
        pairs.append(Pair(free_p[i], free_c[j], round(score, 3)))
    order_p = {t.key: n for n, t in enumerate(parents)}
    order_c = {t.key: n for n, t in enumerate(children)}
    pairs.sort(key=lambda p: (order_c[p.child.key], order_p[p.parent.key]))
    matched_p = {p.parent.key for p in pairs}
    matched_c = {p.child.key for p in pairs}
    return LineageResult(
        pairs=pairs,
        child_without_parent=[t for t in children if t.key not in matched_c],
        parent_unmatched=[t for t in parents if t.key not in matched_p],
    )
