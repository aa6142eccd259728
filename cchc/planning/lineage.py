"""Lineage between stored plans: proposing and confirming pairs, and the gaps they reveal."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.core.lineage import LineageResult, TaskRef, area_number, match_tasks
from cchc.core.lineage.gaps import (
    Gap,
    TargetRef,
    TaskFacts,
    carry_over_gaps,
    matrix_summary,
    not_taken_up,
    pair_gaps,
    plan_gaps,
    weaker_targets,
)
from cchc.core.status import DONE_LATE, DONE_ON_TIME
from cchc.plans.models import Obligation, Plan, Role, Task
from cchc.units.models import Unit, UnitKind

from .models import TaskLineage

# A task concerns a unit when the unit (or its class) leads, coordinates or carries it out.
CONCERN_ROLES = (Role.LEAD, Role.COORDINATING, Role.IMPLEMENTING)
_NOUNS = {UnitKind.COMMUNE: "xã", UnitKind.DEPARTMENT: "sở, ngành", UnitKind.DISTRICT: "huyện"}


def plan_tasks(plan: Plan):
    return Task.objects.filter(plan=plan).select_related("section").order_by("section__position", "position", "pk")


def task_refs(tasks) -> list[TaskRef]:
    """The matcher's view of stored tasks; ordinals count within each area in document order."""
    ordinals: Counter = Counter()
    refs = []
    for task in tasks:
        ordinals[task.section.area] += 1
        refs.append(TaskRef(task.pk, task.section.area, ordinals[task.section.area], task.number, task.content,
                            task.parent_id))
    return refs


def labels(tasks) -> dict[int, str]:
    """task id → "3.2": area number and ordinal, how the gap messages name a task."""
    return {ref.key: f"{area_number(ref.area)}.{ref.ordinal}" for ref in task_refs(tasks)}


def relation_between(parent: Plan, child: Plan) -> str:
    return TaskLineage.Relation.YEAR if parent.issuer_id == child.issuer_id else TaskLineage.Relation.LEVEL


def parent_plan_of(plan: Plan) -> Plan | None:
    """The plan this one implements: its recorded parent, else the nearest unit above with a plan
    of the same year (issued first)."""
    if plan.parent_id:
        return plan.parent
    ancestors = Unit.objects.ancestor_ids(plan.issuer)  # nearest first
    candidates = Plan.objects.filter(issuer_id__in=ancestors, year=plan.year).select_related("issuer")
    best = {}
    for candidate in candidates.order_by("status", "-created_at"):  # "draft" < "issued": issued wins below
        best.setdefault(candidate.issuer_id, []).append(candidate)
    for pk in ancestors:
        if pk in best:
            issued = [p for p in best[pk] if p.status == Plan.Status.ISSUED]
            return (issued or best[pk])[0]
    return None


def previous_plan_of(plan: Plan) -> Plan | None:
    previous = Plan.objects.filter(issuer_id=plan.issuer_id, year=plan.year - 1)
    return previous.filter(status=Plan.Status.ISSUED).order_by("-created_at").first() or previous.order_by(
        "-created_at").first()


def _stored(parent: Plan, child: Plan):
    return TaskLineage.objects.filter(parent__plan=parent, child__plan=child)


def _match(parent: Plan, child: Plan, stored: list) -> LineageResult:
    known = [(row.parent_id, row.child_id) for row in stored if row.status == TaskLineage.Status.CONFIRMED]
    forbidden = [(row.parent_id, row.child_id) for row in stored if row.status == TaskLineage.Status.REJECTED]
    return match_tasks(task_refs(plan_tasks(parent)), task_refs(plan_tasks(child)), known=known, forbidden=forbidden)


def proposals(parent: Plan, child: Plan) -> list[TaskLineage]:
    """The standing lineage of the two plans as `propose` would leave it, without storing anything
    (for those who may only look): stored rows, and unsaved rows for the matcher's new pairs."""
    stored = list(_stored(parent, child))
    rows = [row for row in stored if row.status != TaskLineage.Status.REJECTED]
    have = {(row.parent_id, row.child_id) for row in stored}
    relation = relation_between(parent, child)
    for pair in _match(parent, child, stored).pairs:
        if (pair.parent.key, pair.child.key) not in have:
            rows.append(TaskLineage(parent_id=pair.parent.key, child_id=pair.child.key, relation=relation,
                                    score=pair.score))
    return rows


@transaction.atomic
def propose(parent: Plan, child: Plan) -> LineageResult:
    """Match the two plans (recorded links and confirmations first) and store the machine's new
    proposals; proposals no longer made are dropped, people's decisions are kept."""
    stored = list(_stored(parent, child))
    result = _match(parent, child, stored)
    wanted = {(p.parent.key, p.child.key): p.score for p in result.pairs}
    existing = {(row.parent_id, row.child_id): row for row in stored}
    relation = relation_between(parent, child)
    for key, row in existing.items():
        if row.status == TaskLineage.Status.PROPOSED and key not in wanted:
            row.delete()
    for (parent_id, child_id), score in wanted.items():
        if (parent_id, child_id) not in existing:
            TaskLineage.objects.create(parent_id=parent_id, child_id=child_id, relation=relation, score=score)
    return result


@transaction.atomic
def confirm(parent: Plan, child: Plan, choices: dict[int, int | None], *, user) -> int:
    """Record a person's decisions: child task id → the parent task it implements (None: none).
    The chosen pair is confirmed; any other standing pair of that child with the parent plan is
    rejected, so the matcher never proposes it again. Returns the number of rows changed."""
    parent_ids = set(Task.objects.filter(plan=parent).values_list("pk", flat=True))
    child_ids = set(Task.objects.filter(plan=child).values_list("pk", flat=True))
    now, changed = timezone.now(), 0
    relation = relation_between(parent, child)
    for child_id, parent_id in choices.items():
        if child_id not in child_ids or (parent_id is not None and parent_id not in parent_ids):
            raise ValueError(f"Nhiệm vụ {child_id} hoặc {parent_id} không thuộc hai kế hoạch đang đối chiếu.")
        for row in TaskLineage.objects.filter(child_id=child_id, parent__plan=parent).select_for_update():
            status = TaskLineage.Status.CONFIRMED if row.parent_id == parent_id else TaskLineage.Status.REJECTED
            if row.status != status:
                row.status, row.decided_by, row.decided_at = status, user, now
                row.save()
                changed += 1
        if parent_id is not None and not TaskLineage.objects.filter(child_id=child_id, parent_id=parent_id).exists():
            TaskLineage.objects.create(parent_id=parent_id, child_id=child_id, relation=relation, score=None,
                                       status=TaskLineage.Status.CONFIRMED, decided_by=user, decided_at=now)
            changed += 1
    return changed


def links(parent: Plan, child_plans) -> dict[int, set[int]]:
    """child plan id → parent task ids it takes up (cascade links and standing lineage)."""
    taken: dict[int, set[int]] = defaultdict(set)
    for plan_id, parent_id in Task.objects.filter(plan__in=child_plans, parent__plan=parent).values_list(
            "plan_id", "parent_id"):
        taken[plan_id].add(parent_id)
    for plan_id, parent_id in TaskLineage.objects.standing().filter(
            child__plan__in=child_plans, parent__plan=parent).values_list("child__plan_id", "parent_id"):
        taken[plan_id].add(parent_id)
    return taken


def concerned_units(parent: Plan) -> dict[int, list[int]]:
    """parent task id → ids of the units it names as lead, coordinating or implementing body."""
    concerned: dict[int, list[int]] = defaultdict(list)
    rows = Obligation.objects.active().filter(task__plan=parent, role__in=CONCERN_ROLES).values_list(
        "task_id", "unit_id").order_by("task_id", "unit_id")
    for task_id, unit_id in rows:
        concerned[task_id].append(unit_id)
    return concerned


def _child_plans(parent: Plan, unit_ids) -> dict[int, Plan]:
    """unit id → its plan of the parent's year (latest), other than the parent plan itself."""
    plans = {}
    for plan in Plan.objects.filter(issuer_id__in=unit_ids, year=parent.year).exclude(pk=parent.pk).order_by(
            "created_at"):
        plans[plan.issuer_id] = plan
    return plans


@dataclass
class GapMatrix:
    parent: Plan
    tasks: list  # Task rows of the parent that concern some unit
    labels: dict[int, str]
    units: list  # Unit rows concerned, by name
    plans: dict[int, Plan]  # unit id → its plan
    missing: dict[int, list[int]]  # unit id → parent task ids not taken up
    concerned: dict[int, list[int]]
    rows: list  # cchc.core.lineage.gaps.MatrixRow per task

    def cell(self, unit_id: int, task_id: int) -> str:
        """"" (not concerned), "missing" or "taken"."""
        if unit_id not in self.concerned_sets.get(task_id, ()):
            return ""
        return "missing" if task_id in self.missing_sets.get(unit_id, ()) else "taken"

    def __post_init__(self):
        self.concerned_sets = {t: set(u) for t, u in self.concerned.items()}
        self.missing_sets = {u: set(t) for u, t in self.missing.items()}


def gap_matrix(parent: Plan, *, kind: str | None = None) -> GapMatrix:
    """Units × tasks of an issued plan: which concerned unit's plan leaves out which task.
    `kind` keeps units of one kind ("commune")."""
    concerned = concerned_units(parent)
    unit_ids = {u for units in concerned.values() for u in units}
    units = Unit.objects.filter(pk__in=unit_ids).exclude(pk=parent.issuer_id)
    if kind:
        units = units.filter(kind=kind)
    units = list(units.order_by("name"))
    kept = {u.pk for u in units}
    concerned = {t: [u for u in us if u in kept] for t, us in concerned.items()}
    concerned = {t: us for t, us in concerned.items() if us}
    plans = _child_plans(parent, kept)
    taken_by_plan = links(parent, list(plans.values()))
    taken = {unit_id: taken_by_plan.get(plan.pk, set()) for unit_id, plan in plans.items()}
    missing = not_taken_up(concerned, taken)
    tasks = [t for t in plan_tasks(parent) if t.pk in concerned]
    task_labels = labels(plan_tasks(parent))
    kinds = {u.kind for u in units}
    noun = _NOUNS.get(next(iter(kinds)), "đơn vị") if len(kinds) == 1 else "đơn vị"
    facts = [TaskFacts(t.pk, task_labels[t.pk], t.section.area) for t in tasks]
    rows = matrix_summary(facts, concerned, missing, noun=noun)
    return GapMatrix(parent, tasks, task_labels, units, plans, missing, concerned, rows)


def summary_by_kind(matrix: GapMatrix) -> list:
    """The matrix's rows counted per kind of unit ("38/166 xã …", "3/20 sở, ngành …"), so a plan
    naming both communes and departments reads plainly; kinds in the order communes, departments,
    districts, others."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for unit in matrix.units:
        by_kind[unit.kind].add(unit.pk)
    facts = [TaskFacts(t.pk, matrix.labels[t.pk], t.section.area) for t in matrix.tasks]
    order = [UnitKind.COMMUNE, UnitKind.DEPARTMENT, UnitKind.DISTRICT]
    rows = []
    for kind in sorted(by_kind, key=lambda k: order.index(k) if k in order else len(order)):
        ids = by_kind[kind]
        concerned = {t: [u for u in us if u in ids] for t, us in matrix.concerned.items()}
        missing = {u: ts for u, ts in matrix.missing.items() if u in ids}
        rows += matrix_summary(facts, concerned, missing, noun=_NOUNS.get(kind, "đơn vị"))
    return rows


def _facts(tasks, task_labels, *, finished: dict[int, bool] | None = None) -> list[TaskFacts]:
    facts = []
    for task in tasks:
        milestones = list(task.milestones.all())
        has_lead = any(a.role in (Role.LEAD, Role.IMPLEMENTING) for a in task.assignments.all())
        facts.append(TaskFacts(task.pk, task_labels[task.pk], task.section.area, has_lead=has_lead,
                               deadline_text=task.deadline_text, dues=tuple(m.due for m in milestones if m.due),
                               finished=(finished or {}).get(task.pk, False)))
    return facts


def finished_tasks(plan: Plan) -> dict[int, bool]:
    """task id → whether every active obligation is completed (tasks without obligations: False)."""
    done: dict[int, bool] = {}
    for task_id, status in Obligation.objects.active().filter(task__plan=plan).values_list("task_id", "status"):
        done[task_id] = done.get(task_id, True) and status in (DONE_ON_TIME, DONE_LATE)
    return done


def _with_details(tasks):
    return tasks.prefetch_related("milestones", "assignments")


def _targets(plan: Plan) -> list[TargetRef]:
    return [TargetRef(t.text, t.area, t.op, float(t.value) if t.value is not None else None, t.unit)
            for t in plan.targets.all()]


def _parent_side(parent: Plan, cache: dict | None):
    """(labels, facts by task id, targets) of a parent plan, kept in `cache` across the plans of
    one request or job that share it."""
    key = ("parent", parent.pk)
    if cache is not None and key in cache:
        return cache[key]
    parent_tasks = list(_with_details(plan_tasks(parent)))
    parent_labels = labels(parent_tasks)
    side = (parent_labels, {f.key: f for f in _facts(parent_tasks, parent_labels)}, _targets(parent))
    if cache is not None:
        cache[key] = side
    return side


def plan_gaps_for(plan: Plan, *, cache: dict | None = None) -> list[Gap]:
    """Every gap of a plan: its own, against the plan above, and against its previous year.
    `cache` (a dict) shares what is read of a parent plan between calls for its children."""
    tasks = list(_with_details(plan_tasks(plan)))
    own_labels = labels(tasks)
    gaps = plan_gaps(_facts(tasks, own_labels))
    parent = parent_plan_of(plan)
    if parent is not None:
        parent_labels, parent_facts, parent_targets = _parent_side(parent, cache)
        concerned = {task_id: [plan.issuer_id] for task_id in Obligation.objects.active().filter(
            task__plan=parent, unit_id=plan.issuer_id, role__in=CONCERN_ROLES).values_list("task_id", flat=True)}
        taken = links(parent, [plan]).get(plan.pk, set())
        for task_id in sorted(not_taken_up(concerned, {plan.issuer_id: taken}).get(plan.issuer_id, []),
                              key=lambda t: list(parent_labels).index(t)):
            gaps.append(Gap("not_taken_up", f"Chưa đưa nhiệm vụ {parent_labels[task_id]} của kế hoạch cấp trên "
                                            "vào kế hoạch.", None, task_id))
        child_facts = {f.key: f for f in _facts(tasks, own_labels)}
        pairs = set(Task.objects.filter(plan=plan, parent__plan=parent).values_list("parent_id", "pk"))
        pairs |= set(TaskLineage.objects.standing().filter(child__plan=plan, parent__plan=parent).values_list(
            "parent_id", "child_id"))
        gaps += pair_gaps((parent_facts[p], child_facts[c]) for p, c in sorted(pairs))
        gaps += weaker_targets(parent_targets, _targets(plan))
    previous = previous_plan_of(plan)
    if previous is not None:
        previous_tasks = list(_with_details(plan_tasks(previous)))
        carried = set(TaskLineage.objects.standing().filter(child__plan=plan, parent__plan=previous).values_list(
            "parent_id", flat=True))
        finished = finished_tasks(previous)
        unfinished_known = [f for f in _facts(previous_tasks, labels(previous_tasks), finished=finished)
                            if f.key in finished]  # only tasks whose progress is tracked
        gaps += carry_over_gaps(unfinished_known, carried, year=plan.year)
    return gaps


def gap_counts(plan: Plan) -> dict[str, int]:
    return dict(Counter(g.kind for g in plan_gaps_for(plan)))


__all__ = ["CONCERN_ROLES", "GapMatrix", "confirm", "gap_matrix", "links", "parent_plan_of", "plan_gaps_for",
           "previous_plan_of", "propose", "proposals", "summary_by_kind", "task_refs"]
