"""Property tests of the index computation: for any answer counts, the indices obey the rules the
design writes down (share of the top levels among valid answers, means of means, margins)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.surveys import compute, compute_responses, load_design

SIPAS = load_design("sipas-2023")
CODES = [q.code for q in SIPAS.scored]
CENT = Decimal("0.01")

answer_counts = st.dictionaries(
    st.sampled_from(CODES),
    st.dictionaries(st.sampled_from(["0", "1", "2", "3", "4", "5"]), st.integers(0, 400), max_size=6),
    max_size=len(CODES),
)


def satisfied_and_valid(code: str, counts: dict[str, int]) -> tuple[int, int]:
    question = SIPAS.questions[code]
    valid = sum(n for code, n in counts.items() if question.answer(code).valid)
    top = sum(n for code, n in counts.items() if question.answer(code).level in SIPAS.satisfied_levels)
    return top, valid


@settings(max_examples=150, deadline=None)
@given(counts=answer_counts)
def test_each_question_is_the_rounded_share_of_top_levels_among_valid_answers(counts):
    result = compute(SIPAS, counts, responses=1)
    for code in CODES:
        top, valid = satisfied_and_valid(code, counts.get(code, {}))
        stat = result.questions[code]
        assert stat.valid == valid
        if valid == 0:
            assert stat.pct is None and stat.margin is None
        else:
            exact = Decimal(100 * top) / Decimal(valid)
            assert abs(stat.pct - exact) <= Decimal("0.005") + Decimal("1e-9")
            assert Decimal(0) <= stat.pct <= Decimal(100) and stat.margin >= 0
            if top in (0, valid):
                assert stat.margin == 0


@settings(max_examples=150, deadline=None)
@given(counts=answer_counts)
def test_every_mean_lies_between_its_parts(counts):
    result = compute(SIPAS, counts, responses=1)
    levels = [
        (result.factors, result.questions, {c: f.questions for c, f in SIPAS.factors.items()}),
        (result.aspects, result.factors, {c: a.factors for c, a in SIPAS.aspects.items()}),
        ({"overall": result.overall}, result.aspects, {"overall": tuple(SIPAS.aspects)}),
    ]
    for parents, children, members in levels:
        for code, parent in parents.items():
            values = [children[m].pct for m in members[code] if children[m].pct is not None]
            if not values:
                assert parent.pct is None
                continue
            # parts are rounded before the parent is (each by at most half a cent)
            assert min(values) - CENT <= parent.pct <= max(values) + CENT
            assert parent.valid == sum(children[m].valid for m in members[code])


@settings(max_examples=100, deadline=None)
@given(counts=answer_counts, extra=st.integers(1, 50))
def test_no_opinion_answers_change_no_index(counts, extra):
    more = {code: {**answers, "0": answers.get("0", 0) + extra} for code, answers in counts.items()}
    before, after = compute(SIPAS, counts, 1), compute(SIPAS, more, 1)
    assert before.questions == after.questions and before.factors == after.factors
    assert before.overall == after.overall


@settings(max_examples=100, deadline=None)
@given(counts=answer_counts, k=st.integers(2, 9))
def test_more_of_the_same_answers_keeps_the_index_and_narrows_the_margin(counts, k):
    before = compute(SIPAS, counts, 1)
    after = compute(SIPAS, {c: {a: n * k for a, n in answers.items()} for c, answers in counts.items()}, 1)
    for code in CODES:
        b, a = before.questions[code], after.questions[code]
        assert a.pct == b.pct
        if b.margin is not None:
            assert a.margin <= b.margin
    assert after.overall.pct == before.overall.pct


responses = st.lists(
    st.dictionaries(st.sampled_from(CODES[:6] + ["R6"]), st.sampled_from(["", "0", "1", "3", "4", "5"]), max_size=7),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(rows=responses, seed=st.randoms(use_true_random=False))
def test_indices_from_responses_do_not_depend_on_their_order(rows, seed):
    shuffled = list(rows)
    seed.shuffle(shuffled)
    first, second = compute_responses(SIPAS, rows), compute_responses(SIPAS, shuffled)
    assert first.as_json() == second.as_json() and first.responses == len(rows)
