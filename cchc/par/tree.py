"""The stored template definition (docs/par-template.md) as the pages need it: the engine's
template (`cchc.core.par`) flattened in document order with each node's depth and area, points
summed up the tree, and one leaf's check and computation delegated to the engine's Rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cchc.core import par as engine
from cchc.core.par.rules import fmt as points_text

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
    rule: engine.Rule | None = None
    source: str = "self"
    appraiser: str = ""
    evidence: str = ""
    guide: str = ""
    bonus: str = ""
    capped: bool = False
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def input_specs(self) -> list[engine.InputSpec]:
        return list(self.rule.inputs) if self.rule else []

    @property
    def computed(self) -> bool:
        """Points follow from figures the system holds: nobody types them. A computed rule whose
        inputs are typed by the unit (no system source) is scored by the unit, checked 0…max
        (percentage and count bands: one of their bands' points)."""
        if self.rule is None or not self.rule.computed:
            return False
        return self.rule.kind == "survey" or all(spec.system for spec in self.rule.inputs)

    @property
    def figure_input(self) -> engine.InputSpec | None:
        """The one figure a band leaf is scored from when only the unit holds it (a percentage or
        a count): the unit may type it, and the points follow from the leaf's bands."""
        rule = self.rule
        if rule is None or rule.kind not in ("pct_bands", "count_bands") or self.computed:
            return None
        return next((spec for spec in rule.inputs if spec.name == rule.input), None)

    @property
    def figure_unit(self) -> str:
        """How the figure reads after its number: "%" for a percentage, else the input's label."""
        spec = self.figure_input
        if spec is None:
            return ""
        return "%" if self.rule.kind == "pct_bands" else (spec.label or spec.name)

    @property
    def sources(self) -> list[str]:
        return [spec.source for spec in self.input_specs if spec.system]


@dataclass
class Tree:
    areas: list[Node]
    rows: list[Node]  # every node, document order
    total_max: Decimal
    groups: list[dict]

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.rows if n.is_leaf]

    def node(self, code: str) -> Node | None:
        return self.by_code.get(code)

    def __post_init__(self):
        self.by_code = {n.code: n for n in self.rows}


def _build(raw: engine.Node, depth: int, area: str, rows: list[Node]) -> Node:
    node = Node(
        code=raw.code, name=raw.name, max=raw.max, depth=depth, area=area or raw.code, rule=raw.rule,
        source=raw.source, appraiser=raw.appraiser or "", evidence=raw.evidence or "", guide=raw.guide or "",
        bonus=raw.bonus or "", capped=raw.capped,
    )
    rows.append(node)
    node.children = [_build(child, depth + 1, node.area, rows) for child in raw.children]
    return node


def tree_of(definition: dict) -> Tree:
    template = engine.template_from_dict(definition)
    rows: list[Node] = []
    areas = [_build(raw, 0, "", rows) for raw in template.nodes]
    groups = [{"code": g.code, "label": g.label, "min_index": g.min_index} for g in template.groups]
    return Tree(areas=areas, rows=rows, total_max=template.total_max, groups=groups)


_TREES: dict[tuple, Tree] = {}  # (pk, loaded_at) -> tree: a stored definition changes only with loaded_at


def template_tree(template) -> Tree:
    """The tree of a stored ParTemplate, parsed once per object and once per process per version."""
    cache = getattr(template, "_tree", None)
    if cache is None:
        key = (template.pk, template.loaded_at) if template.pk and getattr(template, "loaded_at", None) else None
        cache = _TREES.get(key) if key else None
        if cache is None:
            cache = tree_of(template.definition)
            if key:
                if len(_TREES) > 64:
                    _TREES.clear()
                _TREES[key] = cache
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
    if node.rule is not None and node.rule.computed and node.rule.kind not in ("pct_bands", "count_bands"):
        # a formula or rate over inputs typed by the unit: any 0…max; bands admit only their points
        message = engine.Rule(kind="judgement").check(points, node.max)
    else:
        message = node.rule.check(points, node.max) if node.rule else None
    return f"{where}: {message}." if message else None


def evaluate(node: Node, values: dict[str, Decimal | None]) -> Decimal | None:
    """Points of a computed leaf from its inputs (keyed by source); None while one is missing."""
    by_name = {spec.name: values.get(spec.source) for spec in node.input_specs}
    if node.rule.kind == "survey":
        by_name[node.rule.indicator] = values.get(f"survey.{node.rule.indicator}")
    try:
        return node.rule.evaluate({k: v for k, v in by_name.items() if v is not None}, node.max)
    except engine.ScoreError:
        return None


def points_from_figure(node: Node, figure: Decimal) -> Decimal:
    """The points the leaf's bands give the unit's figure (the engine's band evaluation);
    engine.ScoreError (Vietnamese) for a figure the rule refuses."""
    spec = node.figure_input
    assert spec is not None
    if node.rule.kind == "count_bands" and figure != figure.to_integral_value():
        raise engine.ScoreError(f"số lượng «{spec.label or spec.name}» phải là số nguyên, không phải {points_text(figure)}")
    return node.rule.evaluate({spec.name: figure}, node.max)


def fmt(value) -> str:
    """Vietnamese points: 1,5 / 12,25 / 100; "—" when missing."""
    return "—" if value is None else points_text(dec(value))
