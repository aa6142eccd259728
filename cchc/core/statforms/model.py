"""Form sets as data: FormSet -> Form -> Row, plus Formula, Rule and Finding.

A form set is one year's (or one version's) statistical forms, Biểu mẫu 1–7, loaded from
``cchc/data/forms/<key>.json``. The JSON is the confirmed data; nothing here knows a row by heart.

Exchange code of a row: ``<form number>:<STT without the trailing dot>``, e.g. ``3:3.1.2``.

Value types
    count     non-negative integer (Văn bản, Hồ sơ, Thủ tục, Người, ...)
    amount    non-negative decimal in money units (Triệu đồng)
    percent   0–100, either derived by a ratio formula or reported as such
    yes_no    coded answer Có = 1 / Không = 0
    choice    coded answer from a printed list ("Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2")
    group     a heading row that carries no value of its own

Aggregation rules (how values of many units are combined, see ``engine.aggregate``)
    sum                  counts and amounts are added
    ratio                numerator and denominator are added, then the ratio is recomputed
    yes_no_count         how many units answered Có (and how many answered each code)
    choice_distribution  how many units chose each code
    none                 cannot be combined honestly (a percentage reported without its parts)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.text import clean, fold

VALUE_TYPES = ("count", "amount", "percent", "yes_no", "choice", "group")
AGGREGATIONS = ("sum", "ratio", "yes_no_count", "choice_distribution", "none")
SEVERITIES = ("error", "warning")
FORMULA_STATUSES = ("confirmed", "proposed")

__all__ = [
    "AGGREGATIONS",
    "FORMULA_STATUSES",
    "SEVERITIES",
    "VALUE_TYPES",
    "Choice",
    "Finding",
    "Form",
    "FormSet",
    "FormSetError",
    "Formula",
    "Row",
    "Rule",
    "exchange_code",
    "parent_stt",
    "split_code",
    "stt_key",
]


class FormSetError(ValueError):
    """A form-set definition is inconsistent (Vietnamese message)."""


def exchange_code(form: int, stt: str) -> str:
    """``exchange_code(3, "3.1.2.")`` -> ``"3:3.1.2"``."""
    return f"{form}:{clean(stt).rstrip('.')}"


def split_code(code: str) -> tuple[int, str]:
    """``"3:3.1.2"`` -> ``(3, "3.1.2")``; raises ValueError on anything else."""
    form, sep, stt = code.partition(":")
    if not sep or not form.isdigit() or not stt:
        raise ValueError(f"Mã chỉ tiêu «{code}» không đúng dạng <số biểu>:<STT>, ví dụ 3:3.1.2.")
    return int(form), stt


def stt_key(stt: str) -> tuple[int, ...]:
    """``"3.1.2"`` -> ``(3, 1, 2)``; the row order inside a form."""
    return tuple(int(part) for part in stt.rstrip(".").split("."))


def parent_stt(stt: str, existing: Iterable[str]) -> str | None:
    """Closest existing ancestor of ``stt`` ("3.1.2" -> "3.1", else "3"), None at the top."""
    present = set(existing)
    parts = stt.rstrip(".").split(".")
    for end in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in present:
            return candidate
    return None


@dataclass(frozen=True)
class Choice:
    code: int
    label: str


@dataclass(frozen=True)
class Formula:
    """How a derived row is computed from other rows.

    ``op == "sum"``: the row is the sum of ``terms``.
    ``op == "ratio"``: the row is ``terms[0] / terms[1] * scale`` (numerator, denominator).
    ``status`` is "confirmed" for reviewed data and "proposed" for what a reader guessed.
    """

    op: str
    terms: tuple[str, ...]
    scale: int = 1
    status: str = "confirmed"
    reason: str = ""

    @property
    def numerator(self) -> str:
        return self.terms[0]

    @property
    def denominator(self) -> str:
        return self.terms[1]

    def describe(self) -> str:
        if self.op == "ratio":
            tail = f" × {self.scale}" if self.scale != 1 else ""
            return f"{self.numerator} / {self.denominator}{tail}"
        return " + ".join(self.terms)

    def same_computation(self, other: Formula | None) -> bool:
        return other is not None and (self.op, self.terms, self.scale) == (other.op, other.terms, other.scale)

    def to_dict(self) -> dict[str, Any]:
        if self.op == "ratio":
            data: dict[str, Any] = {
                "op": "ratio",
                "numerator": self.numerator,
                "denominator": self.denominator,
                "scale": self.scale,
            }
        else:
            data = {"op": "sum", "terms": list(self.terms)}
        if self.status != "confirmed":
            data["status"] = self.status
        if self.reason:
            data["reason"] = self.reason
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Formula:
        op = data.get("op")
        if op == "ratio":
            terms = (data["numerator"], data["denominator"])
            scale = int(data.get("scale", 100))
        elif op == "sum":
            terms = tuple(data["terms"])
            scale = 1
        else:
            raise FormSetError(f"Công thức không hợp lệ: phép tính «{op}» (chỉ có sum, ratio).")
        return cls(op, terms, scale, data.get("status", "confirmed"), data.get("reason", ""))


@dataclass(frozen=True)
class Row:
    code: str
    form: int
    stt: str
    name: str
    unit: str | None
    value_type: str
    parent: str | None = None
    choices: tuple[Choice, ...] = ()
    formula: Formula | None = None
    aggregation: str | None = None
    places: int = 0

    @property
    def derived(self) -> bool:
        return self.formula is not None

    @property
    def has_value(self) -> bool:
        return self.value_type != "group"

    def label(self, width: int = 70) -> str:
        """``3:3.1 «Tỷ lệ hồ sơ TTHC do các sở, ngành …»`` — how messages name a row."""
        name = self.name if len(self.name) <= width else self.name[: width - 1].rstrip() + "…"
        return f"{self.code} «{name}»"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "stt": self.stt,
            "name": self.name,
            "unit": self.unit,
            "value_type": self.value_type,
            "parent": self.parent,
        }
        if self.choices:
            data["choices"] = [{"code": c.code, "label": c.label} for c in self.choices]
        if self.formula is not None:
            data["formula"] = self.formula.to_dict()
        data["aggregation"] = self.aggregation
        if self.value_type in ("percent", "amount"):
            data["places"] = self.places
        return data


@dataclass(frozen=True)
class Form:
    number: int
    title: str
    area: str | None
    section: str | None
    section_title: str | None
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A validation rule, stored as data.

    kinds and their parameters
        ratio                 row: a ratio row; the reported value equals numerator/denominator
                              within one unit of its last written digit
        sum                   total, parts: the reported total equals the sum of the parts
        part_le_whole         parts, whole: sum(parts) <= whole
        same_as               codes (2): the same quantity reported in two places is equal
        range                 value_types: a coded answer is one of the row's codes
        non_negative_integer  value_types: counts are whole numbers >= 0
        non_negative          value_types: amounts are >= 0
        percent_range         value_types: reported percentages are within 0..100
    """

    id: str
    kind: str
    severity: str
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str | None = None
    note: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        p = self.params
        if self.kind == "ratio":
            return (p["row"],)
        if self.kind == "sum":
            return (p["total"], *p["parts"])
        if self.kind == "part_le_whole":
            return (*p["parts"], p["whole"])
        if self.kind == "same_as":
            return tuple(p["codes"])
        return ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "severity": self.severity, **self.params}
        if self.message:
            data["message"] = self.message
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        params = {k: v for k, v in data.items() if k not in ("id", "kind", "severity", "message", "note")}
        return cls(
            data["id"], data["kind"], data["severity"], params, data.get("message"), data.get("note", "")
        )


@dataclass(frozen=True)
class Finding:
    rule: str
    codes: tuple[str, ...]
    severity: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "codes": list(self.codes),
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class FormSet:
    key: str
    title: str
    forms: tuple[Form, ...]
    rows: dict[str, Row]
    rules: tuple[Rule, ...] = ()
    messages: Mapping[str, str] = field(default_factory=dict)
    year: int | None = None
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._check()

    # --- queries -------------------------------------------------------------------------
    def row(self, code: str) -> Row:
        try:
            return self.rows[code]
        except KeyError:
            raise KeyError(f"Bộ biểu mẫu {self.key} không có chỉ tiêu {code}.") from None

    def codes(self) -> list[str]:
        return list(self.rows)

    def value_codes(self) -> list[str]:
        """Rows that carry a value (everything but group headings)."""
        return [c for c, r in self.rows.items() if r.has_value]

    def input_codes(self) -> list[str]:
        return [c for c, r in self.rows.items() if r.has_value and not r.derived]

    def derived_codes(self) -> list[str]:
        return [c for c, r in self.rows.items() if r.derived]

    def children(self, code: str) -> list[Row]:
        return [r for r in self.rows.values() if r.parent == code]

    def evaluation_order(self) -> list[Row]:
        """Derived rows ordered so that every operand is computed before it is used (computed
        once per form set: a form set is data and does not change once loaded)."""
        cached = self.__dict__.get("_evaluation_order")
        if cached is None:
            cached = self.__dict__["_evaluation_order"] = self._evaluation_order()
        return list(cached)

    def _evaluation_order(self) -> list[Row]:
        order: list[Row] = []
        state: dict[str, int] = {}

        def visit(code: str, trail: tuple[str, ...]) -> None:
            if state.get(code) == 2:
                return
            if state.get(code) == 1:
                raise FormSetError(f"Công thức vòng tròn: {' -> '.join((*trail, code))}.")
            state[code] = 1
            row = self.rows[code]
            if row.formula is not None:
                for term in row.formula.terms:
                    visit(term, (*trail, code))
                order.append(row)
            state[code] = 2

        for code in self.rows:
            visit(code, ())
        return order

    @property
    def version(self) -> str:
        """Fingerprint of the rows: codes, names, units, value types, codes of choices, hierarchy
        and formula operands. Renumbering, adding or rewording a row gives a new version;
        editing rules, messages or titles does not."""
        rows = [
            [
                r.code,
                fold(r.name),
                fold(r.unit or ""),
                r.value_type,
                [c.code for c in r.choices],
                r.parent,
                [r.formula.op, list(r.formula.terms), r.formula.scale] if r.formula else None,
            ]
            for r in self.rows.values()
        ]
        digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
        return digest[:12]

    # --- consistency ---------------------------------------------------------------------
    def _check(self) -> None:
        problems: list[str] = []
        for code, row in self.rows.items():
            if code != row.code or code != exchange_code(row.form, row.stt):
                problems.append(f"{code}: mã không khớp với số biểu {row.form} và STT {row.stt}")
            if row.value_type not in VALUE_TYPES:
                problems.append(f"{code}: kiểu giá trị «{row.value_type}» không hợp lệ")
            if row.parent is not None and row.parent not in self.rows:
                problems.append(f"{code}: dòng cha {row.parent} không có trong bộ biểu")
            if row.has_value and row.aggregation not in AGGREGATIONS:
                problems.append(f"{code}: cách tổng hợp «{row.aggregation}» không hợp lệ")
            if row.value_type in ("yes_no", "choice") and not row.choices:
                problems.append(f"{code}: dòng mã hóa thiếu danh sách mã")
            if row.formula is not None:
                if row.formula.op == "ratio" and len(row.formula.terms) != 2:
                    problems.append(f"{code}: tỷ lệ cần đúng một tử số và một mẫu số")
                for term in row.formula.terms:
                    if term not in self.rows:
                        problems.append(f"{code}: công thức dùng dòng {term} không có trong bộ biểu")
                    elif not self.rows[term].has_value:
                        problems.append(f"{code}: công thức dùng dòng nhóm {term}")
        for rule in self.rules:
            if rule.severity not in SEVERITIES:
                problems.append(f"quy tắc {rule.id}: mức độ «{rule.severity}» không hợp lệ")
            for code in rule.codes:
                if code not in self.rows:
                    problems.append(f"quy tắc {rule.id}: dòng {code} không có trong bộ biểu")
        if problems:
            raise FormSetError(f"Bộ biểu mẫu {self.key} không hợp lệ: " + "; ".join(problems) + ".")
        self.evaluation_order()  # raises on cycles

    # --- (de)serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        forms = []
        for form in self.forms:
            forms.append(
                {
                    "number": form.number,
                    "title": form.title,
                    "area": form.area,
                    "section": form.section,
                    "section_title": form.section_title,
                    "rows": [self.rows[c].to_dict() for c in form.codes],
                }
            )
        return {
            "key": self.key,
            "title": self.title,
            "year": self.year,
            "source": self.source,
            **dict(self.meta),
            "forms": forms,
            "rules": [r.to_dict() for r in self.rules],
            "messages": dict(self.messages),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormSet:
        known = {"key", "title", "year", "source", "forms", "rules", "messages"}
        forms: list[Form] = []
        rows: dict[str, Row] = {}
        for f in data["forms"]:
            number = int(f["number"])
            codes = []
            for r in f["rows"]:
                stt = clean(str(r["stt"])).rstrip(".")
                code = r.get("code") or exchange_code(number, stt)
                if code in rows:
                    raise FormSetError(f"Bộ biểu mẫu {data.get('key')}: chỉ tiêu {code} bị lặp.")
                formula = Formula.from_dict(r["formula"]) if r.get("formula") else None
                choices = tuple(Choice(int(c["code"]), c["label"]) for c in r.get("choices", ()))
                rows[code] = Row(
                    code=code,
                    form=number,
                    stt=stt,
                    name=r["name"],
                    unit=r.get("unit"),
                    value_type=r["value_type"],
                    parent=r.get("parent"),
                    choices=choices,
                    formula=formula,
                    aggregation=r.get("aggregation"),
                    places=int(r.get("places", 0)),
                )
                codes.append(code)
            forms.append(
                Form(
                    number,
                    f.get("title", ""),
                    f.get("area"),
                    f.get("section"),
                    f.get("section_title"),
                    tuple(codes),
                )
            )
        return cls(
            key=data["key"],
            title=data.get("title", ""),
            forms=tuple(forms),
            rows=rows,
            rules=tuple(Rule.from_dict(r) for r in data.get("rules", ())),
            messages=dict(data.get("messages", {})),
            year=data.get("year"),
            source=data.get("source", ""),
            meta={k: v for k, v in data.items() if k not in known},
        )


def as_decimal(value: Any) -> Decimal:
    """Decimal of an int, Decimal or float (floats through their shortest repr: 99.99 -> 99.99)."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"not a number: {value!r}")
