"""Running a form set's rules over one submission.

Rules are data (``FormSet.rules``, kinds documented on ``model.Rule``); messages are Vietnamese
templates, taken from the rule, else from the form set's ``messages``, else from
``formulas.DEFAULT_MESSAGES``. Every message names the rows (by exchange code and name) and the
numbers, written the Vietnamese way.

Which values a rule looks at:

* type rules (range, non_negative_integer, non_negative, percent_range) and the reported side of
  ``ratio`` and ``sum`` look at the values as submitted;
* operands (parts, numerators, denominators, both sides of ``same_as`` and ``part_le_whole``) are
  taken after ``compute``, so a part that is itself a total counts even when only its own parts
  were reported.

A rule whose rows are not all present stays silent: missing data is not an error here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .engine import compute
from .formulas import DEFAULT_MESSAGES
from .model import Finding, FormSet, Rule, as_decimal
from .numbers import format_vn_number

__all__ = ["fmt", "validate"]


def fmt(value: Decimal, max_places: int = 4) -> str:
    """A number for a message: as many decimals as it has, at most ``max_places``."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_vn_number(value, 0)
    exponent = value.normalize().as_tuple().exponent
    places = min(max_places, -exponent) if isinstance(exponent, int) else max_places
    text = format_vn_number(value, places)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _places(value: Decimal) -> int:
    """Decimals written in a reported value (at most 6: beyond that it was computed, not typed)."""
    exponent = value.as_tuple().exponent
    return min(6, max(0, -exponent)) if isinstance(exponent, int) else 0


def _message(form_set: FormSet, rule: Rule, **context: object) -> str:
    template = rule.message or form_set.messages.get(rule.kind) or DEFAULT_MESSAGES[rule.kind]
    return template.format(**context)


def validate(form_set: FormSet, values: Mapping[str, Decimal | int | float]) -> list[Finding]:
    """Findings of every rule of ``form_set`` on the submitted ``values`` (codes -> numbers)."""
    supplied = {c: as_decimal(v) for c, v in values.items() if v is not None and c in form_set.rows}
    computed = compute(form_set, supplied)
    findings: list[Finding] = []

    def label(code: str) -> str:
        return form_set.rows[code].label()

    def add(rule: Rule, codes: tuple[str, ...], **context: object) -> None:
        findings.append(Finding(rule.id, codes, rule.severity, _message(form_set, rule, **context)))

    for rule in form_set.rules:
        p = rule.params
        if rule.kind == "ratio":
            code = p["row"]
            f = form_set.rows[code].formula
            if f is None or code not in supplied:
                continue
            num, den = computed.get(f.numerator), computed.get(f.denominator)
            if num is None or den is None or den == 0:
                continue
            reported = supplied[code]
            value = num * f.scale / den
            places = _places(reported)
            if abs(value - reported) >= Decimal(1).scaleb(-places):
                add(
                    rule,
                    (code, f.numerator, f.denominator),
                    row=label(code),
                    value=fmt(reported),
                    numerator_code=f.numerator,
                    denominator_code=f.denominator,
                    numerator=fmt(num),
                    denominator=fmt(den),
                    computed=format_vn_number(value, places + 2),
                    tolerance=format_vn_number(Decimal(1).scaleb(-places), places),
                )
        elif rule.kind == "sum":
            total, parts = p["total"], list(p["parts"])
            if total not in supplied or not all(t in computed for t in parts):
                continue
            parts_sum = sum((computed[t] for t in parts), Decimal(0))
            if parts_sum != supplied[total]:
                add(
                    rule,
                    (total, *parts),
                    row=label(total),
                    value=fmt(supplied[total]),
                    parts=" + ".join(parts),
                    parts_sum=fmt(parts_sum),
                    difference=fmt(supplied[total] - parts_sum),
                )
        elif rule.kind == "part_le_whole":
            parts, whole = list(p["parts"]), p["whole"]
            if whole not in computed or not all(t in computed for t in parts):
                continue
            parts_sum = sum((computed[t] for t in parts), Decimal(0))
            if parts_sum > computed[whole]:
                parts_label = label(parts[0]) if len(parts) == 1 else "Tổng các dòng " + " + ".join(parts)
                add(
                    rule,
                    (*parts, whole),
                    parts_label=parts_label,
                    parts_sum=fmt(parts_sum),
                    whole=label(whole),
                    whole_value=fmt(computed[whole]),
                )
        elif rule.kind == "same_as":
            first, second = p["codes"]
            if first in computed and second in computed and computed[first] != computed[second]:
                add(
                    rule,
                    (first, second),
                    first=label(first),
                    first_value=fmt(computed[first]),
                    second=label(second),
                    second_value=fmt(computed[second]),
                    difference=fmt(abs(computed[first] - computed[second])),
                )
        else:
            types = set(p.get("value_types", ()))
            for code, value in supplied.items():
                row = form_set.rows[code]
                if row.value_type not in types:
                    continue
                bad = False
                context: dict[str, object] = {"row": label(code), "value": fmt(value)}
                if rule.kind == "range":
                    allowed = [c.code for c in row.choices]
                    bad = value not in allowed
                    context["allowed"] = "; ".join(f"{c.label} = {c.code}" for c in row.choices)
                elif rule.kind == "non_negative_integer":
                    bad = value < 0 or value != value.to_integral_value()
                elif rule.kind == "non_negative":
                    bad = value < 0
                elif rule.kind == "percent_range":
                    bad = not (0 <= value <= 100)
                else:
                    raise ValueError(f"Quy tắc {rule.id}: loại «{rule.kind}» chưa được hỗ trợ.")
                if bad:
                    add(rule, (code,), **context)
    return findings
