"""Any scores and inputs give a Scorecard or a ScoreError, and points never exceed a maximum."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core.par import ScoreError, load_template, score, template_keys

TEMPLATES = [load_template(k) for k in template_keys()]
CODES = sorted({n.code for t in TEMPLATES for n in t.walk()} | {"9.9.9"})
INPUT_NAMES = sorted(
    {f"{leaf.code}.{i.name}" for t in TEMPLATES for leaf in t.leaves() for i in leaf.rule.inputs}
    | {i.source for t in TEMPLATES for leaf in t.leaves() for i in leaf.rule.inputs if i.source}
)
values = st.one_of(
    st.decimals(min_value=-5, max_value=200, places=2, allow_nan=False),
    st.integers(min_value=-3, max_value=10_000),
    st.sampled_from(["0,5", "1.5", "1,25", "-", "", "abc", "1e3", "NaN", "∞", "517.417"]),
    st.none(),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    template=st.sampled_from(TEMPLATES),
    scores=st.dictionaries(st.sampled_from(CODES), values, max_size=20),
    inputs=st.dictionaries(st.sampled_from(INPUT_NAMES), values, max_size=30),
)
def test_scoring_never_crashes_and_never_exceeds_a_maximum(template, scores, inputs):
    try:
        card = score(template, scores, inputs)
    except ScoreError as exc:
        assert str(exc)
        return
    for row in card.rows:
        node = template.node(row.code)
        if row.points is not None:
            assert Decimal(0) <= row.points <= node.max, row
    for code, area in card.areas.items():
        assert Decimal(0) <= area["points"] <= template.node(code).max
    assert Decimal(0) <= card.total["points"] <= template.total_max
    assert card.to_dict()["template"] == template.key
