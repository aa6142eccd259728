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
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from .model import FormSet, as_decimal

__all__ = [
    "Tally",
    "Totals",
    "aggregate",
    "answer_codes",
    "coded_rows",
    "compute",
    "distribution_key",
    "sum_first_codes",
    "tally",
    "tally_of_totals",
]


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


class Tally:
    """What ``aggregate`` adds up before it divides, for any group of submissions. Tallies of
    disjoint groups add (``a + b``), so a database can sum the bulk of the submissions and the
    rest be computed one by one (see ``sum_first_codes``); ``values()`` gives the result.

    ``sums[code]``        sum rows: the total over the submissions that report (or compute) them
    ``pairs[code]``       ratio rows: (numerator, denominator) totals over submissions with both
    ``answers[code][k]``  yes/no and choice rows: how many submissions answered ``k``
    ``reported[code]``    per row with a value: how many submissions went into its figure
    """

    __slots__ = ("answers", "pairs", "reported", "sums")

    def __init__(self) -> None:
        self.sums: dict[str, Decimal] = {}
        self.pairs: dict[str, tuple[Decimal, Decimal]] = {}
        self.answers: dict[str, dict[int, int]] = {}
        self.reported: dict[str, int] = {}

    def __add__(self, other: Tally) -> Tally:
        total = Tally()
        for source in (self, other):
            for code, value in source.sums.items():
                total.sums[code] = total.sums.get(code, Decimal(0)) + value
            for code, (num, den) in source.pairs.items():
                have = total.pairs.get(code, (Decimal(0), Decimal(0)))
                total.pairs[code] = (have[0] + num, have[1] + den)
            for code, counts in source.answers.items():
                into = total.answers.setdefault(code, {})
                for answer, n in counts.items():
                    into[answer] = into.get(answer, 0) + n
            for code, n in source.reported.items():
                total.reported[code] = total.reported.get(code, 0) + n
        return total

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and all(getattr(self, a) == getattr(other, a) for a in self.__slots__)

    def __repr__(self) -> str:
        return f"Tally(sums={self.sums}, pairs={self.pairs}, answers={self.answers}, reported={self.reported})"

    def values(self, form_set: FormSet) -> dict[str, Decimal]:
        """The combined figures (the rules in the module docstring)."""
        result: dict[str, Decimal] = {}
        for code, row in form_set.rows.items():
            rule = row.aggregation
            if rule == "sum" and code in self.sums:
                result[code] = self.sums[code]
            elif rule == "ratio" and code in self.pairs:
                num, den = self.pairs[code]
                if den != 0:
                    result[code] = _ratio(num, den, row.formula.scale)  # type: ignore[union-attr]
            elif rule in ("yes_no_count", "choice_distribution"):
                counts = self.answers.get(code, {})
                for choice in row.choices:
                    result[distribution_key(code, choice.code)] = Decimal(counts.get(choice.code, 0))
                if rule == "yes_no_count":
                    result[code] = Decimal(counts.get(1, 0))
        return result


def _is_ratio_of_parts(row) -> bool:
    return row.aggregation == "ratio" and row.formula is not None and row.formula.op == "ratio"


def tally(form_set: FormSet, submissions: Sequence[Mapping[str, Decimal | int | float]]) -> Tally:
    """The tally of submissions taken one by one: each is computed first, so a unit that reported
    only the parts of a total contributes the same as one that reported the total too."""
    out = Tally()
    rows = [(code, row) for code, row in form_set.rows.items() if row.has_value]
    for submission in submissions:
        values = compute(form_set, submission)
        for code, row in rows:
            rule = row.aggregation
            if rule == "ratio":
                if not _is_ratio_of_parts(row):
                    continue
                f = row.formula
                num, den = values.get(f.numerator), values.get(f.denominator)  # type: ignore[union-attr]
                if num is None or den is None:
                    continue
                have = out.pairs.get(code, (Decimal(0), Decimal(0)))
                out.pairs[code] = (have[0] + num, have[1] + den)
            elif code not in values:
                continue
            elif rule == "sum":
                out.sums[code] = out.sums.get(code, Decimal(0)) + values[code]
            elif rule in ("yes_no_count", "choice_distribution"):
                counts = out.answers.setdefault(code, {})
                answer = values[code]
                if any(answer == c.code for c in row.choices):  # an answer out of range counts nowhere
                    counts[int(answer)] = counts.get(int(answer), 0) + 1
            out.reported[code] = out.reported.get(code, 0) + 1
    return out


def sum_first_codes(form_set: FormSet) -> frozenset[str] | None:
    """The input rows every formula rests on, when summing the inputs of many submissions first
    and computing once gives exactly what computing each submission and adding would — that is
    when every sum row is aggregated as a sum and every ratio row as a ratio, and no formula uses
    a ratio. A submission that reports all of these rows is "complete": a group of
    complete submissions can be tallied from its per-row totals (``tally_of_totals``). None when
    the form set is not of that shape (every submission is then computed one by one)."""
    cached = form_set.__dict__.get("_sum_first_codes", False)
    if cached is not False:
        return cached
    operands: set[str] = set()
    exact = True
    for row in form_set.rows.values():
        f = row.formula
        if f is None:
            if row.aggregation in ("yes_no_count", "choice_distribution") and not row.choices:
                exact = False
            continue
        if row.aggregation != {"sum": "sum", "ratio": "ratio"}.get(f.op):
            exact = False
        for term in f.terms:
            used = form_set.rows[term].formula
            if used is not None and used.op != "sum":
                exact = False
            elif used is None:
                operands.add(term)
    result = frozenset(operands) if exact else None
    form_set.__dict__["_sum_first_codes"] = result
    return result


@dataclass
class Totals:
    """Per-row totals over a group of submissions, as one ``GROUP BY code`` over stored values
    gives them: the sum of each row's values, how many submissions report the row, and for the
    answer codes of yes/no and choice rows how many submissions gave each."""

    submissions: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    answers: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, form_set: FormSet, submissions: Sequence[Mapping[str, Decimal | int | float]]) -> Totals:
        """What the database would return for these submissions (their stored values)."""
        out = cls(submissions=len(submissions))
        coded, counted = coded_rows(form_set), set(answer_codes(form_set))
        for values in submissions:
            for code, value in values.items():
                if value is None:
                    continue
                value = as_decimal(value)
                out.sums[code] = out.sums.get(code, Decimal(0)) + value
                out.counts[code] = out.counts.get(code, 0) + 1
                if code in coded and value == value.to_integral_value() and int(value) in counted:
                    answers = out.answers.setdefault(code, {})
                    answers[int(value)] = answers.get(int(value), 0) + 1
        return out

    def __sub__(self, other: Totals) -> Totals:
        """The totals of this group without a subgroup of it."""
        out = Totals(self.submissions - other.submissions, dict(self.sums), dict(self.counts))
        out.answers = {code: dict(counts) for code, counts in self.answers.items()}
        for code, value in other.sums.items():
            out.sums[code] = out.sums.get(code, Decimal(0)) - value
        for code, n in other.counts.items():
            out.counts[code] = out.counts.get(code, 0) - n
            if not out.counts[code]:
                del out.counts[code], out.sums[code]
        for code, counts in other.answers.items():
            into = out.answers.setdefault(code, {})
            for answer, n in counts.items():
                into[answer] = into.get(answer, 0) - n
                if not into[answer]:
                    del into[answer]
            if not into:
                del out.answers[code]
        return out

    def report_all(self, codes: frozenset[str]) -> bool:
        """Whether every submission of the group reports every one of ``codes`` (a submission
        holds at most one value per row, so a row's count is the number reporting it)."""
        return all(self.counts.get(code, 0) == self.submissions for code in codes)


def coded_rows(form_set: FormSet) -> frozenset[str]:
    """Codes of the yes/no and choice rows: aggregated by counting their answers."""
    cached = form_set.__dict__.get("_coded_rows")
    if cached is None:
        cached = form_set.__dict__["_coded_rows"] = frozenset(
            c for c, r in form_set.rows.items() if r.aggregation in ("yes_no_count", "choice_distribution")
        )
    return cached


def answer_codes(form_set: FormSet) -> list[int]:
    """Every answer code of the form set's yes/no and choice rows (what to count per row)."""
    return sorted({choice.code for code in coded_rows(form_set) for choice in form_set.rows[code].choices})


def tally_of_totals(form_set: FormSet, totals: Totals) -> Tally:
    """The tally of a group of submissions from their ``totals``, when every one of them reports
    every row of ``sum_first_codes`` (ValueError otherwise): the formulas are computed once, on
    the sums."""
    operands = sum_first_codes(form_set)
    if operands is None:
        raise ValueError(f"Bộ biểu mẫu {form_set.key} không tổng hợp được bằng cách cộng trước.")
    if not totals.report_all(operands):
        raise ValueError("Có báo cáo thiếu số liệu của dòng dùng trong công thức: phải tính từng báo cáo.")
    out = Tally()
    if totals.submissions == 0:
        return out
    inputs = {code: value for code, value in totals.sums.items() if code in form_set.rows and not form_set.rows[code].derived}
    values = compute(form_set, inputs)
    coded = coded_rows(form_set)
    for code, row in form_set.rows.items():
        rule = row.aggregation
        if not row.has_value:
            continue
        if row.derived:
            # Every submission computes its sum rows and reports both terms of its ratios.
            if rule == "sum" and code in values:
                out.sums[code] = values[code]
                out.reported[code] = totals.submissions
            elif rule == "ratio" and _is_ratio_of_parts(row):
                f = row.formula
                out.pairs[code] = (values[f.numerator], values[f.denominator])  # type: ignore[union-attr]
                out.reported[code] = totals.submissions
            continue
        if code not in totals.counts:
            continue
        out.reported[code] = totals.counts[code]
        if code in coded:
            given = totals.answers.get(code, {})
            out.answers[code] = {c.code: given[c.code] for c in row.choices if given.get(c.code)}
        elif rule == "sum":
            out.sums[code] = totals.sums[code]
    return out


def aggregate(
    form_set: FormSet, submissions: Sequence[Mapping[str, Decimal | int | float]]
) -> dict[str, Decimal]:
    """Combine the submissions of several units into one set of values (rules above)."""
    return tally(form_set, submissions).values(form_set)
