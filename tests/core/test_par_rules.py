"""Rule kinds evaluated on hand-computed cases, checks refused, template errors naming the node."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cchc.core.par import (
    ExpressionError,
    MissingInput,
    ScoreError,
    TemplateError,
    compile_expression,
    group_for,
    load_template,
    score,
    template_from_dict,
)


def leaf(code, max_, rule, **extra):
    return {"code": code, "name": f"Tiêu chí {code}", "max": max_, "rule": rule, **extra}


def template(*children, area_max=None, groups=()):
    area_max = area_max or str(sum(D(c["max"]) for c in children))
    return template_from_dict(
        {
            "key": "t",
            "name": "Thử",
            "year": 2025,
            "unit_type": "province",
            "total_max": area_max,
            "groups": list(groups),
            "nodes": [{"code": "1", "name": "Lĩnh vực 1", "max": area_max, "children": list(children)}],
        }
    )


def rule_of(t, code="1.1"):
    node = t.node(code)
    return node.rule, node.max


FORMULA_11 = {
    "kind": "formula",
    "expression": "(b/a)*max",
    "inputs": [
        {"name": "a", "source": "tracking.tasks_total"},
        {"name": "b", "source": "tracking.tasks_done"},
    ],
    "zero_below": {"expression": "b/a", "threshold": "0.8"},
}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(10, 10, "1.50"), (10, 9, "1.35"), (10, 8, "1.20"), (10, 7, "0.00"), (3, 2, "0.00"), (6, 5, "1.25")],
)
def test_formula_b_over_a_with_a_floor(a, b, expected):
    rule, mx = rule_of(template(leaf("1.1", "1.50", FORMULA_11)))
    assert rule.computed
    assert rule.evaluate({"a": D(a), "b": D(b)}, mx) == D(expected)


FORMULA_132 = {
    "kind": "formula",
    "expression": "(b/a)*1.00 + (c/a)*0.50",
    "inputs": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
    "when_zero": {"input": "a", "points": "max"},
}


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [(4, 2, 2, "0.75"), (4, 4, 0, "1.00"), (0, 0, 0, "1.00"), (3, 1, 1, "0.50"), (2, 2, 2, "1.00")],
)
def test_formula_weighted_parts_a_zero_gives_the_max_and_the_result_is_clamped(a, b, c, expected):
    rule, mx = rule_of(template(leaf("1.1", "1.00", FORMULA_132)))
    assert rule.evaluate({"a": D(a), "b": D(b), "c": D(c)}, mx) == D(expected)


def test_formula_full_at_and_division_by_zero():
    full = {**FORMULA_11, "zero_below": None, "full_at": {"expression": "b/a", "threshold": "0.7"}}
    rule, mx = rule_of(template(leaf("1.1", "1.50", full)))
    assert rule.evaluate({"a": D(10), "b": D(7)}, mx) == D("1.50")
    assert rule.evaluate({"a": D(10), "b": D(6)}, mx) == D("0.90")
    with pytest.raises(ScoreError, match="a = 0"):
        rule.evaluate({"a": D(0), "b": D(0)}, mx)
    with pytest.raises(MissingInput) as exc:
        rule.evaluate({"a": D(3)}, mx)
    assert exc.value.name == "b"


BANDS_131 = {
    "kind": "pct_bands",
    "input": "p",
    "bands": [
        {"min": "20", "points": "1"},
        {"min": "15", "max": "20", "points": "0.5"},
        {"max": "15", "points": "0"},
    ],
}


@pytest.mark.parametrize(
    ("pct", "expected"),
    [("20", "1"), ("100", "1"), ("19.99", "0.5"), ("15", "0.5"), ("14.99", "0"), ("0", "0")],
)
def test_percentage_bands_min_inclusive_max_exclusive(pct, expected):
    rule, mx = rule_of(template(leaf("1.1", "1.00", BANDS_131)))
    assert rule.evaluate({"p": D(pct)}, mx) == D(expected)


def test_count_bands_and_a_gap_gives_zero():
    rule, mx = rule_of(
        template(
            leaf(
                "1.1",
                "1.50",
                {
                    "kind": "count_bands",
                    "input": "n",
                    "bands": [
                        {"min": "3", "points": "1.5"},
                        {"min": "2", "max": "3", "points": "1"},
                        {"min": "1", "max": "2", "points": "0.5"},
                    ],
                },
            )
        )
    )
    assert [rule.evaluate({"n": D(n)}, mx) for n in (0, 1, 2, 3, 7)] == [
        D(0),
        D("0.5"),
        D(1),
        D("1.5"),
        D("1.5"),
    ]


def test_rate_and_survey_are_index_over_100_times_max_clamped():
    t = template(
        leaf("1.1", "1.00", {"kind": "rate", "input": "p"}),
        leaf("1.2", "2.50", {"kind": "survey", "survey": "sipas", "indicator": "sipas-1"}),
    )
    rate, mx = rule_of(t, "1.1")
    assert rate.evaluate({"p": D("87.5")}, mx) == D("0.88")  # 0.875 rounded half-up
    assert rate.evaluate({"p": D("130")}, mx) == D("1.00")
    survey, smx = rule_of(t, "1.2")
    assert survey.evaluate({"sipas-1": D("84.2")}, smx) == D("2.11")  # 2.105
    assert t.node("1.2").source == "survey"
    assert survey.check(D("2"), smx) == "điểm lấy từ kết quả điều tra xã hội học, đơn vị không tự chấm"


def test_yes_no_choice_and_judgement_checks_name_the_allowed_values():
    t = template(
        leaf("1.1", "0.50", {"kind": "yes_no"}),
        leaf(
            "1.2",
            "0.50",
            {
                "kind": "choice",
                "options": [
                    {"label": "Đầy đủ", "points": "0.5"},
                    {"label": "Chưa đầy đủ", "points": "0.25"},
                    {"label": "Không", "points": "0"},
                ],
            },
        ),
        leaf("1.3", "1.00", {"kind": "judgement", "step": "0.25"}),
    )
    yn, mx = rule_of(t, "1.1")
    assert not yn.computed
    assert yn.check(D("0.5"), mx) is None and yn.check(D("0"), mx) is None
    assert yn.check(D("0.25"), mx) == "điểm 0,25 không thuộc các mức cho phép (0,5; 0)"
    choice, cmx = rule_of(t, "1.2")
    assert choice.check(D("0.25"), cmx) is None
    assert choice.check(D("0.3"), cmx) == "điểm 0,3 không thuộc các mức cho phép (0,5; 0,25; 0)"
    judgement, jmx = rule_of(t, "1.3")
    assert judgement.check(D("0.75"), jmx) is None
    assert judgement.check(D("0.8"), jmx) == "điểm 0,8 phải là bội số của 0,25"
    assert judgement.check(D("1.5"), jmx) == "điểm 1,5 vượt điểm tối đa 1,00"
    assert judgement.check(D("-1"), jmx) == "điểm -1 không được âm"


def test_yes_no_computed_from_reports():
    rule = {
        "kind": "yes_no",
        "inputs": [
            {"name": "a", "source": "reporting.reports_due"},
            {"name": "b", "source": "reporting.reports_on_time"},
        ],
        "yes_if": {"expression": "b/a", "threshold": "1"},
    }
    r, mx = rule_of(template(leaf("1.1", "0.50", rule)))
    assert r.computed
    assert r.evaluate({"a": D(4), "b": D(4)}, mx) == D("0.5")
    assert r.evaluate({"a": D(4), "b": D(3)}, mx) == D("0")
    assert r.evaluate({"a": D(0), "b": D(0)}, mx) == D("0.5")  # nothing due: done in full


def test_score_sums_areas_caps_parts_and_reports_findings_naming_the_leaf():
    t = template(
        leaf("1.1", "1.50", FORMULA_11),
        {
            "code": "1.2",
            "name": "Phần",
            "max": "1.00",
            "capped": True,
            "note": "cộng quá",
            "children": [
                leaf("1.2.a", "0.50", {"kind": "yes_no"}),
                leaf("1.2.b", "0.50", {"kind": "yes_no"}),
                leaf("1.2.c", "0.50", {"kind": "yes_no"}),
            ],
        },
        leaf("1.3", "1.00", BANDS_131),
        area_max="3.50",
    )
    card = score(
        t,
        {"1.1": "1.5", "1.2.a": "0.5", "1.2.b": "0,5", "1.2.c": "0.5", "1.3": "1.5"},
        {"tracking.tasks_total": 10, "tracking.tasks_done": 9},
    )
    assert card.row("1.1").points == D("1.35") and card.row("1.1").auto
    assert card.row("1.2").points == D("1.00")  # 1.5 capped at 1.00
    assert card.row("1.3").points is None
    assert card.areas["1"] == {"max": D("3.50"), "points": D("2.35")}
    assert card.total == {"max": D("3.50"), "points": D("2.35")}
    assert card.index == D("67.14")
    assert card.findings == (
        "Tiêu chí 1.1: điểm tự chấm 1,5 khác điểm tính từ số liệu 1,35; dùng điểm tính từ số liệu.",
        "Tiêu chí 1.3: điểm 1,5 vượt điểm tối đa 1,00.",
    )


def test_a_node_with_unscored_parts_takes_a_whole_score_and_survey_scores_are_ignored():
    t = template(
        {
            "code": "1.1",
            "name": "Phần",
            "max": "1.00",
            "children": [
                leaf("1.1.a", "0.50", {"kind": "yes_no"}),
                leaf("1.1.b", "0.50", {"kind": "judgement"}),
            ],
        },
        leaf("1.2", "1.00", {"kind": "survey", "survey": "xhh", "indicator": "x"}),
    )
    card = score(t, {"1.1": "0.75", "1.2": "1"}, {"survey.x": "80"})
    assert card.row("1.1").points == D("0.75")
    assert card.row("1.2").points == D("0.80")
    assert card.total["points"] == D("1.55")
    assert card.findings == (
        "Tiêu chí 1.2: điểm tự chấm 1 khác điểm tính từ số liệu 0,8; dùng điểm tính từ số liệu.",
    )
    card = score(t, {"1.2": "1"})
    assert card.row("1.2").points is None
    assert "Tiêu chí 1.2: điểm lấy từ điều tra xã hội học, không tự chấm (bỏ qua 1)." in card.findings


def test_inputs_by_leaf_code_and_bad_values():
    t = template(leaf("1.1", "1.00", FORMULA_132))
    assert score(t, {}, {"1.1.a": 4, "1.1.b": 2, "1.1.c": 2}).row("1.1").points == D("0.75")
    with pytest.raises(ScoreError, match="Mã tiêu chí «9.9» không có"):
        score(t, {"9.9": 1})
    with pytest.raises(ScoreError, match="Tiêu chí 1.1: giá trị «nhiều» không phải là số"):
        score(t, {"1.1": "nhiều"})
    card = score(t, {}, {"1.1.a": -1, "1.1.b": 2, "1.1.c": 2})
    assert card.findings == ("Tiêu chí 1.1: số liệu «a» = -1 không được âm.",)


def test_bonus_and_penalty_nodes():
    t = template_from_dict(
        {
            "key": "t",
            "name": "Thử",
            "year": 2025,
            "unit_type": "commune",
            "total_max": "2",
            "groups": [
                {"code": "A", "label": "Tốt", "min_index": "90"},
                {"code": "B", "label": "Khá", "min_index": "80"},
            ],
            "nodes": [
                {"code": "1", "name": "A", "max": "2", "children": [leaf("1.1", "2", {"kind": "judgement"})]},
                {
                    "code": "T",
                    "name": "Điểm thưởng",
                    "max": "1",
                    "bonus": "bonus",
                    "children": [leaf("T.1", "1", {"kind": "yes_no"})],
                },
                {
                    "code": "P",
                    "name": "Điểm trừ",
                    "max": "1",
                    "bonus": "penalty",
                    "children": [leaf("P.1", "1", {"kind": "yes_no"})],
                },
            ],
        }
    )
    card = score(t, {"1.1": "1.6", "T.1": "1"})
    assert card.total["points"] == D("2.6") and card.index == D("130.00")
    card = score(t, {"1.1": "1.6", "P.1": "1"})
    assert card.total["points"] == D("0.6") and card.index == D("30.00")
    assert group_for(t, D("90")).code == "A" and group_for(t, D("85")).label == "Khá"
    assert group_for(t, D("79.99")) is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda n: n[0]["children"].append(leaf("1.1", "0.5", {"kind": "yes_no"})),
            "Tiêu chí 1.1: mã bị trùng",
        ),
        (
            lambda n: n[0]["children"].append(leaf("1.9", "5", {"kind": "yes_no"})),
            "Tiêu chí 1.9: điểm tối đa 5 vượt điểm tối đa 2 của tiêu chí cha 1",
        ),
        (
            lambda n: n[0]["children"].append({"code": "1.9", "name": "X", "max": "1"}),
            "Tiêu chí 1.9: tiêu chí lá thiếu quy tắc",
        ),
        (
            lambda n: n[0]["children"].append(leaf("1.9", "1", {"kind": "magic"})),
            "Tiêu chí 1.9: loại quy tắc chấm điểm «magic» không được hỗ trợ",
        ),
        (
            lambda n: n[0]["children"].append(
                leaf(
                    "1.9",
                    "1",
                    {
                        "kind": "pct_bands",
                        "input": "p",
                        "bands": [{"min": "10", "points": "1"}, {"min": "5", "max": "15", "points": "0.5"}],
                    },
                )
            ),
            "Tiêu chí 1.9: các mức chồng lấn nhau",
        ),
        (
            lambda n: n[0]["children"].append(
                leaf("1.9", "1", {"kind": "formula", "expression": "__import__('os')", "inputs": []})
            ),
            "Tiêu chí 1.9: Công thức «__import__('os')» chỉ được dùng số",
        ),
        (
            lambda n: n[0]["children"].append(
                leaf("1.9", "1", {"kind": "formula", "expression": "b/a", "inputs": [{"name": "a"}]})
            ),
            "Tiêu chí 1.9: công thức «b/a» dùng biến chưa khai báo: b",
        ),
        (
            lambda n: n[0]["children"].append(
                leaf("1.9", "1", {"kind": "choice", "options": [{"label": "Tốt", "points": "3"}]})
            ),
            "Tiêu chí 1.9: điểm của mức «Tốt» = 3 nằm ngoài 0…1",
        ),
    ],
)
def test_template_errors_name_the_node(mutate, message):
    nodes = [{"code": "1", "name": "A", "max": "2", "children": [leaf("1.1", "1", {"kind": "yes_no"})]}]
    mutate(nodes)
    with pytest.raises(TemplateError) as exc:
        template_from_dict(
            {"key": "t", "name": "T", "year": 2025, "unit_type": "province", "total_max": "2", "nodes": nodes}
        )
    assert str(exc.value).startswith(message)


def test_expressions_allow_only_arithmetic():
    assert compile_expression("(b1/a)*max*1.00 + -(c)").names == {"b1", "a", "max", "c"}
    for bad in ("a**2", "a if b else c", "f(a)", "a.b", "[a]", "a < b", "'x'", ""):
        with pytest.raises(ExpressionError):
            compile_expression(bad)


def test_unknown_built_in_is_a_template_error():
    with pytest.raises(TemplateError, match="Không có bộ tiêu chí «nope»"):
        load_template("nope")
