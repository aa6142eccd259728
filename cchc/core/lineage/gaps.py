"""Gap rules between plans, over plain data (no Django).

A gap is something a coordinator should look at before a plan is issued or while it runs:

* ``not_taken_up`` — a task of the plan above names the unit (or its class) as lead or
  coordinating body, and the unit's own plan has no task matched to it;
* ``later_deadline`` — a child task is due after the parent task it implements;
* ``weaker_target`` — a target weaker than the parent's on the same indicator ("≥ 95%" against
  "≥ 98%");
* ``empty_area`` — a reform area without a task;
* ``no_lead`` / ``no_deadline`` — a task without a lead body, or without a completion time;
* ``not_carried_over`` — a task of last year's plan left unfinished and absent from this year's.

Messages are Vietnamese, ready to show; `kind` and the keys are for code.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from cchc.core.areas import AREAS
from cchc.core.statforms.numbers import format_vn_number
from cchc.core.text import fold

__all__ = [
    "Gap", "TargetRef", "TaskFacts", "carry_over_gaps", "matrix_summary", "not_taken_up", "pair_gaps",
    "plan_gaps", "weaker_targets",
]

KIND_LABELS = {
    "not_taken_up": "Chưa đưa vào kế hoạch",
    "later_deadline": "Thời hạn muộn hơn cấp trên",
    "weaker_target": "Chỉ tiêu thấp hơn cấp trên",
    "empty_area": "Lĩnh vực chưa có nhiệm vụ",
    "no_lead": "Chưa có cơ quan chủ trì",
    "no_deadline": "Chưa có thời hạn",
    "not_carried_over": "Chưa hoàn thành, chưa chuyển sang năm sau",
}


@dataclass(frozen=True)
class Gap:
    kind: str
    message: str
    task: Hashable | None = None  # the key of the task concerned (in the plan checked), if any
    other: Hashable | None = None  # the key of the related task of the other plan, if any

    def as_json(self) -> dict:
        return {"kind": self.kind, "label": KIND_LABELS[self.kind], "message": self.message,
                "task": self.task, "other": self.other}


@dataclass(frozen=True)
class TaskFacts:
    """What the rules need of a task."""

    key: Hashable
    label: str  # "3.2" — how people name the task
    area: str
    has_lead: bool = True
    deadline_text: str = ""
    dues: tuple[datetime.date, ...] = ()
    finished: bool = False


@dataclass(frozen=True)
class TargetRef:
    text: str
    area: str = ""
    op: str = ""
    value: float | None = None
    unit: str = ""


def _latest(dues: Sequence[datetime.date]) -> datetime.date | None:
    return max(dues) if dues else None


def _vi_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def plan_gaps(tasks: Sequence[TaskFacts], *, areas: Iterable[str] = AREAS) -> list[Gap]:
    """The gaps of one plan on its own: empty areas, tasks without a lead or a deadline."""
    gaps = []
    present = {t.area for t in tasks}
    for area in areas:
        if area not in present:
            gaps.append(Gap("empty_area", f"Lĩnh vực “{AREAS.get(area, area)}” chưa có nhiệm vụ nào."))
    for task in tasks:
        if not task.has_lead:
            gaps.append(Gap("no_lead", f"Nhiệm vụ {task.label} chưa có cơ quan chủ trì.", task.key))
        if not task.deadline_text.strip():
            gaps.append(Gap("no_deadline", f"Nhiệm vụ {task.label} chưa có thời gian hoàn thành.", task.key))
    return gaps


def pair_gaps(pairs: Iterable[tuple[TaskFacts, TaskFacts]]) -> list[Gap]:
    """(parent, child) pairs whose child is due after its parent (latest milestone against latest)."""
    gaps = []
    for parent, child in pairs:
        parent_due, child_due = _latest(parent.dues), _latest(child.dues)
        if parent_due and child_due and child_due > parent_due:
            gaps.append(Gap(
                "later_deadline",
                f"Nhiệm vụ {child.label} hạn {_vi_date(child_due)}, muộn hơn hạn {_vi_date(parent_due)} "
                f"của nhiệm vụ {parent.label} cấp trên.",
                child.key, parent.key,
            ))
    return gaps


def _fmt_target(target: TargetRef) -> str:
    op = {">=": "≥ ", "<=": "≤ ", "=": ""}.get(target.op, "")
    value = format_vn_number(target.value, places=0 if float(target.value) == int(target.value) else 2)
    unit = target.unit if target.unit == "%" else f" {target.unit}" if target.unit else ""
    return f"{op}{value}{unit}"


def weaker_targets(parent: Sequence[TargetRef], child: Sequence[TargetRef], *, threshold: float = 80) -> list[Gap]:
    """Child targets weaker than the parent's target on the same indicator (same unit and area,
    texts alike once the figures are left out). "=" reads as "at least" for percentages."""
    gaps = []
    for c in child:
        if c.value is None:
            continue
        best, best_score = None, threshold
        for p in parent:
            if p.value is None or p.unit != c.unit or (p.area and c.area and p.area != c.area):
                continue
            score = fuzz.token_set_ratio(_without_figures(p.text), _without_figures(c.text))
            if score >= best_score:
                best, best_score = p, score
        if best is None:
            continue
        upward = (best.op or ">=") != "<="
        weaker = float(c.value) < float(best.value) if upward else float(c.value) > float(best.value)
        if weaker:
            gaps.append(Gap("weaker_target", f"Chỉ tiêu “{c.text}” ({_fmt_target(c)}) thấp hơn chỉ tiêu "
                                             f"của kế hoạch cấp trên ({_fmt_target(best)})."))
    return gaps


def _without_figures(text: str) -> str:
    return " ".join(w for w in fold(text).replace("%", " ").split() if not any(ch.isdigit() for ch in w))


def not_taken_up(concerned: Mapping[Hashable, Sequence[Hashable]], taken_up: Mapping[Hashable, set]) -> dict:
    """unit → parent task keys concerning it that its plan does not take up. `concerned` maps a
    parent task key to the units it names (directly or by class); `taken_up` maps a unit to the
    parent task keys its plan holds (by lineage). Units without a plan take up nothing."""
    missing: dict[Hashable, list[Hashable]] = {}
    for task_key, units in concerned.items():
        for unit in units:
            if task_key not in taken_up.get(unit, set()):
                missing.setdefault(unit, []).append(task_key)
    return missing


@dataclass
class MatrixRow:
    task: Hashable
    label: str
    concerned: int
    missing: int
    message: str
    units_missing: list = field(default_factory=list)


def matrix_summary(tasks: Sequence[TaskFacts], concerned: Mapping[Hashable, Sequence[Hashable]],
                   missing: Mapping[Hashable, Sequence[Hashable]], noun: str = "đơn vị") -> list[MatrixRow]:
    """One row per parent task that concerns some unit: "38/166 xã chưa đưa nhiệm vụ 3.2 vào kế hoạch"."""
    by_task: dict[Hashable, list] = {}
    for unit, keys in missing.items():
        for key in keys:
            by_task.setdefault(key, []).append(unit)
    rows = []
    for task in tasks:
        units = concerned.get(task.key) or ()
        if not units:
            continue
        lacking = by_task.get(task.key, [])
        rows.append(MatrixRow(
            task.key, task.label, len(units), len(lacking),
            f"{format_vn_number(len(lacking))}/{format_vn_number(len(units))} {noun} chưa đưa nhiệm vụ "
            f"{task.label} vào kế hoạch",
            lacking,
        ))
    return rows


def carry_over_gaps(previous: Sequence[TaskFacts], carried: set, *, year: int) -> list[Gap]:
    """Last year's unfinished tasks (finished=False) that this year's plan does not take up."""
    return [
        Gap("not_carried_over", f"Nhiệm vụ {t.label} của kế hoạch năm {year - 1} chưa hoàn thành và chưa "
                                f"được chuyển sang kế hoạch năm {year}.", None, t.key)
        for t in previous if not t.finished and t.key not in carried
    ]
