"""PAR Index templates as data: the tree of areas, criteria and sub-criteria with their rules.

`template_from_dict` reads the JSON of `docs/par-template.md` and refuses, with a `TemplateError`
naming the node, what would make scoring meaningless: duplicate codes, a child whose maximum is
over its parent's, a leaf without a rule, an unknown rule kind, bands that overlap, a formula that
is not plain arithmetic over its named inputs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .expr import ExpressionError, compile_expression

__all__ = [
    "RULE_KINDS",
    "SYSTEM_SOURCES",
    "Band",
    "Condition",
    "Group",
    "InputSpec",
    "Node",
    "Option",
    "Rule",
    "Template",
    "TemplateError",
    "is_system_source",
    "template_from_dict",
]

RULE_KINDS = ("yes_no", "choice", "pct_bands", "count_bands", "formula", "rate", "judgement", "survey")
UNIT_TYPES = ("province", "department", "commune")
SOURCES = ("self", "survey")
BONUS = ("bonus", "penalty")
# Figures the system holds (a `forms.CODE` or `survey.INDICATOR` source is also one).
SYSTEM_SOURCES = frozenset(
    {
        "tracking.tasks_total",
        "tracking.tasks_done",
        "tracking.tasks_done_on_time",
        "tracking.tasks_done_late",
        "reporting.reports_due",
        "reporting.reports_on_time",
    }
)


def is_system_source(source: str) -> bool:
    """True for a figure cchc holds: the score follows from it and cannot be typed over."""
    if source in SYSTEM_SOURCES:
        return True
    prefix, _, rest = source.partition(".")
    return prefix in ("forms", "survey") and bool(rest)


class TemplateError(ValueError):
    """A template that cannot be used; the message is Vietnamese and names the node."""


@dataclass(frozen=True)
class InputSpec:
    name: str
    label: str = ""
    source: str = ""

    @property
    def system(self) -> bool:
        return bool(self.source) and is_system_source(self.source)


@dataclass(frozen=True)
class Band:
    min: Decimal | None
    max: Decimal | None
    points: Decimal

    def contains(self, value: Decimal) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


@dataclass(frozen=True)
class Option:
    label: str
    points: Decimal


@dataclass(frozen=True)
class Condition:
    """`expression` compared with `threshold` (zero_below: below → 0; full_at/yes_if: at or above)."""

    expression: str
    threshold: Decimal


@dataclass(frozen=True)
class Rule:
    kind: str
    inputs: tuple[InputSpec, ...] = ()
    yes: Decimal | None = None  # None = the leaf's max
    no: Decimal = Decimal(0)
    yes_if: Condition | None = None
    options: tuple[Option, ...] = ()
    input: str = ""
    bands: tuple[Band, ...] = ()
    expression: str = ""
    zero_below: Condition | None = None
    full_at: Condition | None = None
    when_zero_input: str = ""
    when_zero_points: Decimal | None = None  # None = the leaf's max
    step: Decimal | None = None
    survey: str = ""
    indicator: str = ""

    @property
    def computed(self) -> bool:
        """True when the points follow from the inputs: no one types them."""
        if self.kind == "yes_no":
            return self.yes_if is not None
        return self.kind in ("pct_bands", "count_bands", "formula", "rate", "survey")

    def evaluate(self, inputs: Mapping[str, Decimal], max_points: Decimal) -> Decimal:
        from .rules import evaluate

        return evaluate(self, inputs, max_points)

    def check(self, points: Decimal, max_points: Decimal) -> str | None:
        from .rules import check

        return check(self, points, max_points)

    def to_dict(self) -> dict:
        d: dict = {"kind": self.kind}
        if self.inputs and not (self.kind == "survey" and not any(i.label for i in self.inputs)):
            d["inputs"] = [_input_dict(i) for i in self.inputs]
        if self.kind == "yes_no":
            if self.yes is not None:
                d["yes"] = str(self.yes)
            if self.no:
                d["no"] = str(self.no)
            if self.yes_if:
                d["yes_if"] = _condition_dict(self.yes_if)
        if self.options:
            d["options"] = [{"label": o.label, "points": str(o.points)} for o in self.options]
        if self.input:
            d["input"] = self.input
        if self.bands:
            d["bands"] = [
                {
                    k: str(v)
                    for k, v in (("min", b.min), ("max", b.max), ("points", b.points))
                    if v is not None
                }
                for b in self.bands
            ]
        if self.expression:
            d["expression"] = self.expression
        if self.zero_below:
            d["zero_below"] = _condition_dict(self.zero_below)
        if self.full_at:
            d["full_at"] = _condition_dict(self.full_at)
        if self.when_zero_input:
            points = "max" if self.when_zero_points is None else str(self.when_zero_points)
            d["when_zero"] = {"input": self.when_zero_input, "points": points}
        if self.step is not None:
            d["step"] = str(self.step)
        if self.kind == "survey":
            d["survey"] = self.survey
            d["indicator"] = self.indicator
        return d


def _input_dict(spec: InputSpec) -> dict:
    d = {"name": spec.name}
    if spec.label:
        d["label"] = spec.label
    if spec.source:
        d["source"] = spec.source
    return d


def _condition_dict(c: Condition) -> dict:
    return {"expression": c.expression, "threshold": str(c.threshold)}


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    max: Decimal
    children: tuple[Node, ...] = ()
    rule: Rule | None = None
    source: str = "self"
    appraiser: str = ""
    evidence: str = ""
    guide: str = ""
    bonus: str = ""
    capped: bool = False  # printed parts add up to more than the max; their sum is capped
    note: str = ""
    parent_code: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict:
        d: dict = {"code": self.code, "name": self.name, "max": str(self.max)}
        if self.bonus:
            d["bonus"] = self.bonus
        if self.capped:
            d["capped"] = True
        if self.children:
            if self.guide:
                d["guide"] = self.guide
            d["children"] = [c.to_dict() for c in self.children]
        else:
            d["source"] = self.source
            d["appraiser"] = self.appraiser
            d["evidence"] = self.evidence
            d["guide"] = self.guide
            assert self.rule is not None
            d["rule"] = self.rule.to_dict()
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    min_index: Decimal


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    issuer: str
    decision: str
    year: int
    unit_type: str
    total_max: Decimal
    groups: tuple[Group, ...]
    nodes: tuple[Node, ...]
    split: Mapping[str, Decimal] = field(default_factory=dict)
    _index: Mapping[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def node(self, code: str) -> Node:
        """The node with that code; KeyError when there is none."""
        return self._index[code]

    def has(self, code: str) -> bool:
        return code in self._index

    def walk(self) -> Iterator[Node]:
        for area in self.nodes:
            yield from area.walk()

    def leaves(self) -> list[Node]:
        return [n for n in self.walk() if n.is_leaf]

    def areas(self) -> list[Node]:
        return list(self.nodes)

    def to_dict(self) -> dict:
        d: dict = {
            "key": self.key,
            "name": self.name,
            "issuer": self.issuer,
            "decision": self.decision,
            "year": self.year,
            "unit_type": self.unit_type,
            "total_max": str(self.total_max),
            "groups": [
                {"code": g.code, "label": g.label, "min_index": str(g.min_index)} for g in self.groups
            ],
        }
        if self.split:
            d["split"] = {k: str(v) for k, v in self.split.items()}
        d["nodes"] = [n.to_dict() for n in self.nodes]
        return d


# ---------------------------------------------------------------------------------------------
# Reading a template from its JSON form


def _dec(value, where: str, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TemplateError(f'{where}: «{what}» phải là một số (viết dạng chuỗi, ví dụ "1.50").')
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise TemplateError(f"{where}: «{what}» = «{value}» không phải là số.") from exc
    if not result.is_finite():
        raise TemplateError(f"{where}: «{what}» = «{value}» không phải là số hữu hạn.")
    return result


def _text(d: Mapping, key: str, where: str, required: bool = False) -> str:
    value = d.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TemplateError(f"{where}: «{key}» phải là chuỗi ký tự.")
    if required and not value.strip():
        raise TemplateError(f"{where}: thiếu «{key}».")
    return value


def _condition(raw, where: str, what: str, names: set[str]) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise TemplateError(f'{where}: «{what}» phải là {{"expression", "threshold"}}.')
    expression = _text(raw, "expression", f"{where} ({what})", required=True)
    _expression(expression, f"{where} ({what})", names)
    return Condition(expression, _dec(raw.get("threshold"), f"{where} ({what})", "threshold"))


def _expression(text: str, where: str, names: set[str]) -> None:
    try:
        compiled = compile_expression(text)
    except ExpressionError as exc:
        raise TemplateError(f"{where}: {exc}") from exc
    unknown = sorted(compiled.names - names - {"max"})
    if unknown:
        raise TemplateError(f"{where}: công thức «{text}» dùng biến chưa khai báo: {', '.join(unknown)}.")


def _bands(raw, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise TemplateError(f"{where}: thiếu danh sách mức «bands».")
    bands = []
    for i, b in enumerate(raw, 1):
        if not isinstance(b, Mapping):
            raise TemplateError(f'{where}: mức thứ {i} phải là {{"min", "max", "points"}}.')
        lo = None if b.get("min") is None else _dec(b["min"], where, f"bands[{i}].min")
        hi = None if b.get("max") is None else _dec(b["max"], where, f"bands[{i}].max")
        if lo is not None and hi is not None and lo >= hi:
            raise TemplateError(f"{where}: mức thứ {i} có cận dưới {lo} không nhỏ hơn cận trên {hi}.")
        bands.append(Band(lo, hi, _dec(b.get("points"), where, f"bands[{i}].points")))
    ordered = sorted(bands, key=lambda b: Decimal("-Infinity") if b.min is None else b.min)
    for prev, nxt in zip(ordered, ordered[1:], strict=False):
        prev_hi = Decimal("Infinity") if prev.max is None else prev.max
        nxt_lo = Decimal("-Infinity") if nxt.min is None else nxt.min
        if nxt_lo < prev_hi:
            raise TemplateError(f"{where}: các mức chồng lấn nhau ({_band_text(prev)} và {_band_text(nxt)}).")
    return tuple(bands)


def _band_text(b: Band) -> str:
    lo = "" if b.min is None else f"từ {b.min}"
    hi = "" if b.max is None else f"dưới {b.max}"
    return " ".join(p for p in (lo, hi) if p) or "mọi giá trị"


def _rule(raw, where: str, max_points: Decimal) -> Rule:
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{where}: «rule» phải là một đối tượng có «kind».")
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        raise TemplateError(
            f"{where}: loại quy tắc chấm điểm «{kind}» không được hỗ trợ (chỉ: {', '.join(RULE_KINDS)})."
        )
    raw_inputs = raw.get("inputs") or []
    if not isinstance(raw_inputs, list):
        raise TemplateError(f"{where}: «inputs» phải là một danh sách.")
    inputs: list[InputSpec] = []
    for i, spec in enumerate(raw_inputs, 1):
        if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str) or not spec["name"]:
            raise TemplateError(f"{where}: số liệu đầu vào thứ {i} thiếu «name».")
        inputs.append(InputSpec(spec["name"], _text(spec, "label", where), _text(spec, "source", where)))
    names = {i.name for i in inputs}
    if len(names) != len(inputs):
        raise TemplateError(f"{where}: tên số liệu đầu vào bị trùng.")
    fields: dict = {"kind": kind}
    if kind in ("pct_bands", "count_bands", "rate"):
        name = _text(raw, "input", where, required=True)
        if name not in names:
            inputs.append(InputSpec(name))
            names.add(name)
        fields["input"] = name
    if kind in ("pct_bands", "count_bands"):
        fields["bands"] = _bands(raw.get("bands"), where)
    elif kind == "yes_no":
        if raw.get("yes") is not None:
            fields["yes"] = _dec(raw["yes"], where, "yes")
        if raw.get("no") is not None:
            fields["no"] = _dec(raw["no"], where, "no")
        fields["yes_if"] = _condition(raw.get("yes_if"), where, "yes_if", names)
    elif kind == "choice":
        options = raw.get("options")
        if not isinstance(options, list) or not options:
            raise TemplateError(f"{where}: thiếu danh sách mức «options».")
        fields["options"] = tuple(
            Option(
                _text(o, "label", where) if isinstance(o, Mapping) else "",
                _dec(o.get("points") if isinstance(o, Mapping) else None, where, f"options[{i}].points"),
            )
            for i, o in enumerate(options, 1)
        )
    elif kind == "formula":
        fields["expression"] = _text(raw, "expression", where, required=True)
        _expression(fields["expression"], where, names)
        fields["zero_below"] = _condition(raw.get("zero_below"), where, "zero_below", names)
        fields["full_at"] = _condition(raw.get("full_at"), where, "full_at", names)
        when_zero = raw.get("when_zero")
        if when_zero is not None:
            if not isinstance(when_zero, Mapping) or when_zero.get("input") not in names:
                raise TemplateError(f"{where}: «when_zero» phải nêu một số liệu đầu vào đã khai báo.")
            fields["when_zero_input"] = when_zero["input"]
            points = when_zero.get("points", "max")
            fields["when_zero_points"] = None if points == "max" else _dec(points, where, "when_zero.points")
    elif kind == "judgement":
        if raw.get("step") is not None:
            step = _dec(raw["step"], where, "step")
            if step <= 0:
                raise TemplateError(f"{where}: bước điểm «step» phải lớn hơn 0.")
            fields["step"] = step
    elif kind == "survey":
        survey = raw.get("survey")
        if survey not in ("xhh", "sipas"):
            raise TemplateError(f'{where}: «survey» phải là "xhh" hoặc "sipas".')
        fields["survey"] = survey
        fields["indicator"] = _text(raw, "indicator", where, required=True)
        if fields["indicator"] not in names:
            inputs.append(InputSpec(fields["indicator"], "", f"survey.{fields['indicator']}"))
    fields["inputs"] = tuple(inputs)
    rule = Rule(**fields)
    for value, what in _fixed_points(rule):
        if value is not None and (value < 0 or value > max_points):
            raise TemplateError(f"{where}: điểm {what} = {value} nằm ngoài 0…{max_points}.")
    return rule


def _fixed_points(rule: Rule):
    yield rule.yes, "yes"
    yield rule.no, "no"
    for o in rule.options:
        yield o.points, f"của mức «{o.label}»"
    for b in rule.bands:
        yield b.points, "của một mức"
    yield rule.when_zero_points, "when_zero"


def _node(raw, where_parent: str, parent: Node | None, parent_code: str | None, seen: dict) -> Node:
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{where_parent}: mỗi nút phải là một đối tượng JSON.")
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        raise TemplateError(f"{where_parent}: có nút thiếu mã «code».")
    where = f"Tiêu chí {code}"
    if code in seen:
        raise TemplateError(f"{where}: mã bị trùng (đã dùng cho «{seen[code]}»).")
    name = _text(raw, "name", where, required=True)
    seen[code] = name
    max_points = _dec(raw.get("max"), where, "max")
    if max_points < 0:
        raise TemplateError(f"{where}: điểm tối đa không được âm.")
    bonus = _text(raw, "bonus", where)
    if bonus and bonus not in BONUS:
        raise TemplateError(f'{where}: «bonus» chỉ nhận "bonus" hoặc "penalty".')
    source = _text(raw, "source", where) or "self"
    if source not in SOURCES:
        raise TemplateError(f'{where}: «source» chỉ nhận "self" hoặc "survey".')
    raw_children = raw.get("children") or []
    if not isinstance(raw_children, list):
        raise TemplateError(f"{where}: «children» phải là một danh sách.")
    common = {
        "code": code,
        "name": name,
        "max": max_points,
        "bonus": bonus,
        "capped": bool(raw.get("capped", False)),
        "note": _text(raw, "note", where),
        "guide": _text(raw, "guide", where),
        "parent_code": parent_code,
    }
    if raw_children:
        if raw.get("rule") is not None:
            raise TemplateError(f"{where}: nút có tiêu chí con thì không có quy tắc chấm điểm riêng.")
        children = []
        for child_raw in raw_children:
            child = _node(child_raw, where, None, code, seen)
            if child.max > max_points and not child.bonus:
                raise TemplateError(
                    f"Tiêu chí {child.code}: điểm tối đa {child.max} vượt điểm tối đa {max_points} "
                    f"của tiêu chí cha {code}."
                )
            children.append(child)
        return Node(children=tuple(children), **common)
    if raw.get("rule") is None:
        raise TemplateError(f"{where}: tiêu chí lá thiếu quy tắc chấm điểm «rule».")
    rule = _rule(raw["rule"], where, max_points)
    if rule.kind == "survey":
        source = "survey"
    elif source == "survey":
        raise TemplateError(f"{where}: tiêu chí lấy từ điều tra xã hội học phải có quy tắc loại «survey».")
    return Node(
        rule=rule,
        source=source,
        appraiser=_text(raw, "appraiser", where),
        evidence=_text(raw, "evidence", where),
        **common,
    )


def template_from_dict(d: Mapping) -> Template:
    """A Template from its JSON form; TemplateError naming the node on any inconsistency."""
    if not isinstance(d, Mapping):
        raise TemplateError("Bộ tiêu chí phải là một đối tượng JSON.")
    key = _text(d, "key", "Bộ tiêu chí", required=True)
    where = f"Bộ tiêu chí {key}"
    unit_type = d.get("unit_type")
    if unit_type not in UNIT_TYPES:
        raise TemplateError(f"{where}: «unit_type» phải là một trong {', '.join(UNIT_TYPES)}.")
    year = d.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise TemplateError(f"{where}: «year» phải là số nguyên (năm).")
    groups = []
    for i, g in enumerate(d.get("groups") or [], 1):
        if not isinstance(g, Mapping):
            raise TemplateError(f"{where}: nhóm xếp hạng thứ {i} phải là một đối tượng.")
        groups.append(
            Group(
                _text(g, "code", where, True),
                _text(g, "label", where),
                _dec(g.get("min_index"), where, f"groups[{i}].min_index"),
            )
        )
    raw_split = d.get("split") or {}
    if not isinstance(raw_split, Mapping):
        raise TemplateError(f'{where}: «split» phải là {{"self", "survey"}}.')
    split = {k: _dec(v, where, f"split.{k}") for k, v in raw_split.items()}
    raw_nodes = d.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        raise TemplateError(f"{where}: thiếu danh sách lĩnh vực «nodes».")
    seen: dict[str, str] = {}
    nodes = tuple(_node(n, where, None, None, seen) for n in raw_nodes)
    index: dict[str, Node] = {}
    for area in nodes:
        for n in area.walk():
            index[n.code] = n
    return Template(
        key=key,
        name=_text(d, "name", where, required=True),
        issuer=_text(d, "issuer", where),
        decision=_text(d, "decision", where),
        year=year,
        unit_type=unit_type,
        total_max=_dec(d.get("total_max"), where, "total_max"),
        groups=tuple(sorted(groups, key=lambda g: g.min_index, reverse=True)),
        nodes=nodes,
        split=split,
        _index=index,
    )
