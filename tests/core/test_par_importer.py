"""Proposing a criteria set from the text of its published document (the province's two 2025 guides,
read with pdftotext -layout): the tree and maxima exactly, names and rules proposed for review."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from cchc.core.par import load_template, template_from_dict
from cchc.core.par.importer import propose_rule, propose_template

CRITERIA = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "criteria"
GUIDES = {"snv-2775-2025-department": "province-guide-2025-departments.txt",
          "snv-2775-2025-commune": "province-guide-2025-communes.txt"}


def proposed(key):
    text = (CRITERIA / GUIDES[key]).read_text(encoding="utf-8")
    return propose_template(text, key=f"{key}-import", name="Thử", year=2025, unit_type=key.rsplit("-", 1)[1],
                            appraiser="Sở Nội vụ")


def kind(rule):
    # a built-in leaf printed as three levels on a ratio the system holds is a formula; from text alone it is bands
    return "pct_bands" if rule.kind == "formula" and rule.full_at is not None else rule.kind


@pytest.mark.parametrize("key", GUIDES)
def test_the_tree_and_maxima_are_read_exactly(key):
    proposal = proposed(key)
    template, builtin = template_from_dict(proposal.definition), load_template(key)
    assert template.total_max == builtin.total_max == D(75)
    printed = {n.code: n.max for n in builtin.walk() if not n.code[-1].isalpha()}
    assert {n.code: n.max for n in template.walk()} == printed
    assert not [f for f in proposal.findings if "cộng lại" in f]


@pytest.mark.parametrize("key", GUIDES)
def test_rules_are_proposed_for_most_leaves_and_each_says_why(key):
    proposal = proposed(key)
    template, builtin = template_from_dict(proposal.definition), load_template(key)
    leaves = [n for n in builtin.leaves() if not n.code[-1].isalpha() and not n.parent_code.endswith("3.1.4")]
    same = [n.code for n in leaves if template.node(n.code).rule.kind == kind(n.rule)]
    assert len(same) >= 0.8 * len(leaves)  # measured: 68 of 80 (departments), 64 of 76 (communes)
    assert set(proposal.reasons) == {n.code for n in template.leaves()}
    assert any("3.4.3" in f and "không tự đánh giá" in f for f in proposal.findings)


def test_named_leaves_and_their_rules_in_the_department_guide():
    template = template_from_dict(proposed("snv-2775-2025-department").definition)
    assert template.node("1.3.2").name == "Khắc phục các vấn đề được phát hiện qua kiểm tra"
    assert template.node("1.4.4").name == "Tuyên truyền CCHC thông qua các hình thức khác"
    assert template.node("1.3").name == "Công tác kiểm tra CCHC"
    initiatives = template.node("1.5").rule
    assert initiatives.kind == "count_bands"
    assert [(b.min, b.max, b.points) for b in initiatives.bands] == [
        (D(3), None, D(3)), (D(2), D(3), D(2)), (D(1), D(2), D(1)), (None, D(1), D(0))]
    on_time = template.node("3.4.1").rule
    assert [(b.min, b.max, b.points) for b in on_time.bands] == [(D(98), None, D(2)), (D(95), D(98), D(1)), (None, D(95), D(0))]
    online = template.node("7.3.4").rule
    assert online.kind == "formula" and online.zero_below.threshold == D("0.9")
    assert online.evaluate({"a": D(10), "b": D(9)}, D(1)) == D("0.90")
    assert online.evaluate({"a": D(10), "b": D(8)}, D(1)) == D(0)


@pytest.mark.parametrize("text, maximum, expected", [
    ("Nếu: - Có thực hiện thì điểm đánh giá là 0,5. - Không thực hiện thì điểm đánh giá là 0.", "0.5", "yes_no"),
    ("Nếu: - Từ 30% trở lên thì điểm đánh giá là 1. - Dưới 30% thì điểm đánh giá là 0.", "1", "pct_bands"),
    ("Tính điểm theo công thức: (b/a) * điểm tối đa. Trong đó: a là tổng số hồ sơ; b là số hồ sơ trực tuyến.", "3", "formula"),
    ("- Vượt dự toán thì điểm đánh giá là 3. - Đạt dự toán thì điểm đánh giá là 1,5. - Không đạt thì điểm đánh giá là 0.", "3", "choice"),
    ("Hội đồng thẩm định xem xét, đánh giá.", "1", "judgement"),
])
def test_a_rule_is_proposed_from_the_printed_levels(text, maximum, expected):
    rule, why = propose_rule(text, D(maximum))
    assert rule["kind"] == expected and why
    if expected == "formula":
        assert [i["label"] for i in rule["inputs"]] == ["tổng số hồ sơ", "số hồ sơ trực tuyến"]
