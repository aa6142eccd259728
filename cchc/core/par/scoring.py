"""Scoring a self-assessment against a template: rows, area totals, the total, the index, findings.

    score(template, {"1.2": "0.5"}, {"a": ...})  # inputs keyed "LEAF.NAME" or by source

Inputs are looked up, for each input of a leaf, under ``"CODE.NAME"`` (e.g. ``"1.1.a"``), then
under the input's source (``"tracking.tasks_total"``, ``"forms.3:3.1.2"``). A leaf whose inputs
come from figures the system holds is "auto": its points are computed and a typed self-score that
differs is reported, never used. A computed leaf whose inputs are all given is computed; otherwise
the typed self-score is used, checked against the rule. A node with children scores the sum of its
children (capped at its max); when none of its children is scored, a self-score typed for the node
as a whole is used instead (units often score a criterion printed with unnumbered parts in one cell).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cchc.core.statforms.numbers import VNNumberError, parse_vn_number

from .model import Group, Node, Template
from .rules import MissingInput, ScoreError, check, evaluate, fmt, format_max

__all__ = ["Row", "Scorecard", "group_for", "score"]


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    max: Decimal
    points: Decimal | None
    auto: bool
    inputs: Mapping[str, Decimal | None]
    self_score: Decimal | None = None
    source: str = "self"
    is_leaf: bool = True

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "max": str(self.max),
            "self": None if self.points is None else str(self.points),
            "typed": None if self.self_score is None else str(self.self_score),
            "auto": self.auto,
            "source": self.source,
            "inputs": {k: None if v is None else str(v) for k, v in self.inputs.items()},
        }


@dataclass(frozen=True)
class Scorecard:
    template: str
    rows: tuple[Row, ...]
    areas: Mapping[str, Mapping[str, Decimal]]
    total: Mapping[str, Decimal]
    index: Decimal
    findings: tuple[str, ...] = field(default_factory=tuple)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    def to_dict(self) -> dict:
        return {
            "template": self.template,
            "rows": [r.to_dict() for r in self.rows],
            "areas": {c: {"max": str(a["max"]), "self": str(a["points"])} for c, a in self.areas.items()},
            "total": {"max": str(self.total["max"]), "self": str(self.total["points"])},
            "index": str(self.index),
            "findings": list(self.findings),
        }


def _number(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ScoreError(f"{where}: giá trị «{value}» không phải là số.")
    if isinstance(value, str):
        try:
            result = parse_vn_number(value)
        except VNNumberError:
            try:
                result = Decimal(value.strip())
            except InvalidOperation as exc:
                raise ScoreError(f"{where}: giá trị «{value}» không phải là số.") from exc
    else:
        result = Decimal(str(value))
    if not result.is_finite():
        raise ScoreError(f"{where}: giá trị «{value}» không phải là số hữu hạn.")
    return result


def _leaf_inputs(node: Node, inputs: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    assert node.rule is not None
    found: dict[str, Decimal | None] = {}
    for spec in node.rule.inputs:
        value = inputs.get(f"{node.code}.{spec.name}")
        if value is None and spec.source:
            value = inputs.get(spec.source)
        found[spec.name] = value
    return found


def score(
    template: Template,
    self_scores: Mapping[str, object] | None = None,
    inputs: Mapping[str, object] | None = None,
) -> Scorecard:
    """The scorecard; ScoreError for a value that is not a number or a code not in the template."""
    self_scores = dict(self_scores or {})
    raw_inputs = dict(inputs or {})
    scores: dict[str, Decimal] = {}
    for code, value in self_scores.items():
        if not isinstance(code, str) or not template.has(code):
            raise ScoreError(f"Mã tiêu chí «{code}» không có trong bộ tiêu chí {template.key}.")
        if value is None:
            continue
        scores[code] = _number(value, f"Tiêu chí {code}")
    values: dict[str, Decimal] = {}
    for name, value in raw_inputs.items():
        if value is None:
            continue
        values[str(name)] = _number(value, f"Số liệu «{name}»")
    findings: list[str] = []
    rows: list[Row] = []

    def leaf(node: Node) -> Decimal | None:
        rule = node.rule
        assert rule is not None
        typed = scores.get(node.code)
        got = _leaf_inputs(node, values)
        auto = any(s.system for s in rule.inputs) and rule.computed
        where = f"Tiêu chí {node.code}"
        points: Decimal | None = None
        if rule.computed and all(v is not None for v in got.values()):
            try:
                points = evaluate(rule, got, node.max)
            except MissingInput as exc:  # pragma: no cover - all inputs present
                findings.append(f"{where}: thiếu số liệu «{exc.name}».")
            except ScoreError as exc:
                findings.append(f"{where}: {exc}.")
            if points is not None and typed is not None and typed != points:
                findings.append(
                    f"{where}: điểm tự chấm {fmt(typed)} khác điểm tính từ số liệu {fmt(points)}; "
                    "dùng điểm tính từ số liệu."
                )
        elif rule.kind == "survey":
            if typed is not None:
                findings.append(
                    f"{where}: điểm lấy từ điều tra xã hội học, không tự chấm (bỏ qua {fmt(typed)})."
                )
        elif auto and typed is None:
            missing = ", ".join(n for n, v in got.items() if v is None)
            findings.append(f"{where}: chưa có số liệu hệ thống ({missing}); chưa tính được điểm.")
        elif typed is not None:
            if auto:
                missing = ", ".join(n for n, v in got.items() if v is None)
                findings.append(
                    f"{where}: chưa có số liệu hệ thống ({missing}); tạm dùng điểm tự chấm {fmt(typed)}."
                )
            problem = check(rule, typed, node.max)
            if problem:
                findings.append(f"{where}: {problem}.")
            else:
                points = typed
        rows.append(Row(node.code, node.name, node.max, points, auto, got, typed, node.source))
        return points

    def walk(node: Node) -> Decimal | None:
        if node.is_leaf:
            return leaf(node)
        at = len(rows)
        parts = [walk(child) for child in node.children]
        scored = [p for p in parts if p is not None]
        typed = scores.get(node.code)
        where = f"Tiêu chí {node.code}"
        points: Decimal | None
        if scored:
            positive = sum(
                (
                    p
                    for p, c in zip(parts, node.children, strict=True)
                    if p is not None and c.bonus != "penalty"
                ),
                Decimal(0),
            )
            penalty = sum(
                (
                    p
                    for p, c in zip(parts, node.children, strict=True)
                    if p is not None and c.bonus == "penalty"
                ),
                Decimal(0),
            )
            bonus = sum(
                (
                    p
                    for p, c in zip(parts, node.children, strict=True)
                    if p is not None and c.bonus == "bonus"
                ),
                Decimal(0),
            )
            base = min(positive - bonus, node.max)
            points = max(base + bonus - penalty, Decimal(0))
            if typed is not None and typed != points:
                findings.append(
                    f"{where}: điểm ghi cho cả tiêu chí {fmt(typed)} khác tổng các tiêu chí thành phần "
                    f"{fmt(points)}; dùng tổng các tiêu chí thành phần."
                )
        elif typed is not None:
            survey_only = all(
                n.rule is not None and n.rule.kind == "survey" for n in node.walk() if n.is_leaf
            )
            if survey_only:
                findings.append(
                    f"{where}: điểm lấy từ điều tra xã hội học, không tự chấm (bỏ qua {fmt(typed)})."
                )
                points = None
            elif typed < 0 or typed > node.max:
                findings.append(
                    f"{where}: điểm {fmt(typed)} "
                    + ("không được âm." if typed < 0 else f"vượt điểm tối đa {format_max(node.max)}.")
                )
                points = None
            else:
                points = typed
        else:
            points = None
        rows.insert(at, Row(node.code, node.name, node.max, points, False, {}, typed, node.source, False))
        return points

    areas: dict[str, dict[str, Decimal]] = {}
    total_points = Decimal(0)
    total_max = Decimal(0)
    for area in template.nodes:
        got = walk(area)
        points = got if got is not None else Decimal(0)
        areas[area.code] = {"max": area.max, "points": points}
        if area.bonus == "penalty":
            total_points -= points
        else:
            total_points += points
            if not area.bonus:
                total_max += area.max
    total_points = max(total_points, Decimal(0))
    index = (
        (total_points / template.total_max * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if template.total_max
        else Decimal(0)
    )
    return Scorecard(
        template.key,
        tuple(rows),
        areas,
        {"max": template.total_max, "points": total_points},
        index,
        tuple(findings),
    )


def group_for(template: Template, index: Decimal) -> Group | None:
    """The ranking group an index falls in (groups best first, index >= min_index), or None."""
    for group in template.groups:
        if Decimal(index) >= group.min_index:
            return group
    return None
