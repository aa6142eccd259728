"""Computing derived rows and aggregating submissions.

``compute`` keeps every value it is given and fills in each derived row whose operands are all
present: a sum needs every part, a ratio needs both terms and a non-zero denominator. A derived
value that was supplied and can also be computed is replaced by the computed one (``validate``
reports the difference); one that cannot be computed is kept as supplied.

``aggregate`` combines submissions of several units, one rule per row (see ``model.py``):

* ``sum`` — counts and amounts are added over the submissions that report the row;
* ``ratio`` — numerator and denominator are added over the submissions that report both, and
  the ratio is recomputed from the sums: percentages are never averaged;
* ``yes_no_count`` — ``result[code]`` is the number of units answering Có (1), and
  ``result["<code>=0"]``, ``result["<code>=1"]`` count each answer;
* ``choice_distribution`` — ``result["<code>=<option>"]`` counts the units choosing each option
  (every option of the row is present, zero included), e.g. ``"1:6.2=2": Decimal(3)``;
* ``none`` — left out: a percentage reported without its parts cannot be combined.

Before combining, each submission is passed through ``compute`` so a unit that reported only the
parts of a total contributes the same as one that reported the total too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext

from .model import FormSet, as_decimal

__all__ = ["aggregate", "compute", "distribution_key"]


def distribution_key(code: str, option: int) -> str:
    """Key of an aggregated answer count: ``distribution_key("1:6.2", 2) == "1:6.2=2"``."""
    return f"{code}={option}"


def _ratio(numerator: Decimal, denominator: Decimal, scale: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return numerator * scale / denominator


def compute(form_set: FormSet, values: Mapping[str, Decimal | int | float]) -> dict[str, Decimal]:
    """Inputs plus every derived value that can be computed from them (full precision)."""
    out: dict[str, Decimal] = {code: as_decimal(v) for code, v in values.items() if v is not None}
    for row in form_set.evaluation_order():
        f = row.formula
        assert f is not None
        if f.op == "sum":
            if all(t in out for t in f.terms):
                out[row.code] = sum((out[t] for t in f.terms), Decimal(0))
        else:
            num, den = out.get(f.numerator), out.get(f.denominator)
            if num is not None and den is not None and den != 0:
                out[row.code] = _ratio(num, den, f.scale)
    return out


def aggregate(
    form_set: FormSet, submissions: Sequence[Mapping[str, Decimal | int | float]]
) -> dict[str, Decimal]:
    """Combine the submissions of several units into one set of values (rules above)."""
    computed = [compute(form_set, s) for s in submissions]
    result: dict[str, Decimal] = {}
    for code, row in form_set.rows.items():
        rule = row.aggregation
        if not row.has_value or rule in (None, "none"):
            continue
        if rule == "sum":
            present = [c[code] for c in computed if code in c]
            if present:
                result[code] = sum(present, Decimal(0))
        elif rule == "ratio":
            f = row.formula
            if f is None or f.op != "ratio":
                continue
            pairs = [
                (c[f.numerator], c[f.denominator])
                for c in computed
                if f.numerator in c and f.denominator in c
            ]
            num = sum((p[0] for p in pairs), Decimal(0))
            den = sum((p[1] for p in pairs), Decimal(0))
            if pairs and den != 0:
                result[code] = _ratio(num, den, f.scale)
        elif rule in ("yes_no_count", "choice_distribution"):
            answers = [int(c[code]) for c in computed if code in c]
            for choice in row.choices:
                result[distribution_key(code, choice.code)] = Decimal(
                    sum(1 for a in answers if a == choice.code)
                )
            if rule == "yes_no_count":
                result[code] = Decimal(sum(1 for a in answers if a == 1))
    return result
