"""Demo data of the PAR Index (called by `cchc load-demo` after the plans and surveys): the
province's assessment of last year, published, so that the results, the ranking and its charts,
and the drafting of next year's plan from lost points all have something to show.

Every department and commune scores itself on the built-in sets of the year, a quarter of the
leaves are cut in appraisal, and the round is published in March. Written in bulk: demo data, not
a person's change, so it has no change history (as `simulate_progress`).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from cchc.units.models import Unit

from .models import Assessment, AssessmentRound, LeafScore
from .services import ensure_inputs, load_builtin_templates, open_round, template_for
from .tree import check_points, template_tree

PROVINCE = "38"
STEP = Decimal("0.25")


def allowed(node, points: Decimal) -> bool:
    return check_points(node, points) is None


def points_for(node, quality: float, rng: random.Random) -> Decimal:
    """Points the leaf's rule allows: full marks with probability `quality`, else a share of them
    (or nothing, where the rule allows only all or nothing)."""
    if rng.random() < quality and allowed(node, node.max):
        return node.max
    share = (node.max * Decimal(str(rng.uniform(0.3, 0.8))) / STEP).quantize(Decimal(1)) * STEP
    for candidate in (share, node.max / 2, Decimal(0)):
        if allowed(node, candidate):
            return candidate
    return node.max


@transaction.atomic
def load(today: datetime.date, stdout=None) -> AssessmentRound | None:
    year = today.year - 1
    province = Unit.objects.get(code=PROVINCE)
    if AssessmentRound.objects.filter(province=province, year=year).exists():
        return None  # loaded already
    load_builtin_templates()
    templates = [t for t in (template_for(year, "department"), template_for(year, "commune")) if t is not None]
    if not templates:
        return None
    rnd = open_round(province, year, deadline=datetime.date(year, 12, 15), cutoff=datetime.date(year, 11, 30),
                     templates=templates, title=f"Đánh giá Chỉ số CCHC năm {year} của các sở, ngành và UBND cấp xã")
    rng = random.Random(year)
    changed = []
    submitted_at = datetime.datetime(year, 12, 12, 9, tzinfo=datetime.UTC)
    for assessment in rnd.assessments.select_related("template").order_by("unit__code"):
        tree = template_tree(assessment.template)
        quality = rng.uniform(0.55, 0.95)
        for score in assessment.scores.filter(auto=False):
            node = tree.node(score.code)
            score.self_points = points_for(node, quality, rng)
            if score.self_points > 0 and rng.random() < 0.25:  # the appraisal finds less than claimed
                lower = points_for(node, 0.0, rng)
                if lower < score.self_points:
                    score.appraised_points, score.appraised_round = lower, 1
            changed.append(score)
        ensure_inputs(assessment)
    LeafScore.objects.bulk_update(changed, ["self_points", "appraised_points", "appraised_round"], batch_size=2000)
    rnd.assessments.update(status=Assessment.Status.SUBMITTED, submitted_at=submitted_at)
    AssessmentRound.objects.filter(pk=rnd.pk).update(
        status=AssessmentRound.Status.PUBLISHED, round1_released=True, round2_released=True,
        published_on=datetime.date(year + 1, 3, 20), decision=f"Quyết định công bố Chỉ số CCHC năm {year}",
    )
    if stdout is not None:
        stdout.write(f"Chỉ số CCHC năm {year}: {rnd.assessments.count()} đơn vị tự đánh giá, đã thẩm định và công bố.")
    rnd.refresh_from_db()
    return rnd
