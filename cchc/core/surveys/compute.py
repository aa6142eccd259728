"""Indices of a survey from answer counts.

- A question's satisfaction is the share of its *valid* answers (a "no opinion" answer is not
  valid) whose level is one of the design's `satisfied_levels` (by default the two top levels),
  with its 95% margin of error 1.96·sqrt(p(1−p)/n).
- A factor's index is the weighted mean of its questions' shares, an aspect's the weighted mean of
  its factors, the overall index the weighted mean of the aspects (weights from the design; an
  element with no valid answer is left out of its parent's mean).
- The margin of a mean treats its parts as independent estimates: for index = Σwᵢpᵢ / Σwᵢ,
  margin = 1.96·sqrt(Σwᵢ²·Varᵢ) / Σwᵢ, where Varᵢ is the part's own variance (p(1−p)/n for a
  question, (margin/1.96)² for a factor or aspect). Answers of one respondent to several questions
  are correlated, so this is a lower bound of the true margin; it is exact for a single question.

Everything is in percent, as `Decimal` rounded to two places.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cchc.core.statforms.numbers import format_vn_number

from .design import Design

Z95 = 1.96
_CENT = Decimal("0.01")


@functools.lru_cache(maxsize=1 << 16)
def pct(value: float) -> Decimal:
    """`value` rounded half up to two places. Kept per value (a Decimal is immutable): the shares
    of a round's thousands of units are few distinct fractions, k/n for small n."""
    return Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def show_pct(value: Decimal | None) -> str:
    """99,65% (Vietnamese decimal comma); an index without valid answers shows as a dash."""
    return "–" if value is None else f"{format_vn_number(value, 2)}%"


@dataclass(frozen=True)
class Stat:
    """One index: share in percent (None when nothing valid was answered), its margin, valid n."""

    pct: Decimal | None
    margin: Decimal | None
    valid: int
    variance: float = field(default=0.0, repr=False, compare=False)  # of the share as a fraction
    percent: float = field(default=0.0, repr=False, compare=False)  # float(pct), for the parent's mean

    def as_dict(self) -> dict:
        return {
            "pct": None if self.pct is None else float(self.pct),
            "margin": None if self.margin is None else float(self.margin),
            "valid": self.valid,
        }


EMPTY = Stat(None, None, 0)


@dataclass
class Result:
    overall: Stat
    aspects: dict[str, Stat]
    factors: dict[str, Stat]
    questions: dict[str, Stat]
    responses: int
    distribution: dict[str, dict[str, int]]  # question code → answer code → count

    def as_json(self) -> dict:
        """The shape `cchc sipas-index --json` prints."""
        def value(stat: Stat):
            return None if stat.pct is None else float(stat.pct)

        return {
            "overall": value(self.overall),
            "aspects": {code: value(s) for code, s in self.aspects.items()},
            "factors": {code: value(s) for code, s in self.factors.items()},
            "questions": {code: {"pct": value(s), "valid": s.valid} for code, s in self.questions.items()},
            "responses": self.responses,
        }


def _question(design: Design, code: str, counts: Mapping[str, int]) -> Stat:
    valid = satisfied = 0
    for answer, is_satisfied in design.valid_answers[code]:
        n = counts.get(answer)
        if n:
            n = int(n)
            valid += n
            if is_satisfied:
                satisfied += n
    if valid == 0:
        return EMPTY
    p = satisfied / valid
    variance = p * (1 - p) / valid
    share = pct(100 * p)
    return Stat(share, pct(100 * Z95 * math.sqrt(variance)), valid, variance, float(share))


def _mean(parts: Iterable[tuple[float, str]], stats: Mapping[str, Stat]) -> Stat:
    """The weighted mean of `stats` named by `parts` ((weight, code) pairs)."""
    total_weight = 0.0
    total = 0.0
    variance = 0.0
    valid = 0
    for w, code in parts:
        stat = stats[code]
        if stat.pct is None or w == 0:
            continue
        total_weight += w
        total += w * stat.percent / 100
        variance += w * w * stat.variance
        valid += stat.valid
    if total_weight == 0:
        return EMPTY
    variance /= total_weight * total_weight
    share = pct(100 * total / total_weight)
    return Stat(share, pct(100 * Z95 * math.sqrt(variance)), valid, variance, float(share))


def compute(design: Design, counts: Mapping[str, Mapping[str, int]], responses: int,
            distribution: bool = True) -> Result:
    """Indices from `counts` (question code → answer code → number of answers); without
    `distribution` the result's distribution is left empty (a unit's, when only the province's
    is shown)."""
    questions = {q.code: _question(design, q.code, counts.get(q.code, {})) for q in design.scored}
    parts = design.mean_parts
    factors = {code: _mean(members, questions) for code, members in parts["factors"].items()}
    aspects = {code: _mean(members, factors) for code, members in parts["aspects"].items()}
    overall = _mean(parts["overall"], aspects)
    shares = {}
    if distribution:
        shares = {q.code: {a.code: int(counts.get(q.code, {}).get(a.code, 0)) for a in q.answers}
                  for q in design.questions.values() if q.answers}
    return Result(overall, aspects, factors, questions, responses, shares)


def tally(responses: Iterable[Mapping[str, str]]) -> tuple[dict[str, Counter], int]:
    """Answer counts and the number of responses from responses given as {question code: answer code}."""
    counts: dict[str, Counter] = {}
    n = 0
    for response in responses:
        n += 1
        for code, answer in response.items():
            if answer:
                counts.setdefault(code, Counter())[answer] += 1
    return counts, n


def compute_responses(design: Design, responses: Iterable[Mapping[str, str]]) -> Result:
    counts, n = tally(responses)
    return compute(design, counts, n)
