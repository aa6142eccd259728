"""Proposals a person reviews: value types from units, formulas from names and structure, rules.

Everything proposed here is marked ``status="proposed"``; the form-set JSON holds what a person
confirmed. The heuristics, taken from the Ministry's forms (seed 003):

* a row whose unit is "%" and whose name starts with "Tỷ lệ", with exactly two count/amount
  children, is ``numerator / denominator × 100``; the denominator is the child named "Tổng số …" or
  "Kế hoạch …", otherwise the first child (forms list the whole before the part);
* a count or amount row whose children of the same unit are counts/amounts is their sum — only
  where they partition it, which a reviewer must confirm (siblings may overlap);
* a "Tỷ lệ" row whose children are themselves percentages gets no formula: the weights are not
  on the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from cchc.core.text import clean, fold

from .model import Choice, Formula, Row, Rule

__all__ = [
    "DEFAULT_MESSAGES",
    "canonical_unit",
    "default_aggregation",
    "parse_choices",
    "propose_formulas",
    "propose_rules",
    "value_type_for_unit",
]

_CHOICE = re.compile(r"([^=;,\n]+?)\s*=\s*(\d+)")
_AMOUNT_UNITS = {"trieu dong", "ty dong", "nghin dong", "dong", "trieu", "ty"}
_YES_NO = {"co", "khong"}

DEFAULT_MESSAGES: dict[str, str] = {
    "ratio": (
        "{row}: tỷ lệ báo cáo {value}% không khớp với {numerator_code} / {denominator_code} = "
        "{numerator} / {denominator} = {computed}% (sai lệch vượt quá {tolerance})."
    ),
    "sum": "{row}: tổng báo cáo {value} khác tổng các dòng {parts} = {parts_sum} (chênh lệch {difference}).",
    "part_le_whole": "{parts_label} = {parts_sum} lớn hơn {whole} = {whole_value}.",
    "same_as": (
        "{first} = {first_value} và {second} = {second_value} là cùng một số liệu báo cáo ở hai biểu "
        "nhưng không bằng nhau (chênh lệch {difference})."
    ),
    "range": "{row}: giá trị {value} không thuộc các mã cho phép ({allowed}).",
    "non_negative_integer": "{row}: số lượng phải là số nguyên không âm, nhận được {value}.",
    "non_negative": "{row}: giá trị không được âm, nhận được {value}.",
    "percent_range": "{row}: tỷ lệ phải trong khoảng 0–100%, nhận được {value}%.",
}


def parse_choices(unit: str | None) -> tuple[Choice, ...]:
    """``"Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2"`` -> three Choices; () if not coded."""
    if not unit or "=" not in unit:
        return ()
    text = clean(unit)
    found = [Choice(int(code), clean(label)) for label, code in _CHOICE.findall(text)]
    leftover = _CHOICE.sub("", text).strip(" ;,")
    return tuple(found) if found and not leftover else ()


def canonical_unit(unit: str | None) -> str | None:
    """Units as stored: whitespace collapsed; coded units as ``"Có = 1; Không = 0"``."""
    if unit is None or not clean(unit):
        return None
    choices = parse_choices(unit)
    if choices:
        return "; ".join(f"{c.label} = {c.code}" for c in choices)
    return clean(unit)


def value_type_for_unit(unit: str | None) -> str:
    """ "%" -> percent, "Có = 1; Không = 0" -> yes_no, other codes -> choice, money -> amount,
    no unit -> group, any other unit -> count."""
    if unit is None or not clean(unit):
        return "group"
    choices = parse_choices(unit)
    if choices:
        return "yes_no" if {fold(c.label) for c in choices} == _YES_NO else "choice"
    if clean(unit) == "%":
        return "percent"
    if fold(unit) in _AMOUNT_UNITS:
        return "amount"
    return "count"


def default_aggregation(value_type: str, formula: Formula | None) -> str | None:
    if value_type == "group":
        return None
    if value_type in ("count", "amount"):
        return "sum"
    if value_type == "percent":
        return "ratio" if formula is not None and formula.op == "ratio" else "none"
    if value_type == "yes_no":
        return "yes_no_count"
    return "choice_distribution"


def _is_total_name(name: str) -> bool:
    f = fold(name)
    return f.startswith(("tong so", "ke hoach", "tong "))


def propose_formulas(rows: Sequence[Row]) -> dict[str, Formula]:
    """Formulas for the rows that look derived, keyed by code (all ``status="proposed"``)."""
    children: dict[str, list[Row]] = {}
    for row in rows:
        if row.parent is not None:
            children.setdefault(row.parent, []).append(row)
    proposals: dict[str, Formula] = {}
    for row in rows:
        kids = children.get(row.code, [])
        numeric = [k for k in kids if k.value_type in ("count", "amount")]
        if row.value_type == "percent" and fold(row.name).startswith("ty le"):
            if (
                len(kids) == 2
                and len(numeric) == 2
                and fold(numeric[0].unit or "") == fold(numeric[1].unit or "")
            ):
                first, second = numeric
                den, num = (
                    (second, first)
                    if _is_total_name(second.name) and not _is_total_name(first.name)
                    else (first, second)
                )
                proposals[row.code] = Formula(
                    "ratio",
                    (num.code, den.code),
                    100,
                    "proposed",
                    f"«Tỷ lệ …» có hai dòng con: {num.code} / {den.code} × 100",
                )
        elif row.value_type in ("count", "amount"):
            same_unit = [k for k in numeric if fold(k.unit or "") == fold(row.unit or "")]
            if len(same_unit) >= 2 and len(same_unit) == len(numeric):
                proposals[row.code] = Formula(
                    "sum",
                    tuple(k.code for k in same_unit),
                    1,
                    "proposed",
                    "tổng các dòng con cùng đơn vị tính (cần xác nhận các dòng con không chồng lấn)",
                )
    return proposals


def propose_rules(rows: Iterable[Row]) -> list[Rule]:
    """Rules that follow from formulas and value types; cross-row and cross-form rules
    (sibling totals, the same quantity in two forms) are added by the reviewer."""
    rows = list(rows)
    rules: list[Rule] = []
    for row in rows:
        f = row.formula
        if f is None:
            continue
        if f.op == "ratio":
            rules.append(Rule(f"ratio:{row.code}", "ratio", "error", {"row": row.code}))
            rules.append(
                Rule(
                    f"part_le_whole:{f.numerator}<={f.denominator}",
                    "part_le_whole",
                    "error",
                    {"parts": [f.numerator], "whole": f.denominator},
                )
            )
        else:
            rules.append(Rule(f"sum:{row.code}", "sum", "error", {"total": row.code, "parts": list(f.terms)}))
    rules += [
        Rule("type:coded", "range", "error", {"value_types": ["yes_no", "choice"]}),
        Rule("type:count", "non_negative_integer", "error", {"value_types": ["count"]}),
        Rule("type:amount", "non_negative", "error", {"value_types": ["amount"]}),
        Rule("type:percent", "percent_range", "error", {"value_types": ["percent"]}),
    ]
    return rules


def summarise(formulas: Mapping[str, Formula]) -> dict[str, str]:
    """``{code: "3:3.1.2 / 3:3.1.1 × 100"}`` — for review screens and reports."""
    return {code: f.describe() for code, f in formulas.items()}
