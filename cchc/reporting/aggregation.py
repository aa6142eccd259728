"""A province's (or any unit's) figures for a period, from its units' submissions.

* Counted: the accepted submissions of every unit in the subtree, and the unit's own submission
  once sent (submitted or accepted). Each submission holds the unit's own figures only, so the
  subtree's sum counts nothing twice.
* Combined by the rules of `cchc.core.statforms` (engine.py): counts summed, ratios recomputed
  from the summed numerators and denominators (never averaged), yes/no answers counted, choices
  distributed. A percentage reported without its parts (aggregation "none") cannot be combined:
  the unit's own figure is shown.
* The database does the adding: one GROUP BY code over the counted submissions' values gives
  each row's sum, count and answer counts, and the formulas are computed once on the sums
  (`tally_of_totals`). That is exact for the submissions that report every row a formula rests
  on; any other is read and computed on its own (`tally`) and its totals taken off the database's.
  Per-unit figures are read only for the drill-down (`PeriodAggregate.contributions`).
* A unit that merged into another counts in its successor: its submissions are in the
  successor's figures, and the drill-down lists them under the successor.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, Q, Sum

from cchc.core.statforms import (
    FormSet,
    Tally,
    Totals,
    answer_codes,
    coded_rows,
    compute,
    distribution_key,
    sum_first_codes,
    tally,
    tally_of_totals,
)
from cchc.core.status import STATUSES
from cchc.today import today as business_today
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
    submission_ids: list[int]  # the counted submissions
    tally: Tally
    on: datetime.date
    own_values: dict[str, Decimal] = field(default_factory=dict)

    @cached_property
    def values(self) -> dict[str, Decimal]:
        return self.tally.values(self.form_set)

    @cached_property
    def tracking(self) -> dict[str, int]:
        """Tasks by status (cchc.core.status) over the counted submissions' tracking summaries."""
        counts = dict.fromkeys(STATUSES, 0)
        for summary in Submission.objects.filter(pk__in=self.submission_ids).values_list("tracking", flat=True):
            for key, count in ((summary or {}).get("counts") or {}).items():
                if key in counts:
                    counts[key] += count
        return counts

    @property
    def submission_count(self) -> int:
        return len(self.submission_ids)

    @cached_property
    def submissions(self) -> list[Submission]:
        """The counted submissions with their units, by unit name (read when first asked for)."""
        return list(Submission.objects.filter(pk__in=self.submission_ids).select_related("unit").order_by("unit__name"))

    def display(self, code: str) -> str:
        return display_value(self.form_set, self.values, code, self.own_values)

    def reported(self, code: str) -> int:
        """How many of the counted submissions went into the figure of ``code``."""
        return self.tally.reported.get(code, 0)

    @cached_property
    def contributions(self) -> list[Contribution]:
        """Every counted submission with its own computed figures, for the drill-down (read and
        computed only when asked for: the totals do not need them)."""
        raw: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for submission_id, code, value in _stored(self.submission_ids):
            if code in self.form_set.rows:
                raw[submission_id][code] = value
        successors = successors_of([s.unit for s in self.submissions], self.on)
        contributions = [
            Contribution(s, successors[s.unit_id], compute(self.form_set, raw[s.pk])) for s in self.submissions
        ]
        contributions.sort(key=lambda c: (c.counted_as.pk != self.within.pk, c.counted_as.name, c.unit.name))
        return contributions

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


def _sent(period: ReportingPeriod, within: Unit):
    """The period's submissions that can count for ``within``: accepted ones, and its own once sent."""
    return period.submissions.filter(
        Q(status=Submission.Status.ACCEPTED) | Q(unit=within, status=Submission.Status.SUBMITTED)
    )


def counted_submissions(period: ReportingPeriod, within: Unit) -> tuple[list[tuple[int, int]], bool]:
    """(id, unit id) of the submissions the figures of ``within`` are made of, and
    whether they are all of the period's sent ones. A period has one submission per unit of a
    province, so they are read and their units tested here (a walk up from them, and the
    mergers only when one lies outside ``within``); when all count, the database sums them by
    period rather than by a list of ids."""
    candidates = list(_sent(period, within).order_by().values_list("pk", "unit_id"))
    units = {unit_id for _, unit_id in candidates}
    under = Unit.objects.ids_under(within, units)
    if under != units:
        under = units & counted_units(within)
    counted = [(pk, unit_id) for pk, unit_id in candidates if unit_id in under]
    return counted, len(counted) == len(candidates)


def _stored(submission_ids):
    """(submission id, code, value) of the non-blank values of the submissions."""
    return (
        SubmissionValue.objects.filter(submission__in=list(submission_ids), value__isnull=False)
        .values_list("submission_id", "code", "value")
        .order_by()
    )


def _database_totals(form_set: FormSet, scope, count: int) -> Totals:
    """One GROUP BY code over the stored values of the ``count`` submissions of ``scope`` (a
    Submission query): sum, count and, per answer code of yes/no and choice rows, how many gave it."""
    if not count:
        return Totals()
    codes = answer_codes(form_set)
    rows = (
        SubmissionValue.objects.filter(submission__in=scope.values("pk"), value__isnull=False)
        .order_by()
        .values("code")
        .annotate(total=Sum("value"), reported=Count("pk"), **{f"answer_{k}": Count("pk", filter=Q(value=k)) for k in codes})
    )
    coded = coded_rows(form_set)
    totals = Totals(submissions=count)
    for row in rows:
        code = row["code"]
        totals.sums[code], totals.counts[code] = row["total"], row["reported"]
        if code in coded:
            answers = {k: row[f"answer_{k}"] for k in codes if row[f"answer_{k}"]}
            if answers:
                totals.answers[code] = answers
    return totals


def _incomplete(form_set: FormSet, totals: Totals, scope) -> set[int]:
    """Ids of the submissions of ``scope`` that leave blank a row some formula rests on (all of
    them when the form set cannot be summed first): these are computed one by one."""
    operands = sum_first_codes(form_set)
    if operands is not None and totals.report_all(operands):
        return set()
    everyone = set(scope.values_list("pk", flat=True))
    if operands is None:
        return everyone
    complete = (
        SubmissionValue.objects.filter(submission__in=scope.values("pk"), code__in=operands, value__isnull=False)
        .order_by().values("submission").annotate(n=Count("pk")).filter(n=len(operands))
        .values_list("submission", flat=True)
    )
    return everyone - set(complete)


def _figures(form_set: FormSet, scope, count: int, own: int | None = None) -> tuple[Tally, dict[str, Decimal]]:
    """The tally of the ``count`` submissions of ``scope``, and the computed figures of the one
    with id ``own``. Totals are summed by the database for the submissions that report every row
    the formulas rest on (the formulas then computed once, on the sums); the others are read and
    computed one by one (``cchc.core.statforms`` proves both ways agree)."""
    totals = _database_totals(form_set, scope, count)
    incomplete = _incomplete(form_set, totals, scope)
    raw: dict[int, dict[str, Decimal]] = defaultdict(dict)
    wanted = incomplete | ({own} if own else set())
    if wanted:
        for submission_id, code, value in _stored(wanted):
            if code in form_set.rows:
                raw[submission_id][code] = value
    one_by_one = [raw[pk] for pk in incomplete]
    total = tally(form_set, one_by_one)
    if len(incomplete) < count:
        total = total + tally_of_totals(form_set, totals - Totals.of(form_set, one_by_one))
    return total, compute(form_set, raw[own]) if own else {}


def period_aggregate(period: ReportingPeriod, within: Unit | None = None, on: datetime.date | None = None) -> PeriodAggregate:
    within = within or period.province
    on = on or max(business_today(), period.end)
    form_set = form_set_of(period)
    counted, everyone = counted_submissions(period, within)
    ids = [pk for pk, _ in counted]
    # When every sent submission counts (a province's figures) the database selects them by period.
    scope = _sent(period, within) if everyone else Submission.objects.filter(pk__in=ids)
    own = next((pk for pk, unit_id in counted if unit_id == within.pk), None)
    total, own_values = _figures(form_set, scope, len(ids), own)
    return PeriodAggregate(period, form_set, within, ids, total, on, own_values)


@dataclass
class NationalAggregate:
    """The figures of every province for one kind of period and year (what the Ministry of Home
    Affairs compiles): each province's counted submissions, added."""

    year: int
    kind: str
    form_set: FormSet | None
    periods: list[ReportingPeriod]  # counted: the ones on the form set version most periods use
    left_out: list[ReportingPeriod]  # on another version: their rows need not match
    submission_count: int
    tally: Tally

    @cached_property
    def values(self) -> dict[str, Decimal]:
        return self.tally.values(self.form_set) if self.form_set else {}

    def display(self, code: str) -> str:
        return display_value(self.form_set, self.values, code) if self.form_set else ""

    def reported(self, code: str) -> int:
        return self.tally.reported.get(code, 0)


def national_aggregate(year: int, kind: str) -> NationalAggregate:
    """Every province's period of ``kind`` in ``year``: its accepted submissions and the
    province's own once sent, as ``period_aggregate`` counts them for the province."""
    periods = list(
        ReportingPeriod.objects.filter(year=year, kind=kind).select_related("province", "form_set").order_by("province__name")
    )
    if not periods:
        return NationalAggregate(year, kind, None, [], [], 0, Tally())
    versions = Counter(p.form_set_id for p in periods)
    version = max(versions, key=lambda pk: (versions[pk], pk))
    counted = [p for p in periods if p.form_set_id == version]
    scope = Submission.objects.filter(period__in=[p.pk for p in counted]).filter(
        Q(status=Submission.Status.ACCEPTED) | Q(status=Submission.Status.SUBMITTED, unit=F("period__province"))
    )
    count = scope.count()
    form_set = form_set_of(counted[0])
    total, _ = _figures(form_set, scope, count)
    left_out = [p for p in periods if p.form_set_id != version]
    return NationalAggregate(year, kind, form_set, counted, left_out, count, total)


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
