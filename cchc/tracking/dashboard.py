"""Counts for dashboards, from the stored statuses (one GROUP BY each, whatever the data size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from cchc.core.areas import AREAS
from cchc.core.status import DONE_LATE, DONE_ON_TIME, NOT_APPLICABLE, OVERDUE, PENDING, STATUSES
from cchc.plans.models import Obligation, Target

_COUNTS = {status: Count("pk", filter=Q(status=status)) for status in STATUSES}


@dataclass
class Tally:
    key: str
    label: str
    counts: dict[str, int]
    pk: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[DONE_ON_TIME] + self.counts[DONE_LATE]

    @property
    def judged(self) -> int:
        """Obligations whose time has come: done, or due and not done."""
        return self.done + self.counts[OVERDUE]

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.counts[DONE_ON_TIME] / self.judged if self.judged else None

    @property
    def completion_rate(self) -> float | None:
        applicable = self.total - self.counts[NOT_APPLICABLE]
        return 100 * self.done / applicable if applicable else None


def obligations_in(scope_units: QuerySet | list[int] | None, year: int) -> QuerySet:
    # Obligations exist only for issued plans: no join through the task and plan is needed.
    obligations = Obligation.objects.active().filter(year=year)
    return obligations if scope_units is None else obligations.filter(unit__in=scope_units)


def by_area(obligations: QuerySet) -> list[Tally]:
    rows = {row["task__section__area"]: row for row in obligations.values("task__section__area").annotate(**_COUNTS)}
    return [Tally(key, label, {s: rows.get(key, {}).get(s, 0) for s in STATUSES}) for key, label in AREAS.items()]


def by_unit(obligations: QuerySet) -> list[Tally]:
    rows = obligations.values("unit", "unit__name").annotate(**_COUNTS).order_by("unit__name")
    return [Tally(str(row["unit"]), row["unit__name"], {s: row[s] for s in STATUSES}, pk=row["unit"]) for row in rows]


def ranking(tallies: list[Tally]) -> list[Tally]:
    """Units by on-time completion, best first; units with nothing due yet last."""
    return sorted(tallies, key=lambda t: (t.on_time_rate is None, -(t.on_time_rate or 0), -t.judged, t.label))


def totals(obligations: QuerySet) -> Tally:
    counts = obligations.aggregate(**_COUNTS)
    return Tally("all", "Tổng", {s: counts[s] or 0 for s in STATUSES})


def overdue_list(obligations: QuerySet, limit: int = 50) -> QuerySet:
    return obligations.filter(status=OVERDUE).select_related("unit", "task__plan").order_by("next_due", "unit__name")[:limit]


def upcoming(obligations: QuerySet, today: datetime.date, days: int = 30, limit: int = 50) -> QuerySet:
    return (
        obligations.filter(status=PENDING, next_due__gte=today, next_due__lte=today + datetime.timedelta(days=days))
        .select_related("unit", "task__plan")
        .order_by("next_due", "unit__name")[:limit]
    )


def late_units(obligations: QuerySet) -> list[dict]:
    """Units with overdue work, worst first: how many, and since when."""
    return list(
        obligations.filter(status=OVERDUE)
        .values("unit", "unit__name")
        .annotate(overdue=Count("pk"), oldest=Min("next_due"))
        .order_by("-overdue", "oldest")
    )


def targets_of(plans: QuerySet, today: datetime.date) -> list[tuple[Target, str | None]]:
    return [(t, t.assessment(today)) for t in Target.objects.filter(plan__in=plans).select_related("plan__issuer")]
