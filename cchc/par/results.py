"""Results of a round: per unit the points per area, total and index (achieved / max × 100), the
rank within its unit type, the template's group and the change against last year's index. Read
with a constant number of queries whatever the number of units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Assessment, AssessmentRound, LeafScore
from .tree import Tree, group_for, template_tree, totals

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


def _indexes(rnd: AssessmentRound) -> dict[tuple[str, int], list[Row]]:
    assessments = list(Assessment.objects.filter(round=rnd).select_related("unit", "template"))
    points = defaultdict(dict)
    rows = LeafScore.objects.filter(assessment__round=rnd).values_list("assessment_id", "code", "self_points", "appraised_points", "appraised_round")
    for assessment_id, code, self_points, appraised, appraised_round in rows.iterator(chunk_size=5000):
        points[assessment_id][code] = appraised if appraised_round else self_points
    tables: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for a in assessments:
        t = totals(template_tree(a.template), points[a.pk])
        tables[(a.unit.kind, a.template_id)].append(Row(a.pk, a.unit_id, a.unit.name, t.areas, t.points, t.index))
    return tables, {a.template_id: a.template for a in assessments}


def round_results(rnd: AssessmentRound, *, previous: bool = True) -> list[Table]:
    grouped, templates = _indexes(rnd)
    last = {}
    if previous:
        before = AssessmentRound.objects.filter(province_id=rnd.province_id, year=rnd.year - 1).first()
        if before is not None:
            for table in round_results(before, previous=False):
                last.update({r.unit_id: r.index for r in table.rows})
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
                row.change = row.index - last[row.unit_id]
        tables.append(Table(unit_type, template_tree(template), template.name, groups, rows))
    return tables
