"""Evaluating and checking the rule of one leaf (Decimal arithmetic, points clamped to 0…max).

Computed points are rounded half-up to hundredths, the precision the sets print their points in.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from .expr import ZeroDivision, compile_expression
from .model import Condition, Rule

__all__ = ["MissingInput", "ScoreError", "check", "evaluate", "fmt"]

_HUNDREDTH = Decimal("0.01")


class ScoreError(ValueError):
    """Scores or inputs that cannot be scored; the message is Vietnamese and names the leaf."""


class MissingInput(ScoreError):
    """A computed rule lacks one of its inputs; `name` is the input's name."""

    def __init__(self, name: str, message: str = ""):
        super().__init__(message or f"thiếu số liệu «{name}»")
        self.name = name


def fmt(value: Decimal) -> str:
    """Vietnamese notation for points and figures: 1,5 / 0,25 / 100 / 517.417."""
    from cchc.core.statforms.numbers import format_vn_number

    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral() else 0
    return format_vn_number(value, min(places, 4))


def _clamp(value: Decimal, max_points: Decimal) -> Decimal:
    value = min(max(value, Decimal(0)), max_points)
    return value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def _value(inputs: Mapping[str, Decimal], name: str) -> Decimal:
    if name not in inputs or inputs[name] is None:
        raise MissingInput(name)
    return Decimal(inputs[name])


def _condition(cond: Condition, values: Mapping[str, Decimal]) -> Decimal | None:
    """The condition's value, or None when it divides by zero (the condition does not apply)."""
    try:
        return compile_expression(cond.expression).evaluate(values)
    except ZeroDivision:
        return None


def evaluate(rule: Rule, inputs: Mapping[str, Decimal], max_points: Decimal) -> Decimal:
    """The points the inputs give; MissingInput when one is absent, ScoreError when not computed."""
    if not rule.computed:
        raise ScoreError("điểm do đơn vị tự chấm và cơ quan thẩm định quyết định, không tính từ số liệu")
    values = {spec.name: _value(inputs, spec.name) for spec in rule.inputs}
    for name, value in values.items():
        if value < 0:
            raise ScoreError(f"số liệu «{name}» = {fmt(value)} không được âm")
    kind = rule.kind
    if kind == "yes_no":
        assert rule.yes_if is not None
        yes = max_points if rule.yes is None else rule.yes
        got = _condition(rule.yes_if, values)
        return _clamp(yes if got is None or got >= rule.yes_if.threshold else rule.no, max_points)
    if kind in ("pct_bands", "count_bands"):
        value = values[rule.input]
        for band in rule.bands:
            if band.contains(value):
                return _clamp(band.points, max_points)
        return _clamp(Decimal(0), max_points)
    if kind == "rate":
        return _clamp(values[rule.input] / 100 * max_points, max_points)
    if kind == "survey":
        return _clamp(values[rule.indicator] / 100 * max_points, max_points)
    # formula
    if rule.when_zero_input and values[rule.when_zero_input] == 0:
        return _clamp(max_points if rule.when_zero_points is None else rule.when_zero_points, max_points)
    scope = {**values, "max": max_points}
    if rule.full_at is not None:
        got = _condition(rule.full_at, scope)
        if got is not None and got >= rule.full_at.threshold:
            return _clamp(max_points, max_points)
    if rule.zero_below is not None:
        got = _condition(rule.zero_below, scope)
        if got is not None and got < rule.zero_below.threshold:
            return _clamp(Decimal(0), max_points)
    try:
        result = compile_expression(rule.expression).evaluate(scope)
    except ZeroDivision as exc:
        raise ScoreError(f"không tính được «{rule.expression}» vì {exc.divisor} = 0") from exc
    return _clamp(result, max_points)


def allowed_points(rule: Rule, max_points: Decimal) -> list[Decimal] | None:
    """The discrete values a rule admits (sorted, highest first), or None for any value 0…max."""
    if rule.kind == "yes_no":
        values = {max_points if rule.yes is None else rule.yes, rule.no}
    elif rule.kind == "choice":
        values = {o.points for o in rule.options}
    elif rule.kind in ("pct_bands", "count_bands"):
        values = {b.points for b in rule.bands} | {Decimal(0)}
    else:
        return None
    return sorted(values, reverse=True)


def check(rule: Rule, points: Decimal, max_points: Decimal) -> str | None:
    """None when `points` is a score the rule admits, else a Vietnamese message naming what is."""
    points = Decimal(points)
    if not points.is_finite():
        return "điểm không phải là số"
    if rule.kind == "survey":
        return "điểm lấy từ kết quả điều tra xã hội học, đơn vị không tự chấm"
    if points < 0:
        return f"điểm {fmt(points)} không được âm"
    if points > max_points:
        return f"điểm {fmt(points)} vượt điểm tối đa {format_max(max_points)}"
    allowed = allowed_points(rule, max_points)
    if allowed is not None and points not in allowed:
        return f"điểm {fmt(points)} không thuộc các mức cho phép ({'; '.join(fmt(v) for v in allowed)})"
    if rule.kind == "judgement" and rule.step is not None and points % rule.step != 0:
        return f"điểm {fmt(points)} phải là bội số của {fmt(rule.step)}"
    return None


def format_max(value: Decimal) -> str:
    """Maximum points the way the sets print them: 1,00 / 0,50 / 9,50."""
    from cchc.core.statforms.numbers import format_vn_number

    return format_vn_number(Decimal(value), 2)
