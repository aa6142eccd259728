"""Drafting next year's plan of a unit from what the system knows.

The draft holds, each task marked with its origin (`DraftOrigin`):

(a) last year's recurring and ongoing tasks, wording and deadlines moved to the new year;
(b) last year's unfinished tasks, carried over;
(c) the tasks of the parent's new plan that concern the unit (pre-selected on the screen); a
    parent task that one of (a)/(b) already continues is linked to it instead of added twice;
(d) the PAR Index part: one task per criterion where the unit lost points — supplied through
    `PAR_INDEX_SOURCES`, callables ``source(unit, year) -> iterable of dicts {"area", "content",
    "deliverables", "deadline_text", "note"}``; this app's AppConfig.ready appends
    `cchc.planning.par_source.par_index_tasks` (the latest final or published assessment);
(e) the parent's targets (else last year's, moved to the new year).

The draft is a plan like any imported one: it opens on the review screen and is issued as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from cchc.core.areas import AREAS
from cchc.core.deadlines import parse_deadline
from cchc.core.lineage import match_tasks
from cchc.core.lineage.drafting import ORIGIN_LABELS, carry_reason
from cchc.core.lineage.shifting import shift_years
from cchc.plans.models import Assignment, Obligation, Plan, Role, Section, Target, Task
from cchc.plans.services import create_milestones
from cchc.units.models import Unit

from .lineage import CONCERN_ROLES, finished_tasks, parent_plan_of, plan_tasks, previous_plan_of, task_refs
from .models import DraftOrigin, TaskLineage

#: Callables (unit, year) → iterable of task dicts, appended by the PAR Index app (origin "par_index").
PAR_INDEX_SOURCES: list[Callable[[Unit, int], Iterable[dict]]] = []


class DraftRefused(Exception):
    """Nothing to draft from, or a bad request; the message is Vietnamese."""


@dataclass
class Candidate:
    key: str  # "prev-12", "parent-40", "par-0": what the screen's checkboxes post
    origin: str
    area: str
    content: str
    deadline_text: str = ""
    deliverables: list[str] = field(default_factory=list)
    notes: str = ""
    source: Task | None = None  # last year's task, or the parent's
    parent_task: Task | None = None  # the parent task this candidate implements
    assignments: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    preselected: bool = True

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]


@dataclass
class DraftProposal:
    unit: Unit
    year: int
    previous: Plan | None
    parent: Plan | None
    candidates: list[Candidate]
    targets: list[dict]


def _parent_for(unit: Unit, year: int) -> Plan | None:
    return parent_plan_of(Plan(issuer=unit, year=year))


def propose_draft(unit: Unit, year: int, *, parent: Plan | None = None) -> DraftProposal:
    previous = previous_plan_of(Plan(issuer=unit, year=year))
    parent = parent or _parent_for(unit, year)
    if previous is None and parent is None:
        raise DraftRefused(f"{unit} chưa có kế hoạch năm {year - 1} và chưa có kế hoạch cấp trên năm {year} "
                           "để lập dự thảo.")
    candidates: list[Candidate] = []
    if previous is not None:
        finished = finished_tasks(previous)
        tasks = plan_tasks(previous).prefetch_related("milestones", "assignments")
        for task in tasks:
            reason = carry_reason([m.kind for m in task.milestones.all()], task.deadline_text,
                                  finished=finished.get(task.pk) if task.pk in finished else None)
            if reason is None:
                continue
            move = lambda text: shift_years(text, previous.year, year)  # noqa: E731
            candidates.append(Candidate(
                key=f"prev-{task.pk}", origin=reason, area=task.section.area, content=move(task.content),
                deadline_text=move(task.deadline_text), deliverables=[move(d) for d in task.deliverables],
                notes=task.notes, source=task,
                assignments=[(a.role, a.text, a.unit_id, a.unit_class_id) for a in task.assignments.all()],
            ))
    if parent is not None:
        concerning = set(Obligation.objects.active().filter(task__plan=parent, unit=unit, role__in=CONCERN_ROLES)
                         .values_list("task_id", flat=True))
        parent_tasks = [t for t in plan_tasks(parent) if t.pk in concerning]
        carried_refs = task_refs_of(candidates)
        continued = {p.parent.key: p.child.key for p in match_tasks(task_refs(parent_tasks), carried_refs).pairs}
        by_key = {c.key: c for c in candidates}
        for task in parent_tasks:
            if task.pk in continued:
                by_key[continued[task.pk]].parent_task = task
                continue
            candidates.append(Candidate(
                key=f"parent-{task.pk}", origin="parent", area=task.section.area, content=task.content,
                deadline_text=task.deadline_text, deliverables=list(task.deliverables), notes=task.notes,
                source=task, parent_task=task, assignments=[(Role.LEAD, unit.name, unit.pk, None)],
            ))
    for source in PAR_INDEX_SOURCES:
        for index, item in enumerate(source(unit, year)):
            candidates.append(Candidate(
                key=f"par-{len(candidates)}-{index}", origin="par_index", area=item["area"], content=item["content"],
                deadline_text=item.get("deadline_text", ""), deliverables=list(item.get("deliverables", [])),
                notes=item.get("note", ""), assignments=[(Role.LEAD, unit.name, unit.pk, None)],
            ))
    area_order = list(AREAS)
    candidates.sort(key=lambda c: (area_order.index(c.area) if c.area in area_order else 99,
                                   ORIGIN_ORDER.index(c.origin)))
    source_targets = parent if parent is not None and parent.targets.exists() else previous
    targets = []
    if source_targets is not None:
        for t in source_targets.targets.all():
            text = shift_years(t.text, source_targets.year, year) if source_targets.year != year else t.text
            targets.append({"text": text, "area": t.area, "op": t.op, "value": t.value, "unit": t.unit,
                            "indicator_code": t.indicator_code})
    return DraftProposal(unit, year, previous, parent, candidates, targets)


ORIGIN_ORDER = ["recurring", "carried_over", "parent", "par_index", "manual"]


def task_refs_of(candidates: list[Candidate]):
    from cchc.core.lineage import TaskRef

    return [TaskRef(c.key, c.area, n, "", c.content) for n, c in enumerate(candidates, start=1)]


@transaction.atomic
def create_draft(proposal: DraftProposal, chosen: Iterable[str] | None = None, *, user=None) -> Plan:
    """The draft plan with the chosen candidates (all when `chosen` is None); all or nothing."""
    keys = None if chosen is None else set(chosen)
    unknown = set() if keys is None else keys - {c.key for c in proposal.candidates}
    if unknown:
        raise DraftRefused(f"Nhiệm vụ đề xuất không còn hợp lệ: {', '.join(sorted(unknown))}; hãy tải lại trang.")
    unit, year, parent = proposal.unit, proposal.year, proposal.parent
    plan = Plan.objects.create(
        issuer=unit, year=year, parent=parent, created_by=user,
        title=f"Kế hoạch cải cách hành chính năm {year}",
        parent_reference=((f"Kế hoạch số {parent.number} của {parent.issuer}" if parent.number else str(parent))
                          if parent else "")[:500],
    )
    for position, target in enumerate(proposal.targets):
        Target.objects.create(plan=plan, position=position, **target)
    sections = {area: Section.objects.create(plan=plan, position=n, number=str(n + 1), area=area, title=label)
                for n, (area, label) in enumerate(AREAS.items())}
    counts: dict[str, int] = {}
    for candidate in proposal.candidates:
        if keys is not None and candidate.key not in keys:
            continue
        section = sections[candidate.area]
        counts[candidate.area] = counts.get(candidate.area, 0) + 1
        task = Task.objects.create(
            plan=plan, section=section, position=counts[candidate.area], number=str(counts[candidate.area]),
            content=candidate.content, deliverables=candidate.deliverables, notes=candidate.notes,
            deadline_text=candidate.deadline_text, parent=candidate.parent_task,
        )
        create_milestones(task, [m.as_json() for m in parse_deadline(candidate.deadline_text, year)]
                          if candidate.deadline_text else [])
        for n, (role, text, unit_id, class_id) in enumerate(candidate.assignments):
            Assignment.objects.create(task=task, position=n, role=role, text=text[:500], unit_id=unit_id,
                                      unit_class_id=class_id)
        DraftOrigin.objects.create(task=task, origin=candidate.origin,
                                   source=candidate.source if candidate.origin != "par_index" else None)
        if candidate.origin in ("recurring", "carried_over"):
            TaskLineage.objects.create(parent=candidate.source, child=task, relation=TaskLineage.Relation.YEAR,
                                       status=TaskLineage.Status.CONFIRMED, score=1.0, decided_by=user)
    return plan


def draft_plan(unit: Unit, year: int, *, parent: Plan | None = None, user=None) -> Plan:
    return create_draft(propose_draft(unit, year, parent=parent), user=user)
