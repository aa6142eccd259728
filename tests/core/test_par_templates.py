"""Every built-in PAR Index set (cchc/data/par/*.json): structure and totals as printed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cchc.core.par import load_template, template_from_dict, template_keys
from cchc.core.par.loader import DATA_DIR

KEYS = template_keys()


def test_the_province_set_ships():
    assert "bnv-1187-2025-province" in KEYS
    assert {p.stem for p in DATA_DIR.glob("*.json")} == set(KEYS)


def _inner(node):
    for n in node.walk():
        if n.children:
            yield n


@pytest.mark.parametrize("key", KEYS)
def test_children_sum_to_their_parents_printed_max(key):
    template = load_template(key)
    for area in template.areas():
        for node in _inner(area):
            counted = sum((c.max for c in node.children if not c.bonus), Decimal(0))
            if node.capped:  # printed parts add up to more than the max; the sum is capped
                assert counted > node.max, node.code
                assert node.note, f"{node.code}: a capped node says why in its note"
            else:
                assert counted == node.max, f"{key} {node.code}: {counted} != {node.max}"


@pytest.mark.parametrize("key", KEYS)
def test_areas_sum_to_the_whole_and_the_whole_to_100(key):
    template = load_template(key)
    areas = [a for a in template.areas() if not a.bonus]
    assert sum(a.max for a in areas) == template.total_max == Decimal(100)


@pytest.mark.parametrize("key", KEYS)
def test_self_and_survey_points_split_as_printed(key):
    template = load_template(key)
    if not template.split:
        pytest.skip(f"{key} prints no split")
    totals = {"self": Decimal(0), "survey": Decimal(0)}

    def add(node):
        if node.bonus:
            return
        if node.is_leaf:
            totals[node.source] += node.max
            return
        if node.capped:  # a capped node counts for its max, under the source of its parts
            sources = {leaf.source for leaf in node.walk() if leaf.is_leaf}
            assert len(sources) == 1, node.code
            totals[sources.pop()] += node.max
            return
        for child in node.children:
            add(child)

    for area in template.areas():
        add(area)
    assert totals == {k: template.split[k] for k in ("self", "survey")}


@pytest.mark.parametrize("key", KEYS)
def test_every_leaf_has_a_rule_and_survey_leaves_are_never_self_scored(key):
    template = load_template(key)
    for leaf in template.leaves():
        assert leaf.rule is not None
        assert (leaf.source == "survey") == (leaf.rule.kind == "survey"), leaf.code
        if leaf.source == "self":
            assert leaf.appraiser, f"{leaf.code}: the appraising body is named"
            assert leaf.evidence, f"{leaf.code}: the evidence required is named"


@pytest.mark.parametrize("key", KEYS)
def test_the_file_round_trips(key):
    raw = json.loads((DATA_DIR / f"{key}.json").read_text(encoding="utf-8"), parse_float=Decimal)
    template = load_template(key)
    assert template.to_dict() == raw
    assert template_from_dict(template.to_dict()) == template


def test_province_set_as_printed():
    t = load_template("bnv-1187-2025-province")
    assert (t.year, t.unit_type, t.issuer) == (2025, "province", "Bộ Nội vụ")
    assert [(a.code, a.max) for a in t.areas()] == [
        ("1", Decimal("9.50")),
        ("2", Decimal("9.00")),
        ("3", Decimal("12.00")),
        ("4", Decimal("10.50")),
        ("5", Decimal("14.50")),
        ("6", Decimal("12.00")),
        ("7", Decimal("16.00")),
        ("8", Decimal("16.50")),
    ]
    printed = [n.code for n in t.walk() if "." not in n.code or n.code.replace(".", "").isdigit()]
    assert len(printed) == 134  # areas, criteria and sub-criteria numbered in Bảng 2
    survey = [leaf.code for leaf in t.leaves() if leaf.source == "survey"]
    assert len(survey) == 27  # the rows marked ĐTXHH
    assert {t.node(c).rule.survey for c in survey if c.startswith("8.1.")} == {"sipas"}
    # 1.1: (b/a) × max, b/a < 0.8 -> 0, from the plan tasks cchc tracks
    r11 = t.node("1.1").rule
    assert r11.kind == "formula" and r11.zero_below.threshold == Decimal("0.8")
    assert [i.source for i in r11.inputs] == ["tracking.tasks_total", "tracking.tasks_done"]
    assert t.node("1.2").rule.computed
    assert t.node("3.4.1").rule.inputs[0].source == "forms.3:3.1.1"
    assert t.node("1.3.1").rule.kind == "pct_bands"
    assert t.node("1.5").rule.kind == "count_bands"
    assert t.node("4.1.2").children and t.node("4.1.2.c").max == Decimal("0.50")
