"""Part (d) of a drafted plan: a task for each PAR Index criterion where the unit lost points in
its latest final or published assessment before the plan's year ("Khắc phục hạn chế tại tiêu chí
1.3 …"). Registered in `cchc.planning.drafting.PAR_INDEX_SOURCES` by this app's AppConfig."""

from __future__ import annotations

from collections.abc import Iterator

from cchc.core.par.rules import fmt
from cchc.core.text import fold

# The PAR Index's top-level areas by a word of their name → the plan's reform area. The eighth
# area (impact on people and the economy: surveys) goes to direction, where plans put
# communication and satisfaction work.
_AREA_WORDS = (
    ("chi dao", "direction"), ("the che", "institutions"), ("thu tuc", "procedures"),
    ("bo may", "organization"), ("cong vu", "civil_service"), ("tai chinh", "public_finance"),
    ("chuyen doi so", "digital_government"), ("chinh quyen dien tu", "digital_government"),
    ("chinh quyen so", "digital_government"),
)


def plan_area(name: str) -> str:
    folded = fold(name)
    return next((area for word, area in _AREA_WORDS if word in folded), "direction")


def par_index_tasks(unit, year: int) -> Iterator[dict]:
    from cchc.par.models import Assessment, AssessmentRound
    from cchc.par.tree import dec, template_tree

    done = [AssessmentRound.Status.FINAL, AssessmentRound.Status.PUBLISHED]
    assessment = (Assessment.objects.filter(unit=unit, round__year__lt=year, round__status__in=done)
                  .select_related("round", "template").order_by("-round__year", "-pk").first())
    if assessment is None:
        return
    tree = template_tree(assessment.template)
    scores = {s.code: s for s in assessment.scores.all()}
    index_year = assessment.round.year
    for node in tree.leaves:
        if node.bonus or not node.max:
            continue
        score = scores.get(node.code)
        points = dec(score.points if score else None)
        if points >= node.max:
            continue
        top = tree.node(node.area)
        yield {
            "area": plan_area(top.name if top else ""),
            "content": f"Khắc phục hạn chế tại tiêu chí {node.code} “{node.name}” của Chỉ số CCHC năm {index_year} "
                       f"(đạt {fmt(points)}/{fmt(node.max)} điểm)",
            "deliverables": [f"Báo cáo kết quả khắc phục hạn chế tại tiêu chí {node.code}"],
            "deadline_text": f"Trong năm {year}",
            "note": f"Chỉ số CCHC năm {index_year}: tiêu chí {node.code} mất {fmt(node.max - points)} điểm.",
        }
