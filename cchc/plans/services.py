"""Plan operations that span several models: saving a parsed plan, issuing it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from cchc.dbutils import update_grouped
from cchc.history.bulk import record_bulk
from cchc.history.models import ObjectChange, snapshot
from cchc.today import today as business_today
from cchc.units.models import Unit, UnitKind

from .models import OBLIGED_ROLES, Assignment, Milestone, Obligation, Plan, Section, Target, Task
from .signals import obligations_changed

ROLE_RANK = {role: rank for rank, role in enumerate(OBLIGED_ROLES)}


@dataclass
class IssueResult:
    created: int = 0
    kept: int = 0
    withdrawn: int = 0
    restored: int = 0
    unresolved: list[str] = field(default_factory=list)


def wanted_obligations(plan: Plan) -> tuple[dict[tuple[int, int], str], list[str]]:
    """(task id, unit id) → role for every unit the plan obliges; and the unresolved bodies."""
    # A district's plan means its own communes; any other plan means the whole province.
    within = plan.issuer if plan.issuer.kind == UnitKind.DISTRICT else plan.issuer.province()
    members_cache: dict[int, list[int]] = {}
    wanted: dict[tuple[int, int], str] = {}
    unresolved = []
    assignments = Assignment.objects.filter(task__plan=plan, role__in=OBLIGED_ROLES).select_related("unit_class")
    for assignment in assignments:
        if assignment.unit_id:
            unit_ids = [assignment.unit_id]
        elif assignment.unit_class_id and within is not None:
            if assignment.unit_class_id not in members_cache:
                members_cache[assignment.unit_class_id] = list(
                    assignment.unit_class.members(within, plan.reference_date).values_list("pk", flat=True)
                )
            unit_ids = members_cache[assignment.unit_class_id]
        else:
            unresolved.append(assignment.text)
            continue
        for unit_id in unit_ids:
            key = (assignment.task_id, unit_id)
            if key not in wanted or ROLE_RANK[assignment.role] < ROLE_RANK[wanted[key]]:
                wanted[key] = assignment.role
    return wanted, unresolved


@transaction.atomic
def issue_plan(plan: Plan, *, today: datetime.date | None = None) -> IssueResult:
    """Issue (or re-issue) the plan: one obligation per obliged unit and task. Existing
    obligations keep their progress; ones no longer wanted are withdrawn, never deleted."""
    today = today or business_today()
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    wanted, unresolved = wanted_obligations(plan)
    result = IssueResult(unresolved=unresolved)
    existing = {(o.task_id, o.unit_id): o for o in Obligation.objects.filter(task__plan=plan).select_related("task", "unit")}

    # Related objects attached up front: the change log prints each obligation (unit and task).
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan)}
    units = Unit.objects.in_bulk({u for (_, u) in wanted})
    new = [
        Obligation(task=tasks[t], unit=units[u], role=role, year=plan.year)
        for (t, u), role in wanted.items()
        if (t, u) not in existing
    ]
    Obligation.objects.bulk_create(new, batch_size=500)  # PostgreSQL and SQLite return the new ids
    record_bulk(new, ObjectChange.Action.CREATE)
    result.created = len(new)

    changed, before = [], {}
    for key, obligation in existing.items():
        role = wanted.get(key)
        snapshot_before = snapshot(obligation)
        if role is None:
            if obligation.withdrawn_on is None:
                obligation.withdrawn_on = today
                result.withdrawn += 1
        else:
            if obligation.withdrawn_on is not None:
                obligation.withdrawn_on = None
                result.restored += 1
            else:
                result.kept += 1
            obligation.role = role
        if snapshot(obligation) != snapshot_before:
            changed.append(obligation)
            before[obligation.pk] = snapshot_before
    update_grouped(Obligation, changed, ["withdrawn_on", "role"])
    record_bulk(changed, ObjectChange.Action.UPDATE, before)

    if plan.status != Plan.Status.ISSUED:
        plan.status = Plan.Status.ISSUED
        plan.save(update_fields=["status"])
    obligations_changed.send(Plan, obligations=Obligation.objects.filter(task__plan=plan), today=today)
    return result


# A resolver turns a body's text into (unit, unit class) for a plan; see cchc.units.registry.
Resolver = Callable[[str], tuple]


@transaction.atomic
def save_parsed_plan(
    parsed: dict,
    *,
    issuer: Unit,
    resolve: Resolver,
    source_name: str = "",
    source_sha256: str = "",
    source_text: str = "",
    source_file=None,
    created_by=None,
) -> tuple[Plan, list[str]]:
    """Store a plan structure as printed by `cchc import-plan --json` as a draft plan of
    `issuer`. All or nothing. Returns the plan and the body texts left unresolved."""
    plan = Plan.objects.create(
        issuer=issuer,
        year=parsed["year"],
        number=parsed.get("number") or "",
        issued_on=_date(parsed.get("issued_on")),
        title=(parsed.get("title") or f"Kế hoạch cải cách hành chính năm {parsed['year']}")[:500],
        parent_reference=(parsed.get("parent_reference") or "")[:500],
        source_name=source_name,
        source_sha256=source_sha256,
        source_text=source_text,
        read_from_scan=bool(parsed.get("read_from_scan")),
        created_by=created_by,
    )
    if source_file is not None:
        plan.source_file.save(source_name or "plan", source_file, save=True)
    for position, target in enumerate(parsed.get("targets", [])):
        Target.objects.create(
            plan=plan, position=position, area=target.get("area") or "", text=target["text"],
            op=target.get("op") or "", value=target.get("value"), unit=target.get("unit") or "",
        )
    unresolved: list[str] = []
    for section_position, section_data in enumerate(parsed.get("sections", [])):
        section = Section.objects.create(
            plan=plan, position=section_position, number=section_data.get("number") or "",
            area=section_data["area"], title=(section_data.get("title") or "")[:500],
        )
        for task_position, task_data in enumerate(section_data.get("tasks", [])):
            lines = task_data.get("source_lines") or [None, None]
            task = Task.objects.create(
                plan=plan, section=section, position=task_position, number=task_data.get("number") or "",
                content=task_data["content"], deliverables=task_data.get("deliverables") or [],
                notes=task_data.get("notes") or "", deadline_text=task_data.get("deadline_text") or "",
                source_first_line=lines[0], source_last_line=lines[1],
                from_scan=bool(task_data.get("from_scan")),
            )
            create_milestones(task, task_data.get("milestones", []))
            roles = [(role, task_data.get(role) or []) for role in ("lead", "coordinating", "monitoring")]
            roles += [(other["role"], other["bodies"]) for other in task_data.get("other_roles", [])]
            position = 0
            for role, bodies in roles:
                for text in bodies:
                    unit, unit_class = resolve(text)
                    if unit is None and unit_class is None:
                        unresolved.append(text)
                    Assignment.objects.create(
                        task=task, position=position, role=role, text=text[:500], unit=unit, unit_class=unit_class
                    )
                    position += 1
    return plan, sorted(set(unresolved))


def create_milestones(task: Task, milestones: list[dict]) -> None:
    """Milestones from the deadline grammar's JSON form (see cchc.core.deadlines)."""
    for position, milestone in enumerate(milestones):
        Milestone.objects.create(
            task=task, position=position, label=(milestone.get("label") or "")[:500],
            deliverable=(milestone.get("deliverable") or "")[:500], deadline_text=(milestone.get("text") or "")[:500],
            kind=milestone["kind"], due=_date(milestone.get("due")), recurrence=milestone.get("recurrence"),
        )


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def update_reviewed_task(task: Task, *, fields: dict, deliverables: list[str], bodies: dict[str, list[str]],
                         resolve: Resolver, parse_milestones: Callable[[str], list[dict]]) -> None:
    """Apply a person's corrections to a task. Bodies already resolved (by hand or by the
    registry) keep their unit when their text is unchanged; new texts are resolved afresh;
    milestones are re-read when the deadline text changed."""
    # Compare with the stored row: a bound ModelForm has already copied its values onto `task`.
    stored_deadline = Task.objects.values_list("deadline_text", flat=True).get(pk=task.pk)
    deadline_changed = fields.get("deadline_text", stored_deadline) != stored_deadline
    for name, value in fields.items():
        setattr(task, name, value)
    task.deliverables = deliverables
    task.save()
    for role, texts in bodies.items():
        current = {a.text: a for a in task.assignments.filter(role=role)}
        for stale in set(current) - set(texts):
            current[stale].delete()
        for position, text in enumerate(texts):
            assignment = current.get(text)
            if assignment is None:
                unit, unit_class = resolve(text)
                Assignment.objects.create(task=task, role=role, text=text, unit=unit, unit_class=unit_class,
                                          position=position)
            elif assignment.position != position:
                assignment.position = position
                assignment.save(update_fields=["position"])
    if deadline_changed:
        task.milestones.all().delete()
        create_milestones(task, parse_milestones(task.deadline_text))


@transaction.atomic
def cascade_plan(parent: Plan, issuer: Unit, task_ids: list[int], *, created_by=None) -> Plan:
    """A draft plan of `issuer` built from the plan above: the chosen tasks are copied with their
    deliverables and deadlines, each linked to the task it implements, led by the issuer itself
    until the issuer assigns its own offices on the review screen."""
    plan = Plan.objects.create(
        issuer=issuer, year=parent.year, parent=parent, created_by=created_by,
        title=f"Kế hoạch cải cách hành chính năm {parent.year}",
        parent_reference=(f"{parent.number} của {parent.issuer}" if parent.number else str(parent))[:500],
    )
    sections: dict[int, Section] = {}
    chosen = Task.objects.filter(plan=parent, pk__in=task_ids).select_related("section").prefetch_related("milestones")
    for position, source in enumerate(chosen.order_by("section__position", "position")):
        if source.section_id not in sections:
            sections[source.section_id] = Section.objects.create(
                plan=plan, position=source.section.position, number=source.section.number,
                area=source.section.area, title=source.section.title,
            )
        task = Task.objects.create(
            plan=plan, section=sections[source.section_id], position=position, number=str(position + 1),
            content=source.content, deliverables=source.deliverables, deadline_text=source.deadline_text,
            notes=source.notes, parent=source,
        )
        create_milestones(task, [
            {"label": m.label, "deliverable": m.deliverable, "text": m.deadline_text, "kind": m.kind,
             "due": m.due.isoformat() if m.due else None, "recurrence": m.recurrence}
            for m in source.milestones.all()
        ])
        Assignment.objects.create(task=task, role="lead", text=issuer.name, unit=issuer)
    return plan
