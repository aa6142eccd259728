"""Score a parsed CCHC plan against a hand-written gold annotation.

Pure functions, no Django. `score(parsed, gold)` compares two dicts of the shape that
`cchc.core.plan_reader.read_plan` returns (see tests/fixtures/gold/README.md) and returns a
`Score`: how many tasks were expected, found and matched, precision and recall per field,
an overall field accuracy, the metadata fields and the numeric targets.

Matching and comparison rules (kept deliberately simple and documented, so a number in the
benchmark means the same thing from one run to the next):

* Tasks are matched by (area, number). The area is the task's own "area" if it has one,
  else its section's. Numbers are compared as printed minus a trailing dot and leading zeros
  ("01." == "1"). A duplicated key in the parsed output matches once; the rest are unmatched.
* Text is compared in folded form (`cchc.core.text.fold`: accent-free, lower case) with
  punctuation removed; "Ủy ban nhân dân" and "UBND" are the same word. Bodies and
  deliverables are compared with spaces removed too ("HĐND vàUBND" == "HĐND và UBND").
* content: the first 8 folded words must be equal.
* deliverables, lead, coordinating, monitoring: sets of items per task. other_roles: set of
  (role, body) pairs. Milestone kinds and due dates: multisets per task.
* Precision = correct / everything the parser produced (in all parsed tasks, matched or
  not); recall = correct / everything the gold holds (in all gold tasks). A field a gold task
  omits is not scored for that task.
* overall accuracy = micro F1 over all fields (the task match itself included).
* Targets: multiset of (op, value) over targets that have a value, on both sides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from cchc.core.text import fold

CONTENT_WORDS = 8

#: Fields reported per task, in display order. "task" is the (area, number) match itself.
FIELDS: tuple[str, ...] = (
    "task",
    "content",
    "deliverables",
    "lead",
    "coordinating",
    "monitoring",
    "other_roles",
    "deadline_text",
    "milestone_kind",
    "milestone_due",
)

METADATA_FIELDS: tuple[str, ...] = ("issuer", "number", "issued_on", "year", "title", "parent_reference")

_BODY_FIELDS = ("lead", "coordinating", "monitoring")
_NON_WORD = re.compile(r"[^0-9a-z/]+")
#: A document number such as "257/KH-UBND" or "221/2016/QĐ-UBND" (not a date such as "22/12/2025").
_DOC_NUMBER = re.compile(r"\d+\s*(?:/\s*\d{4}\s*)?/\s*[A-ZĐ][\wĐđ&\-]*")


# --------------------------------------------------------------------------- counts


@dataclass
class FieldScore:
    """Counts for one field: `tp` correct items, `parsed` items produced, `gold` items expected."""

    tp: int = 0
    parsed: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / self.parsed if self.parsed else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        total = self.parsed + self.gold
        return 2 * self.tp / total if total else None

    def add(self, tp: int, parsed: int, gold: int) -> None:
        self.tp += tp
        self.parsed += parsed
        self.gold += gold

    def __iadd__(self, other: FieldScore) -> FieldScore:
        self.add(other.tp, other.parsed, other.gold)
        return self

    def to_dict(self) -> dict:
        return {
            "tp": self.tp,
            "parsed": self.parsed,
            "gold": self.gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Score:
    tasks_expected: int = 0
    tasks_found: int = 0
    tasks_matched: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {name: FieldScore() for name in FIELDS})
    #: metadata field -> True/False, or None when the gold does not state it (empty in an aggregate).
    metadata: dict[str, bool | None] = field(default_factory=dict)
    #: metadata fields correct / scored (summed by `aggregate`).
    metadata_correct: int = 0
    metadata_scored: int = 0
    targets: FieldScore = field(default_factory=FieldScore)
    #: (area, number) keys of gold tasks the parser missed, and of parsed tasks not in the gold.
    missing: list[tuple[str | None, str]] = field(default_factory=list)
    extra: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        """Micro F1 over every task field (the task match included)."""
        total = FieldScore()
        for fs in self.fields.values():
            total += fs
        return total.f1

    def to_dict(self) -> dict:
        return {
            "tasks_expected": self.tasks_expected,
            "tasks_found": self.tasks_found,
            "tasks_matched": self.tasks_matched,
            "fields": {name: fs.to_dict() for name, fs in self.fields.items()},
            "overall": self.overall,
            "metadata": dict(self.metadata),
            "metadata_correct": self.metadata_correct,
            "metadata_scored": self.metadata_scored,
            "targets": self.targets.to_dict(),
            "missing": [list(k) for k in self.missing],
            "extra": [list(k) for k in self.extra],
        }


# --------------------------------------------------------------------------- normalisation


def norm_text(text: object) -> str:
    """Folded, punctuation-free, single-spaced; "uy ban nhan dan" becomes "ubnd"."""
    if text is None:
        return ""
    folded = _NON_WORD.sub(" ", fold(str(text))).strip()
    return re.sub(r"\buy ban nhan dan\b", "ubnd", folded)


def norm_item(text: object) -> str:
    """Key for a body or a deliverable: `norm_text` without spaces."""
    return norm_text(text).replace(" ", "")


def content_key(text: object) -> tuple[str, ...]:
    """The first `CONTENT_WORDS` folded words of a task's content."""
    return tuple(re.findall(r"[0-9a-z]+", fold(str(text or ""))))[:CONTENT_WORDS]


def norm_number(number: object) -> str:
    """Task number as printed, without trailing dot or leading zeros: "01." -> "1", "1.01" -> "1.1"."""
    text = str(number if number is not None else "").strip().rstrip(".").strip()
    if re.fullmatch(r"\d+(\.\d+)*", text):
        return ".".join(str(int(part)) for part in text.split("."))
    return fold(text)


def _as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return list(value)


def _due(value: object) -> str | None:
    if value in (None, ""):
        return None
    return str(value)[:10]


def _value(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().rstrip("%").strip().replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- task access


def iter_tasks(plan: dict | None) -> Iterable[tuple[str | None, dict]]:
    """(area, task) for every task of a plan dict, the area taken from the task or its section."""
    for section in (plan or {}).get("sections") or []:
        for task in section.get("tasks") or []:
            yield task.get("area") or section.get("area"), task


def task_key(area: str | None, task: dict) -> tuple[str | None, str]:
    return area, norm_number(task.get("number"))


def _items(task: dict, name: str) -> Counter:
    """Multiset of comparable items of one list field of a task."""
    if name in ("deliverables", *_BODY_FIELDS):
        return Counter(k for k in (norm_item(x) for x in _as_list(task.get(name))) if k)
    if name == "other_roles":
        pairs = Counter()
        for entry in _as_list(task.get("other_roles")):
            if not isinstance(entry, dict):
                continue
            role = fold(str(entry.get("role") or ""))
            for body in _as_list(entry.get("bodies")):
                key = norm_item(body)
                if key:
                    pairs[(role, key)] += 1
        return pairs
    if name == "milestone_kind":
        return Counter(
            str(m.get("kind") or "unknown") for m in _as_list(task.get("milestones")) if isinstance(m, dict)
        )
    if name == "milestone_due":
        return Counter(
            d
            for d in (_due(m.get("due")) for m in _as_list(task.get("milestones")) if isinstance(m, dict))
            if d
        )
    raise KeyError(name)


def _scalar(task: dict, name: str):
    if name == "content":
        return content_key(task.get("content")) or None
    if name == "deadline_text":
        return norm_text(task.get("deadline_text")) or None
    raise KeyError(name)


def _gold_has(task: dict, name: str) -> bool:
    if name in ("milestone_kind", "milestone_due"):
        return "milestones" in task
    return name in task


def _field_counts(parsed: dict | None, gold: dict | None, name: str) -> tuple[int, int, int]:
    """(tp, parsed, gold) of one field for one task pair; either side may be None (unmatched)."""
    if name in ("content", "deadline_text"):
        p = _scalar(parsed, name) if parsed is not None else None
        g = _scalar(gold, name) if gold is not None else None
        return int(p is not None and p == g), int(p is not None), int(g is not None)
    p = _items(parsed, name) if parsed is not None else Counter()
    g = _items(gold, name) if gold is not None else Counter()
    return sum((p & g).values()), sum(p.values()), sum(g.values())


# --------------------------------------------------------------------------- metadata and targets


def _meta_equal(name: str, parsed_value: object, gold_value: object) -> bool:
    if name == "year":
        try:
            return parsed_value is not None and int(parsed_value) == int(gold_value)
        except (TypeError, ValueError):
            return False
    if name == "issued_on":
        return _due(parsed_value) == _due(gold_value)
    if gold_value in (None, ""):
        return parsed_value in (None, "") or not norm_text(parsed_value)
    if parsed_value in (None, ""):
        return False
    if name in ("issuer", "number"):
        return norm_item(parsed_value) == norm_item(gold_value)
    if name == "title":
        p, g = norm_text(parsed_value), norm_text(gold_value)
        return bool(p) and (p == g or p in g or g in p)
    if name == "parent_reference":
        number = _DOC_NUMBER.search(str(gold_value))
        if number:
            return norm_item(number.group()) in norm_item(parsed_value)
        return content_key(parsed_value) == content_key(gold_value)
    return norm_text(parsed_value) == norm_text(gold_value)


def score_metadata(parsed: dict | None, gold: dict) -> dict[str, bool | None]:
    parsed = parsed or {}
    return {
        name: (_meta_equal(name, parsed.get(name), gold.get(name)) if name in gold else None)
        for name in METADATA_FIELDS
    }


def _target_keys(plan: dict | None) -> Counter:
    keys = Counter()
    for target in (plan or {}).get("targets") or []:
        if not isinstance(target, dict):
            continue
        value = _value(target.get("value"))
        if value is not None:
            keys[(target.get("op"), round(value, 4))] += 1
    return keys


def score_targets(parsed: dict | None, gold: dict) -> FieldScore:
    p, g = _target_keys(parsed), _target_keys(gold)
    return FieldScore(sum((p & g).values()), sum(p.values()), sum(g.values()))


# --------------------------------------------------------------------------- entry point


def score(parsed: dict | None, gold: dict) -> Score:
    """Compare a parsed plan with its gold annotation. `parsed` may be None (nothing read)."""
    result = Score()
    gold_tasks = list(iter_tasks(gold))
    parsed_tasks = list(iter_tasks(parsed))
    result.tasks_expected = len(gold_tasks)
    result.tasks_found = len(parsed_tasks)

    remaining: dict[tuple, list[dict]] = {}
    for area, task in parsed_tasks:
        remaining.setdefault(task_key(area, task), []).append(task)

    pairs: list[tuple[dict | None, dict | None]] = []
    for area, gtask in gold_tasks:
        key = task_key(area, gtask)
        bucket = remaining.get(key)
        if bucket:
            pairs.append((bucket.pop(0), gtask))
            result.tasks_matched += 1
        else:
            pairs.append((None, gtask))
            result.missing.append(key)
    for key, bucket in remaining.items():
        for ptask in bucket:
            pairs.append((ptask, None))
            result.extra.append(key)

    result.fields["task"].add(result.tasks_matched, result.tasks_found, result.tasks_expected)
    for ptask, gtask in pairs:
        for name in FIELDS[1:]:
            if gtask is not None and not _gold_has(gtask, name):
                continue
            result.fields[name].add(*_field_counts(ptask, gtask, name))

    result.metadata = score_metadata(parsed, gold)
    result.metadata_correct = sum(1 for ok in result.metadata.values() if ok)
    result.metadata_scored = sum(1 for ok in result.metadata.values() if ok is not None)
    result.targets = score_targets(parsed, gold)
    return result


def aggregate(scores: Iterable[Score]) -> Score:
    """Sum of several scores: every count adds up; the per-field metadata dict stays empty."""
    total = Score()
    for s in scores:
        total.tasks_expected += s.tasks_expected
        total.tasks_found += s.tasks_found
        total.tasks_matched += s.tasks_matched
        for name, fs in s.fields.items():
            total.fields.setdefault(name, FieldScore())
            total.fields[name] += fs
        total.targets += s.targets
        total.missing.extend(s.missing)
        total.extra.extend(s.extra)
        total.metadata_correct += s.metadata_correct
        total.metadata_scored += s.metadata_scored
    return total
