"""Every built-in PAR Index set (cchc/data/par/*.json): structure and totals as printed."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

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


CRITERIA = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "criteria"  # copies of ../shared/criteria
PRINTED = {  # each built-in set and the text of the document it was read from (pdftotext -layout)
    "bnv-1187-2025-province": "bnv-1187-2025-province-par-index.txt",
    "snv-2775-2025-department": "province-guide-2025-departments.txt",
    "snv-2775-2025-commune": "province-guide-2025-communes.txt",
}
ROW = re.compile(r"^ ?(\d+(?:\.\d+)*)\.?\s")
POINTS = re.compile(r"(?<![\d,./])(\d{1,2}(?:,\d{1,2})?)(?![\d,./%])")


def printed(key) -> tuple[Decimal, dict[str, Decimal]]:
    """The printed grand total and, for the guides' layout, each numbered row's "Điểm tối đa" column."""
    total, maxima = None, {}
    for line in (CRITERIA / PRINTED[key]).read_text(encoding="utf-8").splitlines():
        found = re.search(r"TỔNG ĐIỂM\s+(\d+(?:[,.]\d+)?)", line)
        if found:
            total = Decimal(found.group(1).replace(",", "."))
        row = ROW.match(line)
        if row:
            column = next((m for m in POINTS.finditer(line) if 60 <= m.start() <= 100), None)
            if column:
                maxima.setdefault(row.group(1), Decimal(column.group(1).replace(",", ".")))
    return total, maxima


def test_every_builtin_set_names_its_document():
    assert set(PRINTED) == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_areas_sum_to_the_printed_total(key):
    template = load_template(key)
    areas = [a for a in template.areas() if not a.bonus]
    total, _ = printed(key)
    assert sum(a.max for a in areas) == template.total_max == total
    if template.unit_type == "province":
        assert total == Decimal(100)  # the Ministry's index: 100 points, self-assessed and survey


@pytest.mark.parametrize("key", ["snv-2775-2025-department", "snv-2775-2025-commune"])
def test_every_numbered_row_of_the_guide_is_a_node_with_its_printed_max(key):
    """The province's 2025 guides print 75 points, all self-assessed and appraised (no survey part):
    every numbered row (area, criterion, sub-criterion) is a node with the printed maximum, and
    every numbered node is a printed row; lettered parts (3.1.4.a) split a row printed as one."""
    template = load_template(key)
    _, maxima = printed(key)
    nodes = {n.code: n.max for n in template.walk()}
    assert len(maxima) > 100
    assert {code: nodes.get(code) for code in maxima} == maxima
    assert {code for code in nodes if not code[-1].isalpha()} == set(maxima)


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
