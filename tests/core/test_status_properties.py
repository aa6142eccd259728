"""Property tests of the status engine: for any milestone, completions and dates, statuses are
well formed, done never turns overdue, and time moving forward never undoes what was done."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.status import (
    DONE,
    KINDS,
    NOT_APPLICABLE,
    OVERDUE,
    RECURRENCE_KEYS,
    REPORTING_KINDS,
    STATUSES,
    MilestoneSpec,
    count_statuses,
    milestone_status,
    obligation_status,
    occurrence_status,
    occurrences,
    reporting_period,
    roll_up,
)

FAST = settings(max_examples=75, deadline=None)

YEARS = st.integers(min_value=2019, max_value=2031)
DATES = st.dates(min_value=date(2018, 1, 1), max_value=date(2033, 12, 31))


@st.composite
def specs(draw):
    kind = draw(st.sampled_from(KINDS))
    due = draw(st.none() | DATES)
    recurrence = None
    if kind in ("recurring", "ongoing"):
        recurrence = draw(st.none() | st.lists(st.sampled_from(RECURRENCE_KEYS), max_size=5).map(tuple))
    event_on = draw(st.none() | DATES) if kind == "event" else None
    return MilestoneSpec(kind, due, recurrence, event_on)


@st.composite
def completions_for(draw, spec, year):
    """A completion date (or none) for some of the spec's occurrences, plus stray keys."""
    keys = [occ.period_key for occ in occurrences(spec, year)] + ["", f"{year}-Q9"]
    return draw(st.dictionaries(st.sampled_from(keys), DATES))


@FAST
@given(specs(), YEARS, DATES, st.data())
def test_statuses_are_always_one_of_the_five(spec, year, as_of, data):
    completions = data.draw(completions_for(spec, year))
    rows = milestone_status(spec, year, completions, as_of)
    assert rows
    assert all(status in STATUSES for _, status in rows)
    assert roll_up(status for _, status in rows) in STATUSES


@FAST
@given(specs(), YEARS)
def test_occurrences_are_ordered_and_distinct(spec, year):
    occs = occurrences(spec, year)
    assert occs
    keys = [occ.period_key for occ in occs]
    assert len(set(keys)) == len(keys)
    if spec.kind == "recurring" or (spec.kind == "ongoing" and spec.recurrence):
        dues = [occ.due for occ in occs]
        assert all(due is not None for due in dues)
        assert dues == sorted(set(dues))
        assert all(key.startswith(str(year)) for key in keys)
        assert all(occ.period_start <= occ.due for occ in occs)
    else:
        assert keys == [""]


@FAST
@given(specs(), YEARS, DATES, st.none() | DATES)
def test_a_done_occurrence_is_never_overdue(spec, year, as_of, completed_on):
    for occ in occurrences(spec, year):
        status = occurrence_status(occ, completed_on, as_of)
        if completed_on is not None and completed_on <= as_of:
            assert status in DONE
        else:
            assert status not in DONE
        if status == OVERDUE:
            assert completed_on is None or completed_on > as_of


@FAST
@given(specs(), YEARS, DATES, st.integers(min_value=0, max_value=800), st.data())
def test_time_moving_forward_never_undoes_done(spec, year, as_of, days, data):
    completions = data.draw(completions_for(spec, year))
    later = as_of + timedelta(days=days)
    before = milestone_status(spec, year, completions, as_of)
    after = milestone_status(spec, year, completions, later)
    for (occ, was), (same, now) in zip(before, after, strict=True):
        assert occ == same
        if was in DONE:
            assert now == was  # same verdict: on time stays on time, late stays late
        if was == OVERDUE:
            assert now in DONE or now == OVERDUE


@FAST
@given(st.lists(specs(), max_size=4), YEARS, DATES, st.integers(min_value=0, max_value=800),
       st.none() | DATES, st.data())
def test_obligation_status_is_well_formed_and_monotonic(milestones, year, as_of, days, completed_on, data):
    completions = [data.draw(completions_for(spec, year)) for spec in milestones]
    was = obligation_status(milestones, year, completions, as_of, completed_on=completed_on)
    now = obligation_status(milestones, year, completions, as_of + timedelta(days=days), completed_on=completed_on)
    assert was in STATUSES and now in STATUSES
    if was in DONE:
        assert now == was
    # (An overdue obligation may become pending: once its late part is done, what is left may not
    # be due yet. Only an occurrence stays overdue until done.)
    if completed_on is not None and completed_on <= as_of:
        assert was in DONE  # declared done covers every occurrence


@FAST
@given(st.lists(st.sampled_from(STATUSES)))
def test_roll_up_and_counts_agree(statuses):
    counts = count_statuses(statuses)
    assert list(counts) == list(STATUSES)
    assert sum(counts.values()) == len(statuses)
    overall = roll_up(statuses)
    if not statuses or set(statuses) == {NOT_APPLICABLE}:
        assert overall == NOT_APPLICABLE
    if counts[OVERDUE]:
        assert overall == OVERDUE
    if statuses and all(s in DONE for s in statuses):
        assert overall in DONE


@FAST
@given(st.sampled_from(REPORTING_KINDS), st.integers(min_value=2000, max_value=2100))
def test_reporting_periods_are_well_formed(kind, year):
    start, end, due = reporting_period(kind, year)
    assert start < end < due
    assert end.day == 14 and due.day == 20 and start.day == 15
    assert end.year == due.year == year and end.month == due.month
