"""A province's (or any unit's) figures for a period, from its units' submissions.

* Counted: the accepted submissions of every unit in the subtree, and the unit's own submission
  once sent (submitted or accepted). Each submission holds the unit's own figures only, so the
  subtree's sum counts nothing twice.
* Combined by `cchc.core.statforms.aggregate`: counts summed, ratios recomputed from the summed
  numerators and denominators (never averaged), yes/no answers counted, choices distributed.
  A percentage reported without its parts (aggregation "none") cannot be combined: the unit's
  own figure is shown.
* A unit that merged into another counts in its successor: its submissions are in the
  successor's figures, and the drill-down lists them under the successor.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from cchc.core.statforms import FormSet, aggregate, compute, distribution_key
from cchc.core.status import STATUSES
from cchc.units.models import Succession, Unit

from .models import ReportingPeriod, Submission, SubmissionValue
from .services import display_number, display_row_value, form_set_of


@dataclass
class Contribution:
    submission: Submission
    counted_as: Unit  # the unit the figures belong to today (the successor after a merger)
    values: dict[str, Decimal]  # inputs and derived values of this one submission

    @property
    def unit(self) -> Unit:
        return self.submission.unit

    @property
    def merged(self) -> bool:
        return self.counted_as.pk != self.submission.unit_id


@dataclass
class PeriodAggregate:
    period: ReportingPeriod
    form_set: FormSet
    within: Unit
    contributions: list[Contribution]
    values: dict[str, Decimal]
    own_values: dict[str, Decimal] = field(default_factory=dict)
    tracking: dict[str, int] = field(default_factory=dict)

    def display(self, code: str) -> str:
        return display_value(self.form_set, self.values, code, self.own_values)

    def contributions_for(self, code: str) -> list[Contribution]:
        return [c for c in self.contributions if code in c.values]


_MERGES = (Succession.Kind.MERGED_INTO, Succession.Kind.RENAMED_TO)


def successors_of(units: list[Unit], on: datetime.date) -> dict[int, Unit]:
    """For each unit, the unit it lives on as on ``on`` after mergers and renamings (itself if
    none): the successions are read once, level by level, not once per unit."""
    steps: dict[int, Unit] = {}
    frontier = {unit.pk for unit in units}
    while frontier:
        found = {}
        for step in (
            Succession.objects.filter(predecessor__in=frontier, kind__in=_MERGES, on__lte=on)
            .select_related("successor")
            .order_by("-on")  # the earliest succession of a unit wins, as the walk takes it
        ):
            found[step.predecessor_id] = step.successor
        steps.update(found)
        frontier = {successor.pk for successor in found.values()} - set(steps)
    result = {}
    for unit in units:
        seen, current = {unit.pk}, unit
        while current.pk in steps and steps[current.pk].pk not in seen:
            current = steps[current.pk]
            seen.add(current.pk)
        result[unit.pk] = current
    return result


def counted_units(within: Unit) -> set[int]:
    """The subtree of ``within`` plus every unit that merged into one of it (recursively)."""
    reach = Unit.objects.subtree_ids(within)
    frontier = set(reach)
    while frontier:
        predecessors = set(
            Succession.objects.filter(successor__in=frontier, kind__in=_MERGES).values_list("predecessor", flat=True)
        ) - reach
        for pk in list(predecessors):
            predecessors |= Unit.objects.subtree_ids(pk)
        predecessors -= reach
        reach |= predecessors
        frontier = predecessors
    return reach


def counted_submissions(period: ReportingPeriod, within: Unit):
    return (
        period.submissions.filter(unit__in=counted_units(within))
        .filter(Q(status=Submission.Status.ACCEPTED) | Q(unit=within, status=Submission.Status.SUBMITTED))
        .select_related("unit")
        .order_by("unit__name")
    )


def period_aggregate(period: ReportingPeriod, within: Unit | None = None, on: datetime.date | None = None) -> PeriodAggregate:
    within = within or period.province
    on = on or max(timezone.localdate(), period.end)
    form_set = form_set_of(period)
    submissions = list(counted_submissions(period, within))
    raw: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for submission_id, code, value in SubmissionValue.objects.filter(
        submission__in=[s.pk for s in submissions], value__isnull=False
    ).values_list("submission_id", "code", "value"):
        if code in form_set.rows:
            raw[submission_id][code] = value
    contributions = []
    successors = successors_of([submission.unit for submission in submissions], on)
    for submission in submissions:
        contributions.append(
            Contribution(submission, successors[submission.unit_id], compute(form_set, raw[submission.pk]))
        )
    values = aggregate(form_set, [raw[s.pk] for s in submissions])
    own = next((c.values for c in contributions if c.submission.unit_id == within.pk), {})
    tracking = dict.fromkeys(STATUSES, 0)
    for submission in submissions:
        for key, count in ((submission.tracking or {}).get("counts") or {}).items():
            if key in tracking:
                tracking[key] += count
    contributions.sort(key=lambda c: (c.counted_as.pk != within.pk, c.counted_as.name, c.unit.name))
    return PeriodAggregate(period, form_set, within, contributions, values, own, tracking)


def display_value(form_set: FormSet, values: dict[str, Decimal], code: str, own: dict[str, Decimal] | None = None) -> str:
    """An aggregated figure as the forms print it: "238.144", "99,99", "Có: 3 / 5",
    "Trực tuyến: 1; Phát phiếu: 0; Kết hợp: 2"; a non-combinable percentage: the unit's own."""
    row = form_set.rows[code]
    if not row.has_value:
        return ""
    rule = row.aggregation
    places = row.places if row.value_type in ("percent", "amount") else 0
    if rule == "choice_distribution":
        parts = [(c.label, values.get(distribution_key(code, c.code))) for c in row.choices]
        if all(v is None or v == 0 for _, v in parts):
            return ""
        return "; ".join(f"{label}: {display_number(v or Decimal(0), 0)}" for label, v in parts)
    if rule == "yes_no_count":
        if code not in values:
            return ""
        answered = sum((values.get(distribution_key(code, c.code), Decimal(0)) for c in row.choices), Decimal(0))
        return f"{display_number(values[code], 0)}/{display_number(answered, 0)} đơn vị «Có»"
    if rule in (None, "none"):
        value = (own or {}).get(code)
        return display_number(value, places) if value is not None else ""
    return display_row_value(row, values.get(code))


def unit_value_display(form_set: FormSet, values: dict[str, Decimal], code: str) -> str:
    """One unit's own figure: coded answers with their label ("Kết hợp (2)")."""
    row = form_set.rows[code]
    value = values.get(code)
    if value is None:
        return ""
    if row.choices:
        label = next((c.label for c in row.choices if Decimal(c.code) == value), None)
        return f"{label} ({display_number(value, 0)})" if label else display_number(value)
    if row.derived:
        return display_row_value(row, value)
    return display_number(value)
