"""Statuses of obligations from the database, through the pure status engine (cchc.core.status).
Pages, API, dashboards, reminders and reports all come through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch

from cchc.core import status as engine
from cchc.dbutils import update_grouped
from cchc.plans.models import Milestone, Obligation

from .models import Completion, ProgressUpdate


@dataclass
class MilestoneRow:
    milestone: Milestone
    occurrences: list[tuple[engine.Occurrence, str]]


@dataclass
class Evaluation:
    status: str
    next_due: datetime.date | None
    milestones: list[MilestoneRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return engine.STATUS_LABELS[self.status]


def with_status_data(queryset):
    """What `evaluate` reads, fetched in a constant number of queries."""
    return queryset.select_related("task__plan__issuer", "task__section", "unit").prefetch_related(
        Prefetch("task__milestones", queryset=Milestone.objects.order_by("position")),
        "completions",
    )


def evaluate(obligation: Obligation, as_of: datetime.date) -> Evaluation:
    milestones = list(obligation.task.milestones.all())
    done: dict[int, dict[str, datetime.date]] = {}
    for completion in obligation.completions.all():
        done.setdefault(completion.milestone_id, {})[completion.period_key] = completion.completed_on
    specs = [engine.MilestoneSpec.of(m, event_on=m.event_on) for m in milestones]
    year = obligation.task.plan.year
    per_milestone = engine.obligation_occurrences(
        specs, year, [done.get(m.pk) for m in milestones], as_of, completed_on=obligation.completed_on
    )
    rows = [MilestoneRow(m, occ) for m, occ in zip(milestones, per_milestone, strict=True)]
    if milestones:
        status = engine.roll_up(s for row in rows for _, s in row.occurrences)
    else:
        status = engine.obligation_status([], year, None, as_of, completed_on=obligation.completed_on)
    open_dues = [occ.due for row in rows for occ, s in row.occurrences if s in (engine.PENDING, engine.OVERDUE) and occ.due]
    return Evaluation(status=status, next_due=min(open_dues) if open_dues else None, milestones=rows)


def refresh(obligations: Iterable[Obligation], today: datetime.date) -> int:
    """Store each obligation's status as of `today`. Returns how many changed."""
    changed = []
    for obligation in obligations:
        result = evaluate(obligation, today)
        if (obligation.status, obligation.next_due, obligation.status_on) != (result.status, result.next_due, today):
            obligation.status, obligation.next_due, obligation.status_on = result.status, result.next_due, today
            changed.append(obligation)
    return update_grouped(Obligation, changed, ["status", "next_due", "status_on"])


def refresh_due(today: datetime.date, *, batch: int = 2000) -> int:
    """The daily pass: only obligations whose status may have changed since it was computed
    (a due date passed, or never computed). Returns how many changed."""
    from django.db.models import Q

    stale = Obligation.objects.active().filter(
        Q(status_on__isnull=True) | Q(next_due__lt=today, status=engine.PENDING) | Q(status=engine.NOT_APPLICABLE)
    ).exclude(status_on=today)
    total = 0
    ids = list(stale.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        total += refresh(with_status_data(Obligation.objects.filter(pk__in=ids[start : start + batch])), today)
    return total


@transaction.atomic
def apply_update(update: ProgressUpdate, today: datetime.date) -> None:
    """Record what an update says was (or was no longer) completed, then refresh the status."""
    obligation = update.obligation
    done = update.state == ProgressUpdate.State.DONE
    completed_on = (update.completed_on or today) if done else None
    if update.milestone_id is None:
        obligation.completed_on = completed_on
        obligation.save(update_fields=["completed_on"])
    elif done:
        Completion.objects.update_or_create(
            obligation=obligation, milestone_id=update.milestone_id, period_key=update.period_key,
            defaults={"completed_on": completed_on},
        )
    else:
        Completion.objects.filter(
            obligation=obligation, milestone_id=update.milestone_id, period_key=update.period_key
        ).delete()
    refresh(with_status_data(Obligation.objects.filter(pk=obligation.pk)), today)
