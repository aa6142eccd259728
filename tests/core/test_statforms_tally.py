"""A tally summed from per-row totals (what a database's GROUP BY returns) equals the one built
submission by submission, whatever the submissions leave blank: the aggregate page's SQL path
and the engine's reference path cannot drift apart."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.statforms import (
    FORMS_DIR,
    FormSet,
    Tally,
    Totals,
    aggregate,
    answer_codes,
    compute,
    load_form_set,
    sum_first_codes,
    tally,
    tally_of_totals,
)

FORM_SET = load_form_set("bnv-2024")
OPERANDS = sum_first_codes(FORM_SET)
INPUTS = FORM_SET.input_codes()
CODED = {c for c in INPUTS if FORM_SET.rows[c].aggregation in ("yes_no_count", "choice_distribution")}
with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as _fh:
    SEED = json.load(_fh, parse_float=Decimal)["inputs"]


def split(form_set, submissions):
    operands = sum_first_codes(form_set)
    complete = [s for s in submissions if operands <= {c for c, v in s.items() if v is not None}]
    rest = [s for s in submissions if s not in complete]
    return complete, rest


def _value(rng, code):
    row = FORM_SET.rows[code]
    if row.choices:
        return rng.choice([c.code for c in row.choices] + [7])  # 7: out of range, counted nowhere
    if row.value_type == "percent":
        return Decimal(rng.randint(0, 10000)) / 100
    return Decimal(rng.randint(0, 5000))


@st.composite
def submission(draw):
    """A unit's figures: complete half of the time, otherwise some rows blank; now and then a
    derived row typed in (kept only when it cannot be computed). Drawn from a seeded generator:
    a hundred rows drawn one by one would make each example slow."""
    rng = draw(st.randoms(use_true_random=False))
    codes = list(INPUTS) if rng.random() < 0.5 else rng.sample(INPUTS, rng.randint(0, len(INPUTS)))
    values = {code: _value(rng, code) for code in codes}
    for code in rng.sample(FORM_SET.derived_codes(), rng.randint(0, 3)):
        values[code] = Decimal(rng.randint(0, 100))
    return values


def test_bnv_2024_can_be_summed_first():
    assert OPERANDS is not None and OPERANDS <= set(INPUTS)
    assert {"3:3.1.1", "3:3.1.2"} <= OPERANDS  # the terms of 3:3.1 "Tỷ lệ hồ sơ ... đúng hạn"
    assert not OPERANDS & CODED


@settings(max_examples=100, deadline=None)
@given(st.lists(submission(), max_size=8))
def test_totals_path_equals_one_by_one(submissions):
    complete, rest = split(FORM_SET, submissions)
    # As the app does it: the database's totals over all, less the incomplete ones' own totals.
    totals = Totals.of(FORM_SET, submissions) - Totals.of(FORM_SET, rest)
    assert totals == Totals.of(FORM_SET, complete) or not complete
    combined = tally(FORM_SET, rest) + tally_of_totals(FORM_SET, totals)
    assert combined == tally(FORM_SET, submissions)
    assert combined.values(FORM_SET) == aggregate(FORM_SET, submissions)


def test_totals_path_on_seed_scaled_units():
    units = [{c: Decimal(v) * k for c, v in SEED.items() if v is not None and c not in CODED}
             | {c: Decimal(v) for c, v in SEED.items() if v is not None and c in CODED} for k in (1, 2, 5)]
    units = [u | {c: Decimal(0) for c in OPERANDS if c not in u} for u in units]
    summed = tally_of_totals(FORM_SET, Totals.of(FORM_SET, units))
    assert summed == tally(FORM_SET, units)
    values = summed.values(FORM_SET)
    assert values["3:3.1"] == compute(FORM_SET, units[0])["3:3.1"]  # same ratio in every unit
    assert summed.reported["3:3.1"] == 3 and summed.reported["1:6.2"] == 3


def test_tallies_add():
    a = tally(FORM_SET, [{"3:3.1.1": 10, "3:3.1.2": 9, "1:6": 1}])
    b = tally(FORM_SET, [{"3:3.1.1": 30, "3:3.1.2": 3, "1:6": 0}])
    both = a + b
    assert both == tally(FORM_SET, [{"3:3.1.1": 10, "3:3.1.2": 9, "1:6": 1}, {"3:3.1.1": 30, "3:3.1.2": 3, "1:6": 0}])
    assert both.pairs["3:3.1"] == (Decimal(12), Decimal(40)) and both.values(FORM_SET)["3:3.1"] == 30
    assert both.answers["1:6"] == {1: 1, 0: 1} and both.reported["1:6"] == 2
    assert a + Tally() == a and Tally() + a == a


def _variant(change) -> FormSet:
    data = FORM_SET.to_dict()
    for form in data["forms"]:
        for row in form["rows"]:
            change(row)
    return FormSet.from_dict(data | {"key": "variant"})


def test_form_sets_that_cannot_be_summed_first_are_refused():
    def ratio_summed(row):
        if row["code"] == "3:3.1":
            row["aggregation"] = "sum"  # a sum of the units' percentages is not a sum of parts

    variant = _variant(ratio_summed)
    assert sum_first_codes(variant) is None
    with pytest.raises(ValueError, match="cộng trước"):
        tally_of_totals(variant, Totals(submissions=1))
    # The one-by-one path still aggregates it: the percentages are added.
    assert aggregate(variant, [{"3:3.1.1": 10, "3:3.1.2": 5}, {"3:3.1.1": 10, "3:3.1.2": 10}])["3:3.1"] == 150


def test_totals_of_incomplete_submissions_are_refused():
    with pytest.raises(ValueError, match="thiếu số liệu"):
        tally_of_totals(FORM_SET, Totals.of(FORM_SET, [{"3:3.1.1": 5}]))
    assert tally_of_totals(FORM_SET, Totals()) == Tally()


def test_totals_count_only_printed_answer_codes():
    given = [{"1:6": 1}, {"1:6": 1}, {"1:6": 0}, {"1:6.2": 2}, {"1:6.2": 9}, {"1:6": Decimal("1.5")}]
    totals = Totals.of(FORM_SET, given)
    assert totals.answers == {"1:6": {1: 2, 0: 1}, "1:6.2": {2: 1}}  # 9 and 1,5 are no answer
    assert totals.counts["1:6.2"] == 2 and totals.counts["1:6"] == 4 and totals.sums["1:6"] == Decimal("3.5")
    assert tally(FORM_SET, given).answers == {"1:6": {1: 2, 0: 1}, "1:6.2": {2: 1}}
    assert answer_codes(FORM_SET) == [0, 1, 2]
