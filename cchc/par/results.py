"""Results of a round: per unit the points per area, total and index (achieved / max × 100), the
rank within its unit type, the template's group and the change against last year's index. Read
with a constant number of queries whatever the number of units.

A commune formed by a merger has no result of its own last year: its change is measured against
its predecessors' results taken together, Σ achieved points / Σ maximum points × 100 (the mean of
their indices weighted by their maximum points), and the row names them (``compared_with``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, Sum, When
from django.db.models.functions import Coalesce

from cchc.units.models import Unit

from .models import Assessment, AssessmentRound, LeafScore, ParTemplate
from .tree import ZERO, Totals, Tree, group_for, index_of, template_tree, totals

UNIT_TYPE_LABELS = {"department": "Sở, ban, ngành", "commune": "UBND cấp xã", "province": "UBND tỉnh", "district": "UBND cấp huyện"}


@dataclass
class Row:
    assessment_id: int
    unit_id: int
    unit_name: str
    areas: dict[str, Decimal]
    points: Decimal
    index: Decimal
    rank: int = 0
    group: dict | None = None
    change: Decimal | None = None
    max: Decimal = Decimal(0)
    compared_with: list[str] = field(default_factory=list)  # predecessors' names when compared with them


@dataclass
class Table:
    unit_type: str
    tree: Tree
    template_name: str
    groups: list[dict]
    rows: list[Row] = field(default_factory=list)

    @property
    def label(self) -> str:
        return UNIT_TYPE_LABELS.get(self.unit_type, self.unit_type)

    def average(self) -> dict[str, Decimal]:
        if not self.rows:
            return {}
        n = Decimal(len(self.rows))
        return {a.code: (sum((r.areas[a.code] for r in self.rows), Decimal(0)) / n).quantize(Decimal("0.01")) for a in self.tree.areas}


def _additive(tree: Tree) -> bool:
    """Whether a unit's area points are plain sums of its leaf points: every inner node's parts add up
    to exactly its maximum, nothing capped, no bonus or penalty. Leaf points never exceed the leaf's
    maximum (the rules refuse it), so no sum can pass a cap and the database may add them."""
    return all(
        not n.bonus and not n.capped and (n.is_leaf or sum((c.max for c in n.children), Decimal(0)) == n.max)
        for n in tree.rows
    )


def _indexes(rnd: AssessmentRound) -> dict[tuple[str, int], list[Row]]:
    assessments = list(Assessment.objects.filter(round=rnd).select_related("unit"))
    templates = ParTemplate.objects.in_bulk({a.template_id for a in assessments})  # one tree per template, not per unit
    trees = {pk: template_tree(t) for pk, t in templates.items()}
    summed = {pk for pk, tree in trees.items() if _additive(tree)}
    counted = Coalesce(Case(When(appraised_round__gt=0, then=F("appraised_points")), default=F("self_points")), Decimal(0))
    area_sums = defaultdict(dict)
    if summed:
        sums = (LeafScore.objects.filter(assessment__round=rnd, assessment__template_id__in=summed)
                .values_list("assessment_id", "area").annotate(points=Sum(counted)).order_by())
        for assessment_id, area, total in sums:
            area_sums[assessment_id][area] = total
    points = defaultdict(dict)
    if set(trees) - summed:
        rows = (LeafScore.objects.filter(assessment__round=rnd).exclude(assessment__template_id__in=summed)
                .values_list("assessment_id", "code", "self_points", "appraised_points", "appraised_round"))
        for assessment_id, code, self_points, appraised, appraised_round in rows.iterator(chunk_size=5000):
            points[assessment_id][code] = appraised if appraised_round else self_points
    tables: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for a in assessments:
        a.template = templates[a.template_id]
        tree = trees[a.template_id]
        if a.template_id in summed:
            areas = {area.code: min(area_sums[a.pk].get(area.code, ZERO), area.max) for area in tree.areas}
            t = Totals(areas=areas, points=sum(areas.values(), ZERO), max=tree.total_max)
        else:
            t = totals(tree, points[a.pk])
        tables[(a.unit.kind, a.template_id)].append(Row(a.pk, a.unit_id, a.unit.name, t.areas, t.points, t.index, max=t.max))
    return tables, templates


def _last_year(rnd: AssessmentRound, rows: list[Row]) -> dict[int, tuple[Decimal, list[str]]]:
    """Per unit of this year's rows, last year's index and, when it is its predecessors', their
    names. A unit with its own result last year is compared with it; a unit without one (formed by
    a merger, or renamed) with the predecessors that have one, transitively: Σ points / Σ max × 100
    over them, i.e. their indices weighted by their maximum points. Two queries for the whole round
    (last year's results, one recursive CTE for every unit's predecessors) besides `_indexes`."""
    before = AssessmentRound.objects.filter(province_id=rnd.province_id, year=rnd.year - 1).first()
    if before is None:
        return {}
    last: dict[int, Row] = {}
    for old_rows in _indexes(before)[0].values():  # last year's index alone: no ranks or groups
        last.update({r.unit_id: r for r in old_rows})
    found = {r.unit_id: (last[r.unit_id].index, []) for r in rows if r.unit_id in last}
    missing = {r.unit_id for r in rows if r.unit_id not in last}
    for unit_id, predecessors in Unit.objects.predecessors_of(missing).items():
        olds = sorted((last[p] for p in predecessors if p in last), key=lambda r: r.unit_name)
        maximum = sum((o.max for o in olds), ZERO)
        if olds and maximum:
            found[unit_id] = (index_of(sum((o.points for o in olds), ZERO), maximum), [o.unit_name for o in olds])
    return found


def round_results(rnd: AssessmentRound, *, previous: bool = True) -> list[Table]:
    grouped, templates = _indexes(rnd)
    last = _last_year(rnd, [r for rows in grouped.values() for r in rows]) if previous else {}
    tables = []
    for (unit_type, template_id), rows in sorted(grouped.items(), key=lambda item: ("department", "commune").index(item[0][0]) if item[0][0] in ("department", "commune") else 9):
        template = templates[template_id]
        groups = template.definition.get("groups") or []
        rows.sort(key=lambda r: (-r.index, r.unit_name))
        previous_index = None
        for position, row in enumerate(rows, start=1):
            row.rank = rows[position - 2].rank if position > 1 and row.index == previous_index else position
            previous_index = row.index
            row.group = group_for(groups, row.index)
            if row.unit_id in last:
                last_index, row.compared_with = last[row.unit_id]
                row.change = row.index - last_index
        tables.append(Table(unit_type, template_tree(template), template.name, groups, rows))
    return tables
