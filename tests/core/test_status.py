"""Table-driven tests of the status engine: occurrences of every milestone kind, the status of one
occurrence at chosen dates, obligation roll-up, counts and reporting periods."""

from __future__ import annotations

import ast
import inspect
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from cchc.core import status as status_module
from cchc.core.status import (
    DONE_LATE,
    DONE_ON_TIME,
    NOT_APPLICABLE,
    OVERDUE,
    PENDING,
    STATUS_LABELS,
    STATUSES,
    MilestoneSpec,
    Occurrence,
    ReportingPeriod,
    count_statuses,
    milestone_status,
    obligation_occurrences,
    obligation_status,
    occurrence_status,
    occurrences,
    reporting_period,
    roll_up,
)

D = date
DAY = timedelta(days=1)


def statuses_of(rows):
    return [status for _, status in rows]


def keys_and_dues(spec, year):
    return [(occ.period_key, occ.due) for occ in occurrences(spec, year)]


# --- the module itself -------------------------------------------------------------------------

def test_module_does_not_import_django():
    tree = ast.parse(inspect.getsource(status_module))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not [name for name in imported if name.split(".")[0] in {"django", "rest_framework", "cchc"}]


def test_labels_are_vietnamese_and_cover_every_status():
    assert list(STATUS_LABELS) == list(STATUSES)
    assert STATUS_LABELS == {
        "done_on_time": "Hoàn thành đúng hạn",
        "done_late": "Hoàn thành quá hạn",
        "pending": "Chưa hoàn thành, trong hạn",
        "overdue": "Chưa hoàn thành, quá hạn",
        "not_applicable": "Chưa đến điều kiện thực hiện",
    }


# --- specs -------------------------------------------------------------------------------------

def test_spec_from_a_model_like_object_turns_json_list_into_tuple():
    milestone = SimpleNamespace(kind="recurring", due=None, recurrence=["quarterly", "annual"])
    spec = MilestoneSpec.of(milestone)
    assert spec == MilestoneSpec("recurring", None, ("quarterly", "annual"))
    assert spec.recurrence == ("quarterly", "annual")
    hash(spec)


def test_spec_of_an_event_takes_the_event_day():
    milestone = SimpleNamespace(kind="event", due=None, recurrence=None)
    assert MilestoneSpec.of(milestone, event_on=D(2026, 6, 1)).event_on == D(2026, 6, 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "weekly"},
        {"kind": ""},
        {"kind": "recurring", "recurrence": ("quarterly", "fortnightly")},
        {"kind": "recurring", "recurrence": ["yearly"]},
    ],
)
def test_spec_rejects_unknown_kinds_and_recurrence_keys(kwargs):
    with pytest.raises(ValueError):
        MilestoneSpec(**kwargs)


# --- single-occurrence kinds -------------------------------------------------------------------

# (kind, due, expected period start)
DATED = [
    ("date", D(2022, 6, 30), D(2022, 1, 1)),
    ("date", D(2021, 12, 31), D(2021, 12, 31)),  # "Trước 31/12/2021" in a 2022 plan
    ("month", D(2022, 2, 28), D(2022, 2, 1)),
    ("month", D(2022, 12, 31), D(2022, 12, 1)),
    ("quarter", D(2022, 9, 30), D(2022, 7, 1)),
    ("quarter", D(2023, 3, 31), D(2023, 1, 1)),  # "Quý I/2023" in a 2022 plan
    ("year", D(2022, 12, 31), D(2022, 1, 1)),
    ("unknown", D(2022, 5, 15), D(2022, 1, 1)),  # an unknown kind with a due date is judged by it
]


@pytest.mark.parametrize(("kind", "due", "start"), DATED)
def test_dated_kinds_have_one_occurrence_on_their_due_date(kind, due, start):
    assert occurrences(MilestoneSpec(kind, due), 2022) == [Occurrence("", start, due)]


# (scenario, completion relative to due in days or None, as_of relative to due in days, expected)
SCENARIOS = [
    ("not done, long before due", None, -100, PENDING),
    ("not done, day before due", None, -1, PENDING),
    ("not done, on the due date", None, 0, PENDING),
    ("not done, day after due", None, 1, OVERDUE),
    ("not done, long after due", None, 200, OVERDUE),
    ("done early, seen the same day", -10, -10, DONE_ON_TIME),
    ("done early, seen on due", -10, 0, DONE_ON_TIME),
    ("done early, seen long after", -10, 300, DONE_ON_TIME),
    ("done on the due date", 0, 0, DONE_ON_TIME),
    ("done on the due date, seen later", 0, 30, DONE_ON_TIME),
    ("done a day late", 1, 1, DONE_LATE),
    ("done late, seen later", 20, 40, DONE_LATE),
    ("done early but after as_of", -5, -6, PENDING),
    ("done on due but after as_of", 0, -1, PENDING),
    ("done late, as_of after due but before completion", 20, 10, OVERDUE),
    ("done late, as_of before due", 20, -3, PENDING),
]


@pytest.mark.parametrize(("kind", "due", "start"), DATED)
@pytest.mark.parametrize(("scenario", "done_offset", "as_of_offset", "expected"), SCENARIOS)
def test_dated_kinds_at_chosen_dates(kind, due, start, scenario, done_offset, as_of_offset, expected):
    completed = None if done_offset is None else due + done_offset * DAY
    as_of = due + as_of_offset * DAY
    rows = milestone_status(MilestoneSpec(kind, due), 2022, {"": completed} if completed else {}, as_of)
    assert statuses_of(rows) == [expected], scenario


def test_as_of_before_the_period_start_is_still_pending():
    spec = MilestoneSpec("quarter", D(2022, 9, 30))
    assert statuses_of(milestone_status(spec, 2022, {}, D(2021, 12, 1))) == [PENDING]


def test_completion_before_the_period_start_is_on_time():
    spec = MilestoneSpec("quarter", D(2022, 9, 30))
    assert statuses_of(milestone_status(spec, 2022, {"": D(2022, 2, 1)}, D(2022, 3, 1))) == [DONE_ON_TIME]


@pytest.mark.parametrize("kind", ["date", "month", "quarter", "year", "unknown"])
@pytest.mark.parametrize(
    ("completed", "as_of", "expected"),
    [
        (None, D(2022, 1, 1), NOT_APPLICABLE),
        (None, D(2030, 1, 1), NOT_APPLICABLE),
        (D(2022, 5, 1), D(2022, 4, 30), NOT_APPLICABLE),  # done after as_of: ignored
        (D(2022, 5, 1), D(2022, 5, 1), DONE_ON_TIME),  # done with no deadline cannot be late
        (D(2022, 5, 1), D(2030, 1, 1), DONE_ON_TIME),
    ],
)
def test_kinds_without_a_due_date_are_not_applicable_until_done(kind, completed, as_of, expected):
    spec = MilestoneSpec(kind)
    assert occurrences(spec, 2022) == [Occurrence("", None, None)]
    assert statuses_of(milestone_status(spec, 2022, {"": completed} if completed else None, as_of)) == [expected]


# --- ongoing -----------------------------------------------------------------------------------

def test_ongoing_is_one_occurrence_for_the_whole_plan_year():
    assert occurrences(MilestoneSpec("ongoing"), 2026) == [Occurrence("", D(2026, 1, 1), D(2026, 12, 31))]


def test_ongoing_with_a_due_date_uses_it():
    assert occurrences(MilestoneSpec("ongoing", D(2026, 6, 30)), 2026) == [
        Occurrence("", D(2026, 1, 1), D(2026, 6, 30))
    ]


@pytest.mark.parametrize(
    ("completed", "as_of", "expected"),
    [
        (None, D(2025, 12, 20), PENDING),  # before the plan year
        (None, D(2026, 3, 14), PENDING),  # Q1 report cut-off
        (None, D(2026, 6, 14), PENDING),  # 6-month report cut-off
        (None, D(2026, 12, 14), PENDING),  # year report cut-off
        (None, D(2026, 12, 31), PENDING),
        (None, D(2027, 1, 1), OVERDUE),
        (D(2026, 3, 1), D(2026, 6, 14), DONE_ON_TIME),
        (D(2026, 12, 31), D(2026, 12, 31), DONE_ON_TIME),
        (D(2026, 3, 1), D(2026, 2, 28), PENDING),
        (D(2027, 1, 5), D(2027, 1, 10), DONE_LATE),
        (D(2027, 1, 5), D(2027, 1, 4), OVERDUE),
    ],
)
def test_ongoing_at_chosen_dates(completed, as_of, expected):
    completions = {"": completed} if completed else {}
    assert statuses_of(milestone_status(MilestoneSpec("ongoing"), 2026, completions, as_of)) == [expected]


def test_ongoing_with_a_period_is_judged_period_by_period():
    spec = MilestoneSpec("ongoing", None, ("quarterly",))  # "Thường xuyên hằng quý"
    assert keys_and_dues(spec, 2026) == keys_and_dues(MilestoneSpec("recurring", None, ("quarterly",)), 2026)
    rows = milestone_status(spec, 2026, {"2026-Q1": D(2026, 3, 30)}, D(2026, 7, 1))
    assert statuses_of(rows) == [DONE_ON_TIME, OVERDUE, PENDING, PENDING]


def test_ongoing_yearly_is_the_plain_ongoing_year():
    # "Thực hiện thường xuyên hằng năm"
    assert keys_and_dues(MilestoneSpec("ongoing", None, ("annual",)), 2026) == [("2026", D(2026, 12, 31))]
    assert keys_and_dues(MilestoneSpec("ongoing", None, ()), 2026) == [("", D(2026, 12, 31))]


# --- events ------------------------------------------------------------------------------------

def test_event_without_a_date_has_one_occurrence_without_due():
    assert occurrences(MilestoneSpec("event"), 2026) == [Occurrence("", None, None)]


def test_event_that_happened_is_due_that_day():
    spec = MilestoneSpec("event", event_on=D(2026, 6, 1))
    assert occurrences(spec, 2026) == [Occurrence("", D(2026, 6, 1), D(2026, 6, 1), D(2026, 6, 1))]


def test_event_with_a_due_date_keeps_it():
    spec = MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1))
    assert occurrences(spec, 2026) == [Occurrence("", D(2026, 6, 1), D(2026, 6, 30), D(2026, 6, 1))]


# (spec, completed, as_of, expected)
EVENT_CASES = [
    # no event yet, no due: nothing to judge
    (MilestoneSpec("event"), None, D(2026, 1, 1), NOT_APPLICABLE),
    (MilestoneSpec("event"), None, D(2030, 1, 1), NOT_APPLICABLE),
    (MilestoneSpec("event"), D(2026, 4, 1), D(2026, 3, 31), NOT_APPLICABLE),
    (MilestoneSpec("event"), D(2026, 4, 1), D(2026, 4, 1), DONE_ON_TIME),
    # the event happened on 1/6, due that day ("Ngay sau khi ...")
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), None, D(2026, 5, 31), NOT_APPLICABLE),
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), None, D(2026, 6, 1), PENDING),
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), None, D(2026, 6, 2), OVERDUE),
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), D(2026, 6, 1), D(2026, 6, 2), DONE_ON_TIME),
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), D(2026, 6, 3), D(2026, 6, 3), DONE_LATE),
    (MilestoneSpec("event", event_on=D(2026, 6, 1)), D(2026, 5, 20), D(2026, 5, 25), DONE_ON_TIME),
    # the event happened on 1/6 and the deadline is 30/6
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), None, D(2026, 5, 1), NOT_APPLICABLE),
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), None, D(2026, 6, 15), PENDING),
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), None, D(2026, 6, 30), PENDING),
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), None, D(2026, 7, 1), OVERDUE),
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), D(2026, 6, 20), D(2026, 7, 1), DONE_ON_TIME),
    (MilestoneSpec("event", D(2026, 6, 30), event_on=D(2026, 6, 1)), D(2026, 7, 5), D(2026, 7, 5), DONE_LATE),
    # a deadline recorded without the event day: judged by the deadline
    (MilestoneSpec("event", D(2026, 6, 30)), None, D(2026, 1, 1), PENDING),
    (MilestoneSpec("event", D(2026, 6, 30)), None, D(2026, 7, 1), OVERDUE),
    (MilestoneSpec("event", D(2026, 6, 30)), D(2026, 7, 1), D(2026, 7, 1), DONE_LATE),
]


@pytest.mark.parametrize(("spec", "completed", "as_of", "expected"), EVENT_CASES)
def test_event_milestones(spec, completed, as_of, expected):
    completions = {"": completed} if completed else {}
    assert statuses_of(milestone_status(spec, 2026, completions, as_of)) == [expected]


# --- recurring ---------------------------------------------------------------------------------

def rec(*keys, due=None):
    return MilestoneSpec("recurring", due, keys or None)


MONTH_ENDS_2026 = [D(2026, m, 1).replace(day=d) for m, d in
                   zip(range(1, 13), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], strict=True)]

# (spec, year, expected [(period_key, due)])
RECURRING = [
    (rec("monthly"), 2026, [(f"2026-{m:02d}", due) for m, due in enumerate(MONTH_ENDS_2026, 1)]),
    (rec("quarterly"), 2026, [
        ("2026-Q1", D(2026, 3, 31)), ("2026-Q2", D(2026, 6, 30)),
        ("2026-Q3", D(2026, 9, 30)), ("2026-Q4", D(2026, 12, 31)),
    ]),
    (rec("semiannual"), 2026, [("2026-H1", D(2026, 6, 30)), ("2026", D(2026, 12, 31))]),
    (rec("nine_months"), 2026, [("2026-9M", D(2026, 9, 30))]),
    (rec("annual"), 2026, [("2026", D(2026, 12, 31))]),
    (rec(), 2026, [("2026", D(2026, 12, 31))]),  # "Định kỳ" without a period: yearly
    (MilestoneSpec("recurring", None, ()), 2026, [("2026", D(2026, 12, 31))]),
    # "theo định kỳ quý, 6 tháng, 9 tháng, năm": the reporting cycle Q1, H1, 9M, year
    (rec("quarterly", "semiannual", "nine_months", "annual"), 2026, [
        ("2026-Q1", D(2026, 3, 31)), ("2026-H1", D(2026, 6, 30)),
        ("2026-9M", D(2026, 9, 30)), ("2026", D(2026, 12, 31)),
    ]),
    # order of keys does not matter
    (rec("annual", "nine_months", "semiannual", "quarterly"), 2026, [
        ("2026-Q1", D(2026, 3, 31)), ("2026-H1", D(2026, 6, 30)),
        ("2026-9M", D(2026, 9, 30)), ("2026", D(2026, 12, 31)),
    ]),
    (rec("quarterly", "annual"), 2026, [
        ("2026-Q1", D(2026, 3, 31)), ("2026-Q2", D(2026, 6, 30)),
        ("2026-Q3", D(2026, 9, 30)), ("2026", D(2026, 12, 31)),
    ]),
    (rec("semiannual", "annual"), 2026, [("2026-H1", D(2026, 6, 30)), ("2026", D(2026, 12, 31))]),
    (rec("monthly", "quarterly"), 2026, [
        ("2026-01", D(2026, 1, 31)), ("2026-02", D(2026, 2, 28)), ("2026-Q1", D(2026, 3, 31)),
        ("2026-04", D(2026, 4, 30)), ("2026-05", D(2026, 5, 31)), ("2026-Q2", D(2026, 6, 30)),
        ("2026-07", D(2026, 7, 31)), ("2026-08", D(2026, 8, 31)), ("2026-Q3", D(2026, 9, 30)),
        ("2026-10", D(2026, 10, 31)), ("2026-11", D(2026, 11, 30)), ("2026-Q4", D(2026, 12, 31)),
    ]),
    (rec("quarterly", "quarterly"), 2024, [
        ("2024-Q1", D(2024, 3, 31)), ("2024-Q2", D(2024, 6, 30)),
        ("2024-Q3", D(2024, 9, 30)), ("2024-Q4", D(2024, 12, 31)),
    ]),
    # pinned days
    (rec("annual", due=D(2022, 1, 5)), 2022, [("2022", D(2022, 1, 5))]),  # "Trước ngày 05/01 hằng năm"
    (rec("annual", due=D(2022, 12, 31)), 2022, [("2022", D(2022, 12, 31))]),  # "tháng 12 hằng năm"
    (rec("annual", due=D(2023, 1, 5)), 2022, [("2022", D(2023, 1, 5))]),  # 05/01 of the next year kept
    (rec("annual", due=D(2019, 1, 5)), 2022, [("2022", D(2022, 1, 5))]),  # other years: day and month only
    (rec("annual", due=D(2024, 2, 29)), 2026, [("2026", D(2026, 2, 28))]),
    (rec("quarterly", due=D(2026, 3, 20)), 2026, [
        ("2026-Q1", D(2026, 3, 20)), ("2026-Q2", D(2026, 6, 20)),
        ("2026-Q3", D(2026, 9, 20)), ("2026-Q4", D(2026, 12, 20)),
    ]),
    (rec("quarterly", due=D(2026, 10, 5)), 2026, [
        ("2026-Q1", D(2026, 1, 5)), ("2026-Q2", D(2026, 4, 5)),
        ("2026-Q3", D(2026, 7, 5)), ("2026-Q4", D(2026, 10, 5)),
    ]),
    (rec("quarterly", "semiannual", "nine_months", "annual", due=D(2026, 12, 20)), 2026, [
        ("2026-Q1", D(2026, 3, 20)), ("2026-H1", D(2026, 6, 20)),
        ("2026-9M", D(2026, 9, 20)), ("2026", D(2026, 12, 20)),
    ]),
    (rec("semiannual", due=D(2026, 6, 15)), 2026, [("2026-H1", D(2026, 6, 15)), ("2026", D(2026, 12, 15))]),
    (rec("monthly", due=D(2026, 1, 25)), 2026, [(f"2026-{m:02d}", D(2026, m, 25)) for m in range(1, 13)]),
    # a pin in the next year's first block is a lag after each period: "trước ngày 05 của tháng liền kề"
    (rec("monthly", due=D(2027, 1, 5)), 2026,
     [(f"2026-{m:02d}", D(2026, m + 1, 5)) for m in range(1, 12)] + [("2026-12", D(2027, 1, 5))]),
    (rec("quarterly", due=D(2027, 1, 5)), 2026, [
        ("2026-Q1", D(2026, 4, 5)), ("2026-Q2", D(2026, 7, 5)),
        ("2026-Q3", D(2026, 10, 5)), ("2026-Q4", D(2027, 1, 5)),
    ]),
    (rec("semiannual", "annual", due=D(2027, 1, 10)), 2026, [("2026-H1", D(2026, 7, 10)), ("2026", D(2027, 1, 10))]),
    (rec("monthly", due=D(2026, 1, 31)), 2026, [(f"2026-{m:02d}", due) for m, due in enumerate(MONTH_ENDS_2026, 1)]),
]


@pytest.mark.parametrize(("spec", "year", "expected"), RECURRING)
def test_recurring_occurrences(spec, year, expected):
    assert keys_and_dues(spec, year) == expected


def test_monthly_february_of_a_leap_year():
    assert dict(keys_and_dues(rec("monthly"), 2024))["2024-02"] == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("spec", "starts"),
    [
        (rec("quarterly"), [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1), D(2026, 10, 1)]),
        (rec("quarterly", "semiannual", "nine_months", "annual"), [D(2026, 1, 1)] * 4),  # cumulative
        (rec("monthly"), [D(2026, m, 1) for m in range(1, 13)]),
        (rec("semiannual"), [D(2026, 1, 1), D(2026, 1, 1)]),
    ],
)
def test_recurring_period_starts(spec, starts):
    assert [occ.period_start for occ in occurrences(spec, 2026)] == starts


QUARTERLY_CASES = [
    # as_of, completions, expected statuses Q1..Q4
    (D(2026, 2, 1), {}, [PENDING] * 4),
    (D(2026, 3, 31), {}, [PENDING] * 4),
    (D(2026, 4, 1), {}, [OVERDUE, PENDING, PENDING, PENDING]),
    (D(2026, 5, 15), {"2026-Q1": D(2026, 4, 10)}, [DONE_LATE, PENDING, PENDING, PENDING]),
    (D(2026, 4, 5), {"2026-Q1": D(2026, 4, 10)}, [OVERDUE, PENDING, PENDING, PENDING]),
    (D(2026, 7, 1), {"2026-Q1": D(2026, 3, 25), "2026-Q2": D(2026, 6, 30)}, [DONE_ON_TIME, DONE_ON_TIME, PENDING, PENDING]),
    (D(2027, 1, 1), {"2026-Q1": D(2026, 3, 25), "2026-Q3": D(2026, 10, 2)}, [DONE_ON_TIME, OVERDUE, DONE_LATE, OVERDUE]),
    (D(2027, 1, 1), {"": D(2026, 3, 25)}, [OVERDUE] * 4),  # a single-occurrence key means nothing here
]


@pytest.mark.parametrize(("as_of", "completions", "expected"), QUARTERLY_CASES)
def test_quarterly_statuses(as_of, completions, expected):
    assert statuses_of(milestone_status(rec("quarterly"), 2026, completions, as_of)) == expected


@pytest.mark.parametrize(
    ("as_of", "completions", "expected"),
    [
        (D(2026, 3, 14), {}, [PENDING] * 4),  # the Q1 report
        (D(2026, 6, 14), {"2026-Q1": D(2026, 3, 12)}, [DONE_ON_TIME, PENDING, PENDING, PENDING]),  # 6 months
        (D(2026, 9, 14), {"2026-Q1": D(2026, 3, 12)}, [DONE_ON_TIME, OVERDUE, PENDING, PENDING]),  # Q3
        (D(2026, 12, 14), {"2026-Q1": D(2026, 3, 12), "2026-H1": D(2026, 7, 2), "2026-9M": D(2026, 9, 12)},
         [DONE_ON_TIME, DONE_LATE, DONE_ON_TIME, PENDING]),  # the year report
        (D(2027, 1, 1), {"2026-Q1": D(2026, 3, 12), "2026-H1": D(2026, 7, 2), "2026-9M": D(2026, 9, 12)},
         [DONE_ON_TIME, DONE_LATE, DONE_ON_TIME, OVERDUE]),
    ],
)
def test_reporting_cycle_statuses(as_of, completions, expected):
    spec = rec("quarterly", "semiannual", "nine_months", "annual")
    assert statuses_of(milestone_status(spec, 2026, completions, as_of)) == expected


def test_pinned_annual_report_before_the_fifth_of_january():
    spec = rec("annual", due=D(2022, 1, 5))
    assert statuses_of(milestone_status(spec, 2022, {}, D(2022, 1, 5))) == [PENDING]
    assert statuses_of(milestone_status(spec, 2022, {}, D(2022, 1, 6))) == [OVERDUE]
    assert statuses_of(milestone_status(spec, 2022, {"2022": D(2022, 1, 4)}, D(2022, 6, 1))) == [DONE_ON_TIME]


def test_an_obligation_completion_fills_in_missing_occurrences():
    rows = milestone_status(rec("quarterly"), 2026, {"2026-Q1": D(2026, 3, 1)}, D(2026, 5, 20),
                            completed_on=D(2026, 5, 15))
    assert statuses_of(rows) == [DONE_ON_TIME, DONE_ON_TIME, DONE_ON_TIME, DONE_ON_TIME]
    rows = milestone_status(rec("quarterly"), 2026, {}, D(2026, 5, 20), completed_on=D(2026, 5, 15))
    assert statuses_of(rows) == [DONE_LATE, DONE_ON_TIME, DONE_ON_TIME, DONE_ON_TIME]


# --- the status of one occurrence ---------------------------------------------------------------

OCC = Occurrence("", D(2026, 1, 1), D(2026, 6, 30))
EVENT_OCC = Occurrence("", D(2026, 6, 1), D(2026, 6, 30), applicable_from=D(2026, 6, 1))


@pytest.mark.parametrize(
    ("occ", "completed", "as_of", "expected"),
    [
        (OCC, None, D(2025, 1, 1), PENDING),
        (OCC, None, D(2026, 6, 30), PENDING),
        (OCC, None, D(2026, 7, 1), OVERDUE),
        (OCC, D(2026, 6, 30), D(2026, 6, 30), DONE_ON_TIME),
        (OCC, D(2026, 7, 1), D(2026, 7, 1), DONE_LATE),
        (OCC, D(2026, 7, 1), D(2026, 6, 30), PENDING),
        (Occurrence("", None, None), None, D(2026, 7, 1), NOT_APPLICABLE),
        (Occurrence("", None, None), D(2026, 7, 1), D(2026, 7, 1), DONE_ON_TIME),
        (EVENT_OCC, None, D(2026, 5, 31), NOT_APPLICABLE),
        (EVENT_OCC, None, D(2026, 6, 1), PENDING),
        (EVENT_OCC, D(2026, 5, 1), D(2026, 5, 2), DONE_ON_TIME),
    ],
)
def test_occurrence_status(occ, completed, as_of, expected):
    assert occurrence_status(occ, completed, as_of) == expected


# --- roll-up -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NOT_APPLICABLE),
        ([NOT_APPLICABLE], NOT_APPLICABLE),
        ([NOT_APPLICABLE, NOT_APPLICABLE], NOT_APPLICABLE),
        ([DONE_ON_TIME], DONE_ON_TIME),
        ([DONE_ON_TIME, DONE_ON_TIME], DONE_ON_TIME),
        ([DONE_LATE], DONE_LATE),
        ([DONE_ON_TIME, DONE_LATE], DONE_LATE),
        ([PENDING], PENDING),
        ([DONE_ON_TIME, PENDING], PENDING),
        ([DONE_LATE, PENDING], PENDING),
        ([DONE_ON_TIME, NOT_APPLICABLE], PENDING),  # a part still waits for its event
        ([PENDING, NOT_APPLICABLE], PENDING),
        ([OVERDUE], OVERDUE),
        ([DONE_ON_TIME, OVERDUE, PENDING], OVERDUE),
        ([OVERDUE, NOT_APPLICABLE], OVERDUE),
        ([DONE_LATE, OVERDUE], OVERDUE),
        (iter([DONE_ON_TIME, DONE_LATE]), DONE_LATE),  # any iterable
    ],
)
def test_roll_up(statuses, expected):
    assert roll_up(statuses) == expected


def test_roll_up_rejects_unknown_statuses():
    with pytest.raises(ValueError):
        roll_up([DONE_ON_TIME, "done"])


# --- obligations -------------------------------------------------------------------------------

PLAN = MilestoneSpec("month", D(2022, 1, 31))  # "Xây dựng kế hoạch: tháng 01/2022"
REPORTS = rec("quarterly", "semiannual", "nine_months", "annual")  # "theo định kỳ quý, 6 tháng, 9 tháng, năm"
EVENT = MilestoneSpec("event")
EVENT_HAPPENED = MilestoneSpec("event", D(2022, 8, 31), event_on=D(2022, 8, 1))
ALL_REPORTS_ON_TIME = {"2022-Q1": D(2022, 3, 10), "2022-H1": D(2022, 6, 10), "2022-9M": D(2022, 9, 10),
                       "2022": D(2022, 12, 10)}

OBLIGATIONS = [
    # (milestones, completions, as_of, completed_on, expected)
    ([], None, D(2022, 6, 1), None, NOT_APPLICABLE),
    ([], None, D(2022, 6, 1), D(2022, 5, 1), DONE_ON_TIME),
    ([], None, D(2022, 4, 1), D(2022, 5, 1), NOT_APPLICABLE),
    ([EVENT], None, D(2022, 6, 1), None, NOT_APPLICABLE),
    ([EVENT, MilestoneSpec("unknown")], None, D(2022, 6, 1), None, NOT_APPLICABLE),
    ([PLAN], None, D(2022, 1, 15), None, PENDING),
    ([PLAN], None, D(2022, 2, 1), None, OVERDUE),
    ([PLAN], [{"": D(2022, 1, 20)}], D(2022, 2, 1), None, DONE_ON_TIME),
    ([PLAN], None, D(2022, 2, 10), D(2022, 2, 5), DONE_LATE),
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, {}], D(2022, 3, 14), None, PENDING),
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, {}], D(2022, 4, 1), None, OVERDUE),
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, {"2022-Q1": D(2022, 3, 10)}], D(2022, 6, 14), None, PENDING),
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, ALL_REPORTS_ON_TIME], D(2022, 12, 14), None, DONE_ON_TIME),
    ([PLAN, REPORTS], [{"": D(2022, 2, 3)}, ALL_REPORTS_ON_TIME], D(2022, 12, 14), None, DONE_LATE),
    ([PLAN, REPORTS], [None, ALL_REPORTS_ON_TIME], D(2022, 12, 14), None, OVERDUE),
    ([PLAN, REPORTS], [None, None], D(2022, 1, 5), None, PENDING),
    # the obligation's own completion stands in where nothing else is recorded
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, None], D(2022, 12, 20), D(2022, 12, 10), DONE_LATE),
    ([PLAN, REPORTS], [{"": D(2022, 1, 20)}, ALL_REPORTS_ON_TIME], D(2022, 12, 20), D(2022, 12, 31), DONE_ON_TIME),
    ([MilestoneSpec("ongoing")], None, D(2022, 12, 14), D(2022, 12, 1), DONE_ON_TIME),
    ([MilestoneSpec("ongoing")], None, D(2022, 12, 14), None, PENDING),
    # an event part not yet triggered keeps a finished obligation open, but never makes it late
    ([PLAN, EVENT], [{"": D(2022, 1, 20)}, None], D(2022, 6, 1), None, PENDING),
    ([PLAN, EVENT], [None, None], D(2022, 6, 1), None, OVERDUE),
    ([PLAN, EVENT_HAPPENED], [{"": D(2022, 1, 20)}, None], D(2022, 7, 31), None, PENDING),
    ([PLAN, EVENT_HAPPENED], [{"": D(2022, 1, 20)}, None], D(2022, 9, 1), None, OVERDUE),
    ([PLAN, EVENT_HAPPENED], [{"": D(2022, 1, 20)}, {"": D(2022, 8, 30)}], D(2022, 9, 1), None, DONE_ON_TIME),
    ([PLAN, EVENT], None, D(2022, 6, 1), D(2022, 1, 25), DONE_ON_TIME),
]


@pytest.mark.parametrize(("milestones", "completions", "as_of", "completed_on", "expected"), OBLIGATIONS)
def test_obligation_status(milestones, completions, as_of, completed_on, expected):
    assert obligation_status(milestones, 2022, completions, as_of, completed_on=completed_on) == expected


def test_obligation_occurrences_lists_every_milestone_in_order():
    rows = obligation_occurrences([PLAN, REPORTS], 2022, [{"": D(2022, 1, 20)}, None], D(2022, 4, 1))
    assert [statuses_of(r) for r in rows] == [[DONE_ON_TIME], [OVERDUE, PENDING, PENDING, PENDING]]
    assert [occ.period_key for occ, _ in rows[1]] == ["2022-Q1", "2022-H1", "2022-9M", "2022"]


def test_obligation_completions_must_match_milestones():
    with pytest.raises(ValueError):
        obligation_status([PLAN, REPORTS], 2022, [{}], D(2022, 4, 1))


# --- counts ------------------------------------------------------------------------------------

def test_count_statuses_lists_every_status_in_report_order():
    counts = count_statuses([PENDING, DONE_ON_TIME, PENDING, OVERDUE, NOT_APPLICABLE, PENDING])
    assert counts == {DONE_ON_TIME: 1, DONE_LATE: 0, PENDING: 3, OVERDUE: 1, NOT_APPLICABLE: 1}
    assert list(counts) == list(STATUSES)


def test_count_statuses_of_nothing_is_all_zero():
    assert count_statuses(iter(())) == dict.fromkeys(STATUSES, 0)


def test_count_statuses_rejects_unknown_statuses():
    with pytest.raises(ValueError):
        count_statuses([PENDING, "late"])


def test_counting_obligations_for_a_report():
    obligations = [
        ([PLAN], [{"": D(2022, 1, 20)}], None),
        ([PLAN], [{"": D(2022, 2, 20)}], None),
        ([PLAN], None, None),
        ([REPORTS], None, None),
        ([EVENT], None, None),
        ([MilestoneSpec("ongoing")], None, None),
    ]
    period = reporting_period("h1", 2022)
    statuses = [obligation_status(ms, 2022, done, period.end, completed_on=c) for ms, done, c in obligations]
    assert count_statuses(statuses) == {DONE_ON_TIME: 1, DONE_LATE: 1, PENDING: 1, OVERDUE: 2, NOT_APPLICABLE: 1}


# --- reporting periods -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "start", "end", "due"),
    [
        ("q1", D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 20)),
        ("h1", D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20)),
        ("q3", D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 20)),
        ("year", D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 20)),
    ],
)
def test_reporting_periods_2024(kind, start, end, due):
    period = reporting_period(kind, 2024)
    assert period == ReportingPeriod(start, end, due)
    assert (period.start, period.end, period.due) == (start, end, due)
    got_start, got_end, got_due = period
    assert (got_start, got_end, got_due) == (start, end, due)


def test_six_month_report_2024_matches_seed_003():
    # Seed 003 is the 6-month report 2024; its data run to mid-June, the report is due 20/6/2024.
    assert reporting_period("h1", 2024) == (D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20))


@pytest.mark.parametrize("kind", ["ad_hoc", "Q1", "9m", ""])
def test_reporting_period_rejects_other_kinds(kind):
    with pytest.raises(ValueError):
        reporting_period(kind, 2024)


# --- with the deadline grammar -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Trước ngày 30/6/2022", [("", D(2022, 6, 30))]),
        ("Quý III/2022", [("", D(2022, 9, 30))]),
        ("Thường xuyên", [("", D(2022, 12, 31))]),
        ("Định kỳ hàng quý", [("2022-Q1", D(2022, 3, 31)), ("2022-Q2", D(2022, 6, 30)),
                              ("2022-Q3", D(2022, 9, 30)), ("2022-Q4", D(2022, 12, 31))]),
        ("theo định kỳ quý, 6 tháng, 9 tháng, năm", [("2022-Q1", D(2022, 3, 31)), ("2022-H1", D(2022, 6, 30)),
                                                     ("2022-9M", D(2022, 9, 30)), ("2022", D(2022, 12, 31))]),
        ("Báo cáo định kỳ 6 tháng", [("2022-H1", D(2022, 6, 30)), ("2022", D(2022, 12, 31))]),
        ("Trước ngày 05/01 hằng năm", [("2022", D(2022, 1, 5))]),
        ("tháng 12 hằng năm", [("2022", D(2022, 12, 31))]),
        ("Khi có văn bản chỉ đạo của Trung ương", [("", None)]),
    ],
)
def test_milestones_read_by_the_deadline_grammar(phrase, expected):
    deadlines = pytest.importorskip("cchc.core.deadlines")
    (milestone,) = deadlines.parse_deadline(phrase, 2022)
    assert keys_and_dues(MilestoneSpec.of(milestone), 2022) == expected


def test_report_due_in_the_month_after_each_period_from_the_deadline_phrase():
    """The deadline grammar and the status engine agree on "trước ngày 05 của tháng liền kề"."""
    from cchc.core.deadlines import parse_deadline

    (m,) = parse_deadline("Báo cáo hằng quý: trước ngày 05 của tháng liền kề", 2026)
    spec = MilestoneSpec.of(m)
    assert keys_and_dues(spec, 2026) == [
        ("2026-Q1", D(2026, 4, 5)), ("2026-Q2", D(2026, 7, 5)),
        ("2026-Q3", D(2026, 10, 5)), ("2026-Q4", D(2027, 1, 5)),
    ]
