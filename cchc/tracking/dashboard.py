"""Counts for dashboards, from the stored statuses (one GROUP BY each, whatever the data size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from cchc.core.areas import AREAS
from cchc.core.statforms import format_vn_number
from cchc.core.status import DONE_LATE, DONE_ON_TIME, NOT_APPLICABLE, OVERDUE, PENDING, STATUSES
from cchc.plans.models import Obligation, Target
from cchc.units.models import UnitKind

_COUNTS = {status: Count("pk", filter=Q(status=status)) for status in STATUSES}
# Sorting on an expression keeps PostgreSQL from walking the national (status, next_due) index
# and discarding other provinces' rows: it fetches this scope's rows by unit, then sorts them.
_BY_DUE = (Coalesce("next_due", Value(datetime.date.max)), "unit__name")


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

    # Labels written the Vietnamese way ("71,34%"), cheaper than template filters on long lists.
    @property
    def on_time_label(self) -> str:
        return _percent(self.on_time_rate)

    @property
    def completion_label(self) -> str:
        return _percent(self.completion_rate)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else format_vn_number(Decimal(str(round(rate, 2))), 2) + "%"


def obligations_in(scope_units: QuerySet | list[int] | None, year: int) -> QuerySet:
    # Obligations exist only for issued plans: no join through the task and plan is needed.
    obligations = Obligation.objects.active().filter(year=year)
    return obligations if scope_units is None else obligations.filter(unit__in=scope_units)


def summarise(obligations: QuerySet) -> tuple[Tally, list[Tally], list[Tally]]:
    """Totals, per area and per unit, from one GROUP BY (unit, area) over the obligations."""
    totals = dict.fromkeys(STATUSES, 0)
    areas = {key: dict.fromkeys(STATUSES, 0) for key in AREAS}
    units: dict[int, Tally] = {}
    rows = obligations.values(
        "unit", "unit__name", "unit__kind", "unit__parent", "unit__parent__name", "task__section__area"
    ).annotate(**_COUNTS).order_by()
    for row in rows:
        # An office or post counts for the unit it belongs to: units are ranked, not their desks.
        pk, name = row["unit"], row["unit__name"]
        if row["unit__kind"] == UnitKind.OFFICE and row["unit__parent"]:
            pk, name = row["unit__parent"], row["unit__parent__name"]
        unit = units.setdefault(pk, Tally(str(pk), name, dict.fromkeys(STATUSES, 0), pk=pk))
        for status in STATUSES:
            totals[status] += row[status]
            unit.counts[status] += row[status]
            areas.setdefault(row["task__section__area"], dict.fromkeys(STATUSES, 0))[status] += row[status]
    by_area = [Tally(key, label, areas[key]) for key, label in AREAS.items()]
    by_unit = sorted(units.values(), key=lambda tally: tally.label)
    return Tally("all", "Tổng", totals), by_area, by_unit


def ranking(tallies: list[Tally]) -> list[Tally]:
    """Units by on-time completion, best first; units with nothing due yet last."""
    return sorted(tallies, key=lambda t: (t.on_time_rate is None, -(t.on_time_rate or 0), -t.judged, t.label))


def overdue_list(obligations: QuerySet, limit: int = 20) -> QuerySet:
    return obligations.filter(status=OVERDUE).select_related("unit", "task__plan").order_by(*_BY_DUE)[:limit]


def upcoming(obligations: QuerySet, today: datetime.date, days: int = 30, limit: int = 20) -> QuerySet:
    return (
        obligations.filter(status=PENDING, next_due__gte=today, next_due__lte=today + datetime.timedelta(days=days))
        .select_related("unit", "task__plan")
        .order_by(*_BY_DUE)[:limit]
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
