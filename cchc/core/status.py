"""The status engine: how far an obligation and each of its milestones have got, at any date.

Government task tracking (Quyết định 42/2014/QĐ-TTg, as amended) counts every task as done on time,
done late, not done but not yet due, or overdue. We add a fifth state for what cannot be judged
yet. This module is the one place those rules live; pages, the API, dashboards and reports all
call it. It is pure Python (no Django): callers turn their rows into `MilestoneSpec`s (see
`MilestoneSpec.of`) and pass completion dates in.

Vocabulary
----------
* A **milestone** (`MilestoneSpec`) is one deadline of a task: a kind (as in
  `cchc.plans.models.Milestone.Kind`), a due date, and for recurring milestones the list of
  period keys it repeats over.
* An **occurrence** is one thing that must be done by one date: a single-deadline milestone has
  exactly one (period key ``""``), a recurring one has one per period of the plan year ("2026-Q1",
  "2026-H1", "2026-9M", "2026", "2026-03", ...).
* A **status** is one of `STATUSES`.

Rules for one occurrence, as of a date (`occurrence_status`)
--------------------------------------------------------------
1. A completion recorded after ``as_of`` is ignored: the status is what was known that day.
2. Done by ``as_of``: ``done_on_time`` if completed on or before the due date (the due date itself
   is on time, and so is a completion before the period started), else ``done_late``. Something
   done that had no due date is ``done_on_time``.
3. Not done, no due date (an event that has not happened, an unknown deadline): ``not_applicable``.
4. Not done, an event milestone whose event happens after ``as_of``: ``not_applicable``.
5. Not done, ``as_of`` on or before the due date: ``pending`` (also before the period has begun).
6. Not done, ``as_of`` after the due date: ``overdue``.

Consequences: a done occurrence is never overdue, and moving ``as_of`` forward never turns a done
occurrence into a not-done one (nor changes on time into late).

Occurrences of each kind (`occurrences`)
----------------------------------------
* ``date``, ``month``, ``quarter``, ``year``, and ``unknown`` with a due date: one occurrence on
  ``due``. The period starts on the first day of the month / quarter / year of ``due``; for
  ``date`` and ``unknown`` on 1 January of the plan year (or on ``due`` if earlier, as in "Trước
  31/12/2021" in a 2022 plan). Without a due date: one ``not_applicable`` occurrence.
* ``ongoing`` ("Thường xuyên"): the work goes on all year, and the year is what it is judged on.
  One occurrence from 1 January, due 31 December of the plan year (or ``due`` if one is given). It
  is ``pending`` all year unless marked done, and ``overdue`` only if still not done after its due
  date. A report at a cut-off during the year (14/3, 14/6, 14/9) therefore counts it as not done,
  within time. An ongoing milestone with a period ("Thường xuyên hằng quý": the deadline parser
  gives kind ``ongoing`` with a recurrence) is judged period by period, exactly like ``recurring``.
* ``event`` ("Khi có văn bản chỉ đạo của Trung ương"): applicable once the event has happened
  (``event_on``); due ``due`` if given, else the event day itself. Before ``event_on``, or with neither
  ``event_on`` nor ``due``, it is ``not_applicable``. A ``due`` without ``event_on`` makes it
  applicable at once (someone recorded the deadline).
* ``recurring``: one occurrence per period of the plan year for each recurrence key -- ``monthly``
  (12, "2026-01".."2026-12"), ``quarterly`` (Q1..Q4), ``semiannual`` (H1 and the whole year),
  ``nine_months`` (9M), ``annual`` (the whole year, key "2026"). H1, 9M and the year are cumulative
  and start on 1 January. Each is due on the period's last day unless ``due`` pins a day, see
  `_pinned_due`. Occurrences that fall due the same day are merged, keeping the broadest period,
  so ("quarterly", "semiannual", "nine_months", "annual") yields the reporting cycle Q1, H1, 9M,
  year. A recurring milestone without a recurrence list ("Định kỳ") is taken as ``annual``. The
  deadline parser pins a day for phrases such as "Trước ngày 05/01 hằng năm" (due 05/01 of the
  plan year), "tháng 12 hằng năm" (31/12), "Quý I hằng năm" (31/3).

Rules for an obligation (`obligation_status`, `roll_up`)
--------------------------------------------------------
The obligation's status rolls up the statuses of every occurrence of every milestone:

1. Nothing to judge (no occurrence, or all ``not_applicable``): ``not_applicable``.
2. Any occurrence ``overdue``: ``overdue``.
3. Any occurrence ``pending`` or ``not_applicable`` (a part that has not come due or whose event has
   not happened yet): ``pending`` -- the obligation is not finished and nothing is late.
4. Otherwise every occurrence is done: ``done_late`` if any was late, else ``done_on_time``.

Rule 3 counts a waiting event part as unfinished, so an obligation never goes from done back to
not done as ``as_of`` moves forward. An obligation without milestones is judged as one occurrence
without a due date: ``not_applicable``, or ``done_on_time`` once completed.

The obligation's own ``completed_on`` (the unit declared the whole task done) counts as a
completion of every occurrence; an occurrence with a date of its own is done on the earlier of
the two. Each occurrence is still judged against its own due date, so a quarterly task first
marked done in May is late for Q1 and on time for the rest.

Reporting periods (`reporting_period`)
--------------------------------------
Periodic PAR reports (DOMAIN.md §6): quarter I, 6 months, quarter III, year; data cut off on the
14th, the report due on the 20th of the period's last month. Count statuses ``as_of`` the period's
``end`` to fill a report.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

__all__ = [
    "DONE",
    "DONE_LATE",
    "DONE_ON_TIME",
    "KINDS",
    "NOT_APPLICABLE",
    "OVERDUE",
    "PENDING",
    "RECURRENCE_KEYS",
    "REPORTING_KINDS",
    "REPORTING_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "MilestoneSpec",
    "Occurrence",
    "ReportingPeriod",
    "count_statuses",
    "milestone_status",
    "obligation_occurrences",
    "obligation_status",
    "occurrence_status",
    "occurrences",
    "reporting_period",
    "roll_up",
]

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
PENDING = "pending"
OVERDUE = "overdue"
NOT_APPLICABLE = "not_applicable"

# The four states of QĐ 42/2014 first, in the order reports print them, then ours.
STATUSES: tuple[str, ...] = (DONE_ON_TIME, DONE_LATE, PENDING, OVERDUE, NOT_APPLICABLE)
DONE: frozenset[str] = frozenset({DONE_ON_TIME, DONE_LATE})

STATUS_LABELS: dict[str, str] = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    PENDING: "Chưa hoàn thành, trong hạn",
    OVERDUE: "Chưa hoàn thành, quá hạn",
    NOT_APPLICABLE: "Chưa đến điều kiện thực hiện",
}

KINDS: tuple[str, ...] = ("date", "month", "quarter", "year", "ongoing", "recurring", "event", "unknown")
RECURRENCE_KEYS: tuple[str, ...] = ("monthly", "quarterly", "semiannual", "nine_months", "annual")


@dataclass(frozen=True)
class MilestoneSpec:
    """One deadline of a task, as stored on `Milestone` (kind, due, recurrence), plus the day its
    triggering event happened for kind ``event``."""

    kind: str
    due: date | None = None
    recurrence: tuple[str, ...] | None = None
    event_on: date | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown milestone kind {self.kind!r}")
        if self.recurrence is not None:
            recurrence = tuple(self.recurrence)  # JSON gives a list; keep the spec hashable
            unknown = [key for key in recurrence if key not in RECURRENCE_KEYS]
            if unknown:
                raise ValueError(f"unknown recurrence keys {unknown!r}")
            object.__setattr__(self, "recurrence", recurrence)

    @classmethod
    def of(cls, milestone: Any, event_on: date | None = None) -> MilestoneSpec:
        """The spec of anything with ``kind``, ``due`` and ``recurrence`` attributes (a
        `cchc.plans.models.Milestone`, without importing it)."""
        return cls(kind=milestone.kind, due=milestone.due, recurrence=milestone.recurrence, event_on=event_on)


@dataclass(frozen=True)
class Occurrence:
    """One thing to be done by one date. ``due`` is None when there is no date to judge by;
    before ``applicable_from`` (the day an event happened) the occurrence is not applicable."""

    period_key: str
    period_start: date | None
    due: date | None
    applicable_from: date | None = None


# --- occurrences ------------------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# Periods of each recurrence key: (key suffix, first month, last month). Suffix "" is the year.
_PERIODS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "monthly": tuple((f"-{m:02d}", m, m) for m in range(1, 13)),
    "quarterly": (("-Q1", 1, 3), ("-Q2", 4, 6), ("-Q3", 7, 9), ("-Q4", 10, 12)),
    "semiannual": (("-H1", 1, 6), ("", 1, 12)),
    "nine_months": (("-9M", 1, 9), ),
    "annual": (("", 1, 12), ),
}
# When two periods fall due the same day the broader one names the occurrence (H1 over Q2).
_BREADTH = {"monthly": 0, "quarterly": 1, "nine_months": 2, "semiannual": 3, "annual": 4}
# The block a pinned day repeats in: a pinned day in a quarterly cycle means "that day of that
# month of every quarter". Nine months is a quarter end, so it repeats by quarter too.
_STEP_MONTHS = {"monthly": 1, "quarterly": 3, "nine_months": 3, "semiannual": 6, "annual": 12}


def _pinned_due(pin: date, step: int, last_month: int, year: int) -> date:
    """The due date of the period ending in ``last_month`` when the spec pins a day.

    The pin gives a day and a month position inside a block of ``step`` months (the finest period
    of the recurrence); every period is due on that day of that month of its own last block,
    clamped to the month's length. "Trước ngày 05/01 hằng năm" (annual, pin 05/01) is due 05/01
    of the plan year; "tháng 12 hằng năm" (pin 31/12) on 31/12; a monthly pin on the 25th is the
    25th of every month. A pin in the year after the plan year, within the first block of that
    year, is a lag after each period's end ("05/01 of next year" for the report on a year; a monthly
    pin 05/01 of next year is the 5th of the month after each month).
    """
    if pin.year == year + 1 and pin.month <= step:
        # A pin after the plan year's last period is a lag after every period's end: "trước ngày 05
        # của tháng liền kề" hằng tháng is pinned 05/01 of the next year, so each month's report is
        # due the 5th of the month after it (the year's report on 05/01 of the next year).
        year, month0 = divmod(year * 12 + last_month - 1 + pin.month, 12)
        month = month0 + 1
        return date(year, month, min(pin.day, calendar.monthrange(year, month)[1]))
    position = (pin.month - 1) % step
    month = last_month - step + 1 + position
    return date(year, month, min(pin.day, calendar.monthrange(year, month)[1]))


def _recurring(spec: MilestoneSpec, year: int) -> list[Occurrence]:
    keys = spec.recurrence or ("annual",)
    step = min(_STEP_MONTHS[key] for key in keys)
    by_due: dict[date, tuple[int, Occurrence]] = {}
    for key in keys:
        for suffix, first, last in _PERIODS[key]:
            if spec.due is None:
                due = _month_end(year, last)
            else:
                due = _pinned_due(spec.due, step, last, year)
            occurrence = Occurrence(f"{year}{suffix}", date(year, first, 1), due)
            kept = by_due.get(due)
            if kept is None or _BREADTH[key] > kept[0]:
                by_due[due] = (_BREADTH[key], occurrence)
    return sorted((occ for _, occ in by_due.values()), key=lambda occ: occ.due)


def occurrences(spec: MilestoneSpec, year: int) -> list[Occurrence]:
    """Everything ``spec`` asks for in plan year ``year``, in order of due date.

    Recurring milestones (and ongoing ones with a period) give one occurrence per period (keys
    "2026-Q1", "2026-H1", "2026-9M", "2026", "2026-03"); every other kind gives exactly one, with
    key ``""``.
    """
    kind, due = spec.kind, spec.due
    year_start = date(year, 1, 1)
    if kind == "recurring":
        return _recurring(spec, year)
    if kind == "ongoing" and spec.recurrence:  # "Thường xuyên hằng quý": judged period by period
        return _recurring(spec, year)
    if kind == "ongoing":
        due = due or date(year, 12, 31)
        return [Occurrence("", min(year_start, due), due)]
    if kind == "event":
        if spec.event_on is None:
            return [Occurrence("", None, due)]
        return [Occurrence("", spec.event_on, due or spec.event_on, applicable_from=spec.event_on)]
    if due is None:  # a dated kind whose date nobody could read, or an unknown deadline
        return [Occurrence("", None, None)]
    if kind == "month":
        start = due.replace(day=1)
    elif kind == "quarter":
        start = _quarter_start(due)
    elif kind == "year":
        start = date(due.year, 1, 1)
    else:  # date, unknown with a due date
        start = min(year_start, due)
    return [Occurrence("", start, due)]


# --- statuses --------------------------------------------------------------------------------

def occurrence_status(occ: Occurrence, completed_on: date | None, as_of: date) -> str:
    """The status of one occurrence as of ``as_of``; see the module docstring for the rules."""
    if completed_on is not None and completed_on <= as_of:
        return DONE_ON_TIME if occ.due is None or completed_on <= occ.due else DONE_LATE
    if occ.due is None:
        return NOT_APPLICABLE
    if occ.applicable_from is not None and as_of < occ.applicable_from:
        return NOT_APPLICABLE
    return OVERDUE if as_of > occ.due else PENDING


def milestone_status(
    spec: MilestoneSpec,
    year: int,
    completions: Mapping[str, date] | None,
    as_of: date,
    *,
    completed_on: date | None = None,
) -> list[tuple[Occurrence, str]]:
    """Every occurrence of ``spec`` in plan year ``year`` with its status as of ``as_of``.

    ``completions`` maps period keys to completion dates (key ``""`` for a single occurrence).
    ``completed_on`` is the obligation's own completion (the whole task declared done): it counts
    for every occurrence, which is therefore done on the earlier of its own date and this one.
    """
    completions = completions or {}
    return [
        (occ, occurrence_status(occ, _earliest(completions.get(occ.period_key), completed_on), as_of))
        for occ in occurrences(spec, year)
    ]


def _earliest(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def roll_up(statuses: Iterable[str]) -> str:
    """One status for a set of occurrence statuses (an obligation, a task): see the module
    docstring. An empty set is ``not_applicable``."""
    seen = set(statuses)
    unknown = seen - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown statuses {sorted(unknown)!r}")
    if not seen or seen == {NOT_APPLICABLE}:
        return NOT_APPLICABLE
    if OVERDUE in seen:
        return OVERDUE
    if PENDING in seen or NOT_APPLICABLE in seen:
        return PENDING
    return DONE_LATE if DONE_LATE in seen else DONE_ON_TIME


def obligation_occurrences(
    milestones: Sequence[MilestoneSpec],
    year: int,
    completions: Sequence[Mapping[str, date] | None] | None,
    as_of: date,
    *,
    completed_on: date | None = None,
) -> list[list[tuple[Occurrence, str]]]:
    """`milestone_status` of each milestone of an obligation, in order.

    ``completions`` runs parallel to ``milestones`` (one mapping of period key to date per
    milestone, None or {} for none recorded); None means nothing recorded at all.
    """
    if completions is None:
        completions = [None] * len(milestones)
    if len(completions) != len(milestones):
        raise ValueError(f"{len(completions)} completion maps for {len(milestones)} milestones")
    return [
        milestone_status(spec, year, done, as_of, completed_on=completed_on)
        for spec, done in zip(milestones, completions, strict=True)
    ]


def obligation_status(
    milestones: Sequence[MilestoneSpec],
    year: int,
    completions: Sequence[Mapping[str, date] | None] | None,
    as_of: date,
    *,
    completed_on: date | None = None,
) -> str:
    """The overall status of one obligation (one unit, one task) as of ``as_of``.

    ``completions`` as in `obligation_occurrences`; ``completed_on`` is the obligation's own
    completion date. Roll-up rules: see `roll_up` and the module docstring.
    """
    if not milestones:
        return occurrence_status(Occurrence("", None, None), completed_on, as_of)
    per_milestone = obligation_occurrences(milestones, year, completions, as_of, completed_on=completed_on)
    return roll_up(status for rows in per_milestone for _, status in rows)


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, every status present (zero if none), in `STATUSES` order: the
    four counts reports use, then ``not_applicable``."""
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status not in counts:
            raise ValueError(f"unknown status {status!r}")
        counts[status] += 1
    return counts


# --- reporting periods -----------------------------------------------------------------------

class ReportingPeriod(NamedTuple):
    """Data from ``start`` to ``end`` inclusive; the report is due on ``due``."""

    start: date
    end: date
    due: date


REPORTING_KINDS: tuple[str, ...] = ("q1", "h1", "q3", "year")
REPORTING_LABELS: dict[str, str] = {"q1": "Quý I", "h1": "6 tháng", "q3": "Quý III", "year": "Năm"}
# kind: (cut-off starts on the 15th of this month, previous year if True; ends the 14th of this month)
_REPORTING: dict[str, tuple[int, bool, int]] = {
    "q1": (12, True, 3),
    "h1": (12, True, 6),
    "q3": (6, False, 9),
    "year": (12, True, 12),
}


def reporting_period(kind: str, year: int) -> ReportingPeriod:
    """The data window and due date of a periodic PAR report (DOMAIN.md §6).

    ``kind`` is one of `REPORTING_KINDS`: "q1" (15/12 of the previous year to 14/3), "h1" (6
    months, 15/12-14/6), "q3" (the third quarter alone, 15/6-14/9), "year" (15/12-14/12). The
    report is due on the 20th of the period's last month. Ad hoc reports have no fixed period.
    """
    try:
        start_month, previous_year, end_month = _REPORTING[kind]
    except KeyError:
        raise ValueError(f"unknown reporting period {kind!r}; expected one of {REPORTING_KINDS}") from None
    start = date(year - 1 if previous_year else year, start_month, 15)
    return ReportingPeriod(start, date(year, end_month, 14), date(year, end_month, 20))
