"""Property tests of the deadline grammar: whatever the text, a sound answer and never an exception."""

from __future__ import annotations

import calendar
import datetime
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cchc.core import deadlines
from cchc.core.deadlines import KINDS, PERIODS, Milestone, parse_deadline

YEARS = st.integers(min_value=2000, max_value=2100)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Text that looks like a time cell: Vietnamese letters, digits, the punctuation of the seeds, newlines.
VIET = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQTN0123456789 /-:;.,()\n")
        + list("áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
    ),
    max_size=80,
)
WORDS = st.lists(
    st.sampled_from(
        "Quý quý Qúy I II III IV V 1 4 / 2022 2023 tháng Tháng 02 12 13 năm Năm trong Trong trước Trước ngày "
        "30/6 31/12 05/01 31/02 hằng hàng định kỳ 6 9 , và - ; : . Thường xuyên khi có sau theo hướng dẫn "
        "Báo cáo Kế hoạch kết quả đột xuất tiếp theo kể từ số 257/KH-UBND giai đoạn đầu cuối cả".split()
        + ["- ", "\n", "\n- ", ": "]
    ),
    max_size=14,
).map(" ".join)


def check_sound(ms: object, year: int) -> None:
    assert isinstance(ms, list) and ms
    for m in ms:
        assert isinstance(m, Milestone)
        assert m.kind in KINDS
        assert m.due is None or type(m.due) is datetime.date
        assert isinstance(m.label, str) and isinstance(m.deliverable, str) and isinstance(m.text, str)
        if m.recurrence is not None:
            assert m.kind in ("recurring", "ongoing")
            assert m.recurrence and set(m.recurrence) <= set(PERIODS)
            assert list(m.recurrence) == sorted(m.recurrence, key=PERIODS.index)  # canonical, no repeats
        if m.kind in ("date", "month", "quarter", "year"):
            assert m.due is not None
        if m.kind in ("ongoing", "event", "unknown"):
            assert m.due is None
        if m.kind == "month" or m.kind == "year":
            assert m.due.day == calendar.monthrange(m.due.year, m.due.month)[1]
        if m.kind == "quarter":
            assert m.due.month in (3, 6, 9, 12) and m.due.day in (30, 31)
        if m.due is not None:
            assert m.due.year == year or 1900 <= m.due.year <= 2199
        if m.deliverable:
            assert m.label
        m.as_json()


@settings(max_examples=300)
@given(st.text(), YEARS)
@example("", 2022)
@example("\ue000\ue001", 2022)
@example("<ul>-</ul>", 2022)
@example("Quý 0/2022; tháng 99; ngày 31/02", 2022)
def test_any_text_gives_sound_milestones(text, year):
    check_sound(parse_deadline(text, year), year)


@given(st.text(), YEARS)
def test_grammar_itself_never_raises(text, year):
    """The safety net in parse_deadline is never what keeps it from raising."""
    check_sound(deadlines._parse(text, year), year)


@settings(max_examples=300)
@given(st.one_of(VIET, WORDS), YEARS)
def test_deadline_like_text_gives_sound_milestones(text, year):
    check_sound(deadlines._parse(text, year), year)


@given(st.one_of(st.text(), VIET, WORDS), YEARS)
def test_deterministic(text, year):
    assert parse_deadline(text, year) == parse_deadline(text, year)


@given(st.one_of(VIET, WORDS), YEARS)
def test_normal_form_does_not_matter(text, year):
    expected = parse_deadline(unicodedata.normalize("NFC", text), year)
    assert parse_deadline(unicodedata.normalize("NFD", text), year) == expected


@given(st.one_of(VIET, WORDS), YEARS)
def test_a_year_not_written_is_the_plans(text, year):
    if not any(c.isdigit() for c in text):
        assert all(m.due is None or m.due.year == year for m in parse_deadline(text, year))


# --------------------------------------------------------------------------- generated phrases

CASE = st.sampled_from([str, str.lower, str.upper])
SPACE = st.sampled_from([" ", "  ", "\n", " \n\n"])


@given(st.integers(1, 4), YEARS, YEARS, st.booleans(), CASE, SPACE)
def test_any_quarter(q, y, plan, arabic, case, space):
    text = case(f"Quý{space}{q if arabic else ROMAN[q]}/{y}")
    (m,) = parse_deadline(text, plan)
    assert (m.kind, m.due) == ("quarter", datetime.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1]))


@given(st.integers(1, 12), YEARS, YEARS, st.booleans(), CASE, st.sampled_from(["", "Chậm nhất ", "Trong "]))
def test_any_month(mo, y, plan, padded, case, cue):
    text = case(f"{cue}tháng {mo:02d}/{y}" if padded else f"{cue}tháng {mo}/{y}")
    (m,) = parse_deadline(text, plan)
    assert (m.kind, m.due) == ("month", datetime.date(y, mo, calendar.monthrange(y, mo)[1]))


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)), YEARS, st.booleans())
def test_any_date(d, plan, written_year):
    text = (
        f"Trước ngày {d.day}/{d.month}/{d.year}" if written_year else f"Trước ngày {d.day:02d}/{d.month:02d}"
    )
    ms = parse_deadline(text, plan)
    if written_year:
        assert [(m.kind, m.due) for m in ms] == [("date", d)]
    elif calendar.isleap(plan) or (d.month, d.day) != (2, 29):
        assert [(m.kind, m.due) for m in ms] == [("date", d.replace(year=plan))]
    else:  # 29/02 in a plan year without it
        assert [m.kind for m in ms] == ["unknown"]


@given(st.integers(1, 40), st.integers(1, 15), YEARS)
def test_impossible_days_are_unknown_not_errors(day, month, plan):
    ms = parse_deadline(f"Trước ngày {day}/{month}/{plan}", plan)
    try:
        expected = [("date", datetime.date(plan, month, day))]
    except ValueError:
        expected = [("unknown", None)]
    assert [(m.kind, m.due) for m in ms] == expected


@given(
    st.lists(
        st.tuples(st.sampled_from(["Kế hoạch", "Báo cáo kết quả", "Triển khai", "Đề án"]), st.integers(1, 4)),
        min_size=1,
        max_size=5,
    ),
    YEARS,
    st.sampled_from(["; ", ". ", "\n", ";\n- ", " - "]),
)
def test_labelled_lists(items, plan, sep):
    text = "- " + sep.join(f"{label}: Quý {ROMAN[q]}/{plan}" for label, q in items)
    ms = parse_deadline(text, plan)
    assert [(m.label, m.kind, m.due.month) for m in ms] == [(label, "quarter", 3 * q) for label, q in items]


@given(st.sets(st.sampled_from(["quý", "6 tháng", "9 tháng", "năm", "tháng"]), min_size=1), YEARS)
def test_any_recurrence_list(periods, plan):
    keys = {
        "tháng": "monthly",
        "quý": "quarterly",
        "6 tháng": "semiannual",
        "9 tháng": "nine_months",
        "năm": "annual",
    }
    order = ["tháng", "quý", "6 tháng", "9 tháng", "năm"]
    listed = sorted(periods, key=order.index)
    (m,) = parse_deadline("Báo cáo định kỳ " + ", ".join(listed), plan)
    assert (m.kind, m.due, m.recurrence) == ("recurring", None, tuple(keys[p] for p in listed))
