"""Validation rules fire on crafted bad input, naming rows and numbers, and aggregation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cchc.core.statforms import FORMS_DIR, aggregate, compute, load_form_set, validate
from cchc.core.statforms.validate import fmt

FORM_SET = load_form_set("bnv-2024")
with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as _fh:
    SEED = json.load(_fh, parse_float=Decimal)["inputs"]
# The seed's own values already break this one (see test_statforms.KNOWN_SEED_WARNINGS); repaired
# here so each crafted input breaks exactly the rule under test.
CLEAN = dict(SEED) | {"6:2.1": 2184, "4:1.5.3": 1943}


def rule_ids(findings):
    return {f.rule for f in findings}


def test_clean_baseline_is_silent():
    assert validate(FORM_SET, CLEAN) == []


def _break(rule) -> dict:
    """Seed values changed so that ``rule`` (a cross-row rule) is violated."""
    values = dict(CLEAN)
    computed = compute(FORM_SET, values)
    p = rule.params
    if rule.kind == "ratio":
        if p["row"] in computed:
            value = computed[p["row"]]
            values[p["row"]] = (value + 1).quantize(Decimal("0.01")) if value < 100 else Decimal(99)
        else:  # 0/0 in the seed: give it parts first
            f = FORM_SET.rows[p["row"]].formula
            values |= {f.denominator: 8, f.numerator: 4, p["row"]: 60}
    elif rule.kind == "sum":
        values[p["total"]] = sum(computed[t] for t in p["parts"]) + 5
    elif rule.kind == "part_le_whole":
        whole = computed[p["whole"]]
        others = sum(computed[t] for t in p["parts"][1:])
        values[p["parts"][0]] = whole - others + 1
    elif rule.kind == "same_as":
        first, second = p["codes"]
        values[second] = computed[first] + 7
    return values


CROSS_ROW = [r for r in FORM_SET.rules if r.kind in ("ratio", "sum", "part_le_whole", "same_as")]


@pytest.mark.parametrize("rule", CROSS_ROW, ids=[r.id for r in CROSS_ROW])
def test_each_cross_row_rule_fires_and_names_rows_and_numbers(rule):
    values = _break(rule)
    findings = [f for f in validate(FORM_SET, values) if f.rule == rule.id]
    assert len(findings) == 1, validate(FORM_SET, values)
    finding = findings[0]
    assert finding.severity == rule.severity
    for code in finding.codes:
        assert code in finding.message
    computed = compute(FORM_SET, {c: v for c, v in values.items()})
    # The numbers of the rows involved, written the Vietnamese way, are in the message.
    main = finding.codes[0] if rule.kind != "part_le_whole" else finding.codes[-1]
    shown = values.get(main, computed.get(main))
    assert fmt(shown) in finding.message


def test_ratio_message():
    values = {"3:3.1.1": 238146, "3:3.1.2": 238144, "3:3.1": Decimal("99.5")}
    (finding,) = validate(FORM_SET, values)
    assert finding.rule == "ratio:3:3.1" and finding.severity == "error"
    assert finding.codes == ("3:3.1", "3:3.1.2", "3:3.1.1")
    assert finding.message == (
        "3:3.1 «Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn»: tỷ lệ báo cáo 99,5% "
        "không khớp với 3:3.1.2 / 3:3.1.1 = 238.144 / 238.146 = 99,999% (sai lệch vượt quá 0,1)."
    )


def test_ratio_tolerance_is_the_last_written_digit():
    base = {"3:3.1.1": 238146, "3:3.1.2": 238144}
    assert validate(FORM_SET, base | {"3:3.1": Decimal("99.99")}) == []  # truncated
    assert validate(FORM_SET, base | {"3:3.1": Decimal("100.00")}) == []  # rounded
    assert validate(FORM_SET, base | {"3:3.1": Decimal("100")}) == []
    assert rule_ids(validate(FORM_SET, base | {"3:3.1": Decimal("99.98")})) == {"ratio:3:3.1"}
    assert validate(FORM_SET, {"1:2.1": 47, "1:2.2": 21, "1:2": Decimal("44.7")}) == []
    assert validate(FORM_SET, {"1:2.1": 47, "1:2.2": 21, "1:2": Decimal("44.6")}) == []  # truncation of 44,68
    assert rule_ids(validate(FORM_SET, {"1:2.1": 47, "1:2.2": 21, "1:2": Decimal("44.5")})) == {"ratio:1:2"}


def test_ratio_with_zero_denominator_is_silent():
    assert validate(FORM_SET, {"2:2.2.1": 0, "2:2.2.2": 0, "2:2.2": 100}) == []


def test_sum_message():
    values = {"2:1": 30, "2:1.1": 27, "2:1.2": 0, "2:1.3": 0}
    (finding,) = validate(FORM_SET, values)
    assert finding.rule == "sum:2:1"
    assert finding.message == (
        "2:1 «Tổng số VBQPPL do địa phương ban hành»: tổng báo cáo 30 khác tổng các dòng "
        "2:1.1 + 2:1.2 + 2:1.3 = 27 (chênh lệch 3)."
    )


def test_part_larger_than_whole():
    (finding,) = validate(FORM_SET, {"3:3.4.1": 320, "3:3.4.2": 321})
    assert finding.rule == "part_le_whole:3:3.4.2<=3:3.4.1"
    assert "3:3.4.2" in finding.message and "321" in finding.message and "320" in finding.message
    (finding,) = validate(FORM_SET, {"1:5.1": 20, "1:5.2": 17, "1:5.3": 2, "1:5.4": 3})
    assert finding.message.startswith("Tổng các dòng 1:5.2 + 1:5.3 + 1:5.4 = 22 lớn hơn 1:5.1")
    assert finding.message.endswith("= 20.")


def test_same_quantity_in_two_forms():
    values = {"4:1.5.1": 14, "4:1.5.2": 227, "4:1.5.3": 1940, "6:2.1": 2000}
    (finding,) = validate(FORM_SET, values)
    assert finding.rule == "same_as:4:1.5=6:2.1" and finding.severity == "error"
    assert "4:1.5" in finding.message and "2.181" in finding.message
    assert "6:2.1" in finding.message and "2.000" in finding.message and "181" in finding.message


@pytest.mark.parametrize(
    ("values", "rule", "words"),
    [
        ({"1:6.2": 5}, "type:coded", ["1:6.2", "5", "Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2"]),
        ({"1:6": 2}, "type:coded", ["1:6", "2", "Có = 1; Không = 0"]),
        ({"7:2": Decimal("1.5")}, "type:coded", ["7:2", "1,5"]),
        ({"1:1": -1}, "type:count", ["1:1", "-1", "số nguyên không âm"]),
        ({"3:1.2": Decimal("2.5")}, "type:count", ["3:1.2", "2,5"]),
        ({"6:1.1": -5}, "type:amount", ["6:1.1", "-5"]),
        ({"4:1.1": 120}, "type:percent", ["4:1.1", "120"]),
    ],
)
def test_type_rules(values, rule, words):
    findings = validate(FORM_SET, values)
    assert rule in rule_ids(findings)
    message = next(f.message for f in findings if f.rule == rule)
    for word in words:
        assert word in message


def test_type_rules_accept_good_values():
    assert (
        validate(FORM_SET, {"1:6.2": 2, "1:6": 0, "7:4": 1, "1:1": 0, "6:1.1": Decimal("0.5"), "4:1.1": 100})
        == []
    )


# --- aggregation -----------------------------------------------------------------------------

DEPARTMENTS = {
    "3:3.1.1": 100,
    "3:3.1.2": 99,
    "2:1.1": 3,
    "2:1.2": 0,
    "2:1.3": 0,
    "1:6": 1,
    "1:6.2": 2,
    "4:1.1": 100,
}
DISTRICT_A = {"3:3.1.1": 900, "3:3.1.2": 810, "2:1": 5, "1:6": 0, "1:6.2": 2, "4:1.1": 50}
DISTRICT_B = {"3:3.1.1": 1000, "3:3.1.2": 1000, "2:1.1": 1, "2:1.2": 1, "2:1.3": 2, "1:6": 1, "1:6.2": 0}


def test_aggregate_recomputes_ratios_from_summed_parts():
    total = aggregate(FORM_SET, [DEPARTMENTS, DISTRICT_A])
    assert total["3:3.1.1"] == 1000 and total["3:3.1.2"] == 909
    assert total["3:3.1"] == Decimal("90.9")  # not (99 + 90) / 2 = 94,5
    three = aggregate(FORM_SET, [DEPARTMENTS, DISTRICT_A, DISTRICT_B])
    assert three["3:3.1"] == Decimal(1909) * 100 / Decimal(2000)


def test_aggregate_sums_totals_given_either_way():
    total = aggregate(FORM_SET, [DEPARTMENTS, DISTRICT_A, DISTRICT_B])
    assert total["2:1"] == 3 + 5 + 4  # parts only, total only, parts only
    assert total["2:1.1"] == 4  # DISTRICT_A gave no parts


def test_aggregate_counts_yes_no_and_choices():
    total = aggregate(FORM_SET, [DEPARTMENTS, DISTRICT_A, DISTRICT_B])
    assert total["1:6"] == 2 and total["1:6=1"] == 2 and total["1:6=0"] == 1
    assert (total["1:6.2=0"], total["1:6.2=1"], total["1:6.2=2"]) == (1, 0, 2)
    assert "1:6.2" not in total


def test_aggregate_leaves_out_percentages_without_parts():
    total = aggregate(FORM_SET, [DEPARTMENTS, DISTRICT_A])
    assert "4:1.1" not in total  # 100 % and 50 % cannot be combined without their parts


def test_aggregate_of_one_submission_is_its_computation():
    total = aggregate(FORM_SET, [SEED])
    computed = compute(FORM_SET, SEED)
    for code, value in total.items():
        if "=" not in code and FORM_SET.rows[code].aggregation in ("sum", "ratio"):
            assert value == computed[code], code
