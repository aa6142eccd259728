"""Demo data of the PAR Index (called by `cchc load-demo` after the plans and surveys):

* last year's assessment of the province's departments and communes, published: every unit scored
  itself with evidence, the Sở Nội vụ cut a share of the leaves in round 1, units explained, round 2
  gave part of it back, and the ranking is public, so that the results, the charts and the drafting
  of next year's plan from lost points all have something to show;
* this year's round, open for self-assessment from October on, with the demo commune (Kiên Thọ)
  half way through its own, so that its login has a self-assessment to finish and submit.

Written in bulk: demo data, not a person's change, so it has no change history (as the simulated
progress of `load-demo`).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.core.docref import parse_document_ref
from cchc.dbutils import update_grouped
from cchc.units.models import Unit

from .models import AppraisalEntry, Assessment, AssessmentRound, LeafScore, ScoreEvidence
from .services import HOME_AFFAIRS, ensure_inputs, load_builtin_templates, open_round, template_for
from .tree import check_points, template_tree

PROVINCE, COORDINATOR, DEMO_COMMUNE = "38", "sonoivu", "38.15112"
STEP = Decimal("0.25")
CUT, GIVEN_BACK = 0.25, 0.5  # share of the scored leaves cut in round 1; share of those explained and given back


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


def evidence_for(score: LeafScore, year: int, n: int) -> ScoreEvidence:
    day = datetime.date(year, 1 + n % 11, 1 + n % 27)
    reference = f"Báo cáo số {10 + n % 190}/BC-UBND ngày {day:%d/%m/%Y}"
    ref = parse_document_ref(reference)
    return ScoreEvidence(score=score, reference=reference, doc_kind=ref.kind or "", doc_number=ref.number or "",
                         doc_symbol=ref.symbol or "", doc_date=ref.issued_on)


def self_assess(assessment: Assessment, rng: random.Random, quality: float, *, share: float = 1.0):
    """Scores (with evidence) of the first `share` of the unit's typed leaves; returns (scores, evidence)."""
    tree = template_tree(assessment.template)
    scores = list(assessment.scores.filter(auto=False).order_by("pk"))
    scores = scores[: round(len(scores) * share)]
    evidence = []
    for n, score in enumerate(scores):
        score.self_points = points_for(tree.node(score.code), quality, rng)
        if score.self_points > 0:
            evidence.append(evidence_for(score, assessment.round.year, assessment.unit_id + n))
    return scores, evidence


def appraise_in_bulk(scores: list[LeafScore], tree, coordinator, rng: random.Random) -> list[AppraisalEntry]:
    """Round 1 cuts a share of the claimed leaves; half of those are explained and round 2 gives part back."""
    entries = []
    for score in scores:
        if not score.self_points or rng.random() >= CUT:
            continue
        node = tree.node(score.code)
        lower = points_for(node, 0.0, rng)
        if lower >= score.self_points:
            continue
        entries.append(AppraisalEntry(score=score, round=1, points=lower, reason="Tài liệu kiểm chứng chưa đầy đủ.",
                                      appraiser=HOME_AFFAIRS, user=coordinator))
        score.appraised_points, score.appraised_round = lower, 1
        if rng.random() < GIVEN_BACK:
            score.reply = "Đơn vị bổ sung văn bản kiểm chứng còn thiếu (đính kèm)."
            entries.append(AppraisalEntry(score=score, round=2, points=score.self_points, accepted=True,
                                          reason="Đã bổ sung tài liệu kiểm chứng.", appraiser=HOME_AFFAIRS, user=coordinator))
            score.appraised_points, score.appraised_round = score.self_points, 2
    return entries


def published_round(province: Unit, year: int, templates, coordinator) -> AssessmentRound:
    rnd = open_round(province, year, deadline=datetime.date(year, 12, 15), cutoff=datetime.date(year, 11, 30),
                     templates=templates, title=f"Đánh giá Chỉ số CCHC năm {year} của các sở, ngành và UBND cấp xã")
    rng = random.Random(year)
    changed, evidence, entries = [], [], []
    for assessment in rnd.assessments.select_related("template", "round").order_by("unit__code"):
        scores, found = self_assess(assessment, rng, rng.uniform(0.55, 0.95))
        entries += appraise_in_bulk(scores, template_tree(assessment.template), coordinator, rng)
        changed += scores
        evidence += found
        ensure_inputs(assessment)
    # ~14,000 scores but ~50 distinct value combinations: one UPDATE per combination, not a CASE per row.
    update_grouped(LeafScore, changed, ["self_points", "appraised_points", "appraised_round", "reply"])
    ScoreEvidence.objects.bulk_create(evidence, batch_size=2000)
    AppraisalEntry.objects.bulk_create(entries, batch_size=2000)
    submitted, explained = (datetime.datetime(year, 12, d, 9, tzinfo=datetime.UTC) for d in (12, 28))
    rnd.assessments.update(status=Assessment.Status.SUBMITTED, submitted_at=submitted, explained_at=explained)
    AssessmentRound.objects.filter(pk=rnd.pk).update(
        status=AssessmentRound.Status.PUBLISHED, round1_released=True, round2_released=True,
        published_on=datetime.date(year + 1, 3, 20), decision=f"Quyết định công bố Chỉ số CCHC năm {year}",
    )
    rnd.refresh_from_db()
    return rnd


def open_current_round(province: Unit, year: int, templates) -> AssessmentRound:
    rnd = open_round(province, year, deadline=datetime.date(year, 12, 15), cutoff=datetime.date(year, 11, 30),
                     templates=templates, title=f"Đánh giá Chỉ số CCHC năm {year}")
    own = rnd.assessments.select_related("template", "round").filter(unit__code=DEMO_COMMUNE).first()
    if own is not None:
        scores, evidence = self_assess(own, random.Random(year), 0.8, share=0.5)
        LeafScore.objects.bulk_update(scores, ["self_points"])
        ScoreEvidence.objects.bulk_create(evidence)
        ensure_inputs(own)
    return rnd


@transaction.atomic
def load(today: datetime.date, stdout=None) -> AssessmentRound | None:
    """Last year's published round (and, from October, this year's open one); None if loaded already."""
    year = today.year - 1
    province = Unit.objects.get(code=PROVINCE)
    if AssessmentRound.objects.filter(province=province, year=year).exists():
        return None
    load_builtin_templates()
    templates = [t for t in (template_for(year, "department"), template_for(year, "commune")) if t is not None]
    if not templates:
        return None
    coordinator = get_user_model().objects.get(username=COORDINATOR)
    rnd = published_round(province, year, templates, coordinator)
    if stdout is not None:
        stdout.write(f"Chỉ số CCHC năm {year}: {rnd.assessments.count()} đơn vị tự đánh giá, thẩm định hai vòng, đã công bố.")
    if today.month >= 10 and not AssessmentRound.objects.filter(province=province, year=today.year).exists():
        current = open_current_round(province, today.year, templates)
        if stdout is not None:
            stdout.write(f"Chỉ số CCHC năm {today.year}: đang tự đánh giá, hạn {current.deadline:%d/%m/%Y}.")
    return rnd
