"""The stored template definition (docs/par-template.md) as the pages need it: a flat tree in
document order, the leaves' limits, and points summed up the tree. Plain dicts and Decimals.

`check_points` and `evaluate` apply the bounds, printed levels and formulas the JSON states; once
the engine `cchc.core.par` (branch par-core) is merged they should delegate to its Rule.check /
Rule.evaluate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cchc.core.statforms.numbers import format_vn_number

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def dec(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        return ZERO


@dataclass
class Node:
    code: str
    name: str
    max: Decimal
    depth: int
    area: str
    rule: dict | None = None
    source: str = "self"
    appraiser: str = ""
    evidence: str = ""
    guide: str = ""
    bonus: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def kind(self) -> str:
        return (self.rule or {}).get("kind", "judgement")

    @property
    def input_specs(self) -> list[dict]:
        rule = self.rule or {}
        specs = list(rule.get("inputs") or [])
        if not specs and rule.get("input"):
            specs = [{"name": rule["input"], "label": rule["input"], "source": rule.get("source", "")}]
        return specs

    @property
    def computed(self) -> bool:
        """Points follow from figures the system holds: nobody types them."""
        if self.kind == "survey" or self.source == "survey":
            return True
        specs = self.input_specs
        return bool(specs) and all(spec.get("source") for spec in specs)

    @property
    def sources(self) -> list[str]:
        return [spec["source"] for spec in self.input_specs if spec.get("source")]


@dataclass
class Tree:
    areas: list[Node]
    rows: list[Node]  # every node, document order
    total_max: Decimal

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.rows if n.is_leaf]

    def node(self, code: str) -> Node | None:
        return self.by_code.get(code)

    def __post_init__(self):
        self.by_code = {n.code: n for n in self.rows}


def _build(raw: dict, depth: int, area: str, rows: list[Node]) -> Node:
    node = Node(
        code=str(raw["code"]), name=raw.get("name", ""), max=dec(raw.get("max")), depth=depth, area=area or str(raw["code"]),
        rule=raw.get("rule"), source=raw.get("source", "self"), appraiser=raw.get("appraiser", "") or "",
        evidence=raw.get("evidence", "") or "", guide=raw.get("guide", "") or "", bonus=raw.get("bonus", "") or "",
    )
    rows.append(node)
    node.children = [_build(child, depth + 1, node.area, rows) for child in raw.get("children") or []]
    return node


def tree_of(definition: dict) -> Tree:
    rows: list[Node] = []
    areas = [_build(raw, 0, "", rows) for raw in definition.get("nodes", [])]
    total_max = dec(definition.get("total_max")) or sum((a.max for a in areas if not a.bonus), ZERO)
    return Tree(areas=areas, rows=rows, total_max=total_max)


def template_tree(template) -> Tree:
    """The tree of a stored ParTemplate, parsed once per version."""
    cache = getattr(template, "_tree", None)
    if cache is None:
        cache = tree_of(template.definition)
        template._tree = cache
    return cache


# --- points up the tree ---------------------------------------------------------------------------


def sum_node(node: Node, leaf_points: dict[str, Decimal | None]) -> Decimal:
    if node.is_leaf:
        return dec(leaf_points.get(node.code))
    base = sum((sum_node(c, leaf_points) for c in node.children if not c.bonus), ZERO)
    base = min(base, node.max) if node.max else base
    bonus = sum((sum_node(c, leaf_points) for c in node.children if c.bonus == "bonus"), ZERO)
    penalty = sum((sum_node(c, leaf_points) for c in node.children if c.bonus == "penalty"), ZERO)
    return max(base + bonus - penalty, ZERO)


@dataclass
class Totals:
    areas: dict[str, Decimal]
    points: Decimal
    max: Decimal

    @property
    def index(self) -> Decimal:
        return index_of(self.points, self.max)


def totals(tree: Tree, leaf_points: dict[str, Decimal | None]) -> Totals:
    areas = {a.code: sum_node(a, leaf_points) for a in tree.areas}
    points = sum((p for code, p in areas.items() if not tree.node(code).bonus), ZERO)
    points += sum((p for code, p in areas.items() if tree.node(code).bonus == "bonus"), ZERO)
    points -= sum((p for code, p in areas.items() if tree.node(code).bonus == "penalty"), ZERO)
    return Totals(areas=areas, points=max(points, ZERO), max=tree.total_max)


def index_of(points, maximum) -> Decimal:
    maximum = dec(maximum)
    if not maximum:
        return ZERO
    return (dec(points) / maximum * HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def group_for(groups: list[dict], index: Decimal) -> dict | None:
    for group in groups or []:
        if index >= dec(group.get("min_index")):
            return group
    return None


# --- one leaf -------------------------------------------------------------------------------------


def check_points(node: Node, points: Decimal) -> str | None:
    """None when the leaf's rule allows the points, else a Vietnamese message naming the leaf."""
    where = f"Tiêu chí {node.code} ({node.name})"
    if node.computed:
        return f"{where}: điểm được tính tự động từ số liệu của hệ thống, không nhập tay."
    if points < 0:
        return f"{where}: điểm không được âm."
    if points > node.max:
        return f"{where}: điểm {fmt(points)} vượt điểm tối đa {fmt(node.max)}."
    allowed = allowed_points(node)
    if allowed is not None and points not in allowed:
        return f"{where}: chỉ được chấm một trong các mức {', '.join(fmt(p) for p in sorted(allowed))}."
    step = (node.rule or {}).get("step")
    if step and dec(step) and points % dec(step):
        return f"{where}: điểm phải là bội số của {fmt(dec(step))}."
    return None


def allowed_points(node: Node) -> set[Decimal] | None:
    rule = node.rule or {}
    kind = rule.get("kind")
    if kind == "yes_no":
        return {dec(rule.get("yes", node.max)) if rule.get("yes") != "max" else node.max, dec(rule.get("no", 0))}
    if kind == "choice":
        return {node.max if o.get("points") == "max" else dec(o.get("points")) for o in rule.get("options", [])}
    if kind in ("pct_bands", "count_bands"):
        return {node.max if b.get("points") == "max" else dec(b.get("points")) for b in rule.get("bands", [])}
    return None


def evaluate(node: Node, values: dict[str, Decimal | None]) -> Decimal | None:
    """Points of a computed leaf from its inputs (by source); None while an input is missing."""
    rule = node.rule or {}
    by_name = {}
    for spec in node.input_specs:
        value = values.get(spec.get("source", ""))
        if value is None:
            return None
        by_name[spec["name"]] = dec(value)
    kind = rule.get("kind")
    if kind == "rate":
        (value,) = by_name.values()
        return clamp(value / HUNDRED * node.max, node.max)
    if kind in ("pct_bands", "count_bands"):
        (value,) = by_name.values()
        for band in rule.get("bands", []):
            low, high = band.get("min"), band.get("max")
            if (low is None or value >= dec(low)) and (high is None or value < dec(high)):
                return node.max if band.get("points") == "max" else dec(band.get("points"))
        return ZERO
    if kind == "formula":
        return _formula(rule, by_name, node.max)
    return None


def _formula(rule: dict, values: dict[str, Decimal], maximum: Decimal) -> Decimal | None:
    when_zero = rule.get("when_zero")
    if when_zero and values.get(when_zero.get("input")) == 0:
        return maximum if when_zero.get("points") == "max" else dec(when_zero.get("points"))
    scope = {**values, "max": maximum}
    zero_below = rule.get("zero_below")
    try:
        if zero_below and _arith(zero_below["expression"], scope) < dec(zero_below["threshold"]):
            return ZERO
        return clamp(_arith(rule["expression"], scope), maximum)
    except (ZeroDivisionError, InvalidOperation, KeyError, SyntaxError, ValueError):
        return None


def _arith(expression: str, scope: dict[str, Decimal]) -> Decimal:
    """+ - * / and parentheses over names and numbers, in Decimal (no eval)."""
    import ast

    def walk(n):
        if isinstance(n, ast.Expression):
            return walk(n.body)
        if isinstance(n, ast.BinOp):
            left, right = walk(n.left), walk(n.right)
            ops = {ast.Add: left.__add__, ast.Sub: left.__sub__, ast.Mult: left.__mul__, ast.Div: left.__truediv__}
            return ops[type(n.op)](right)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return -walk(n.operand)
        if isinstance(n, ast.Name):
            return scope[n.id]
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            return Decimal(str(n.value))
        raise ValueError(expression)

    return walk(ast.parse(expression, mode="eval"))


def clamp(value: Decimal, maximum: Decimal) -> Decimal:
    return min(max(value, ZERO), maximum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fmt(value, places: int = 2) -> str:
    """Vietnamese points: 1,5 / 12,25 / 100 (trailing zeros dropped)."""
    if value is None:
        return "—"
    text = format_vn_number(dec(value), places)
    return text.rstrip("0").rstrip(",") if "," in text else text
