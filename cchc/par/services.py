"""The PAR Index workflow: who sees and does what, templates, self-scores with evidence, auto inputs,
appraisal rounds, explanations and results. Pages and the API call these, so they always agree;
what a person must read is a `ParError` with a Vietnamese message naming the leaf."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.accounts.models import Membership
from cchc.accounts.scope import EDITING_ROLES, scope_for
from cchc.core.docref import parse_document_ref
from cchc.core.par import ScoreError
from cchc.core.statforms.numbers import VNNumberError, parse_vn_number
from cchc.core.text import fold
from cchc.history.bulk import record_bulk
from cchc.history.models import ObjectChange
from cchc.reporting.services import coordinated_provinces, is_coordinator_of
from cchc.today import today as business_today
from cchc.units.models import Unit

from . import inputs as auto_inputs
from .models import (
    AppraisalEntry,
    Assessment,
    AssessmentRound,
    InputSnapshot,
    LeafScore,
    ParTemplate,
    ScoreEvidence,
)
from .tree import Node, check_points, evaluate, points_from_figure, template_tree

HOME_AFFAIRS = "Sở Nội vụ"


class ParError(Exception):
    def __init__(self, message: str, details=()):
        self.message = message
        self.details = list(details)
        super().__init__(message)


# --- templates -------------------------------------------------------------------------------------


def builtin_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "par"


def store_template(definition: dict) -> ParTemplate:
    """Create or refresh the stored version of a template definition (keyed by its key)."""
    template, _ = ParTemplate.objects.update_or_create(
        key=definition["key"],
        defaults={
            "name": definition.get("name", definition["key"]), "year": int(definition["year"]),
            "unit_type": definition["unit_type"], "decision": definition.get("decision", ""), "definition": definition,
        },
    )
    return template


def load_builtin_templates() -> list[ParTemplate]:
    """Every ``cchc/data/par/*.json`` stored (on demand: the demo, the round form)."""
    folder = builtin_dir()
    return [store_template(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def template_for(year: int, unit_type: str) -> ParTemplate | None:
    """The template of the unit type for the year: that year's, else the latest before it."""
    return (ParTemplate.objects.filter(unit_type=unit_type, year__lte=year, status=ParTemplate.Status.ACTIVE)
            .order_by("-year", "key").first())


# --- who sees and does what ------------------------------------------------------------------------


def appraiser_units(user) -> dict[int, set[str]]:
    """Per province, the folded names of the bodies (departments) the user appraises for."""
    if not (user and user.is_authenticated):
        return {}
    cached = getattr(user, "_cchc_par_appraiser", None)
    if cached is None:
        cached = defaultdict(set)
        memberships = Membership.objects.filter(user=user, role__in=EDITING_ROLES).select_related("unit")
        for membership in memberships:
            province = membership.unit.province()
            if province is not None:
                cached[province.pk].add(fold(membership.unit.name))
        user._cchc_par_appraiser = cached
    return cached


def is_appraiser_body(user, province_id: int, appraiser: str) -> bool:
    return bool(appraiser) and fold(appraiser) in appraiser_units(user).get(province_id, set())


def visible_rounds(user) -> QuerySet:
    scope = scope_for(user)
    if scope.everything:
        return AssessmentRound.objects.all()
    return AssessmentRound.objects.filter(
        Q(province__in=coordinated_provinces(user)) | Q(assessments__unit__in=scope.view) | Q(province__in=appraiser_units(user).keys())
    ).distinct()


def visible_assessments(user) -> QuerySet:
    """The user's own units' assessments; a coordinator's province; an appraiser body's province
    once self-assessment is over. Anything else is a 404. Published results are public pages."""
    scope = scope_for(user)
    assessments = Assessment.objects.all()
    if scope.everything:
        return assessments
    appraised = [p for p in appraiser_units(user).keys()]
    return assessments.filter(
        Q(unit__in=scope.view)
        | Q(round__province__in=coordinated_provinces(user))
        | (Q(round__province__in=appraised) & ~Q(round__status=AssessmentRound.Status.OPEN))
    )


def can_prepare(user, assessment: Assessment) -> bool:
    return scope_for(user).can_edit(assessment.unit_id)


def can_submit(user, assessment: Assessment) -> bool:
    return scope_for(user).can_manage(assessment.unit_id)


def can_appraise(user, assessment: Assessment, node: Node) -> bool:
    """The province's coordinator (Sở Nội vụ) appraises every leaf; a body the template names
    as the leaf's appraiser only that leaf."""
    province_id = assessment.round.province_id
    return is_coordinator_of(user, province_id) or is_appraiser_body(user, province_id, node.appraiser)


def appraisal_visible(assessment: Assessment, user) -> bool:
    """A unit sees its appraisal once round 1 is released; the appraisers while they work."""
    rnd = assessment.round
    if is_coordinator_of(user, rnd.province_id):
        return True
    if scope_for(user).can_view(assessment.unit_id):
        return rnd.round1_released or rnd.is_published
    return rnd.status != rnd.Status.OPEN


# --- rounds and assessments -------------------------------------------------------------------------


@transaction.atomic
def open_round(province: Unit, year: int, deadline: datetime.date, cutoff: datetime.date, templates: list[ParTemplate], title: str = "") -> AssessmentRound:
    """A round and one assessment (with its leaf rows) for every unit of the templates' types."""
    if AssessmentRound.objects.filter(province=province, year=year).exists():
        raise ParError(f"Tỉnh đã có đợt đánh giá Chỉ số CCHC năm {year}.")
    rnd = AssessmentRound.objects.create(province=province, year=year, deadline=deadline, cutoff=cutoff, title=title)
    rnd.templates.set(templates)
    by_type = {t.unit_type: t for t in templates}
    units = Unit.objects.filter(pk__in=Unit.objects.subtree_ids(province), kind__in=by_type).valid_on(cutoff)
    created = Assessment.objects.bulk_create([Assessment(round=rnd, unit=u, template=by_type[u.kind]) for u in units])
    record_bulk(created, ObjectChange.Action.CREATE)
    rows = []
    for assessment in created:
        tree = template_tree(assessment.template)
        rows += [LeafScore(assessment=assessment, code=n.code, area=n.area, auto=n.computed) for n in tree.leaves]
    record_bulk(LeafScore.objects.bulk_create(rows, batch_size=2000), ObjectChange.Action.CREATE)
    return rnd


def leaf_of(assessment: Assessment, code: str) -> Node:
    node = template_tree(assessment.template).node(code)
    if node is None or not node.is_leaf:
        raise ParError(f"Không có tiêu chí {code} trong bộ tiêu chí {assessment.template.key}.")
    return node


def parse_points(text, node: Node) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    if isinstance(text, Decimal | int):
        return Decimal(text)
    try:
        return parse_vn_number(str(text).strip())
    except (VNNumberError, InvalidOperation, ValueError):
        raise ParError(f"Tiêu chí {node.code} ({node.name}): “{text}” không phải là số điểm.") from None


def self_editable(assessment: Assessment, today: datetime.date | None = None) -> str | None:
    """None when the self-assessment can still change, else why not."""
    today = today or business_today()
    if assessment.status != Assessment.Status.DRAFT:
        return "Bản tự đánh giá đã gửi, không sửa được nữa."
    if assessment.round.status != AssessmentRound.Status.OPEN:
        return "Đợt đánh giá đã chuyển sang thẩm định."
    if today > assessment.round.deadline:
        return f"Đã quá hạn tự đánh giá ({assessment.round.deadline:%d/%m/%Y})."
    return None


def parse_figure(text, node: Node) -> Decimal | None:
    """The unit's figure of a band leaf (Vietnamese notation: 17,5 / 1.234), None when blank."""
    if text is None or str(text).strip() == "":
        return None
    where = f"Tiêu chí {node.code} ({node.name})"
    if node.figure_input is None:
        raise ParError(f"{where}: tiêu chí này không chấm theo số liệu đơn vị nhập; nhập điểm.")
    if isinstance(text, Decimal | int):
        return Decimal(text)
    text = str(text).strip().removesuffix("%").strip()
    try:
        value = parse_vn_number(text)
    except (VNNumberError, InvalidOperation, ValueError):
        raise ParError(f"{where}: “{text}” không phải là số liệu ({node.figure_unit}).") from None
    if not value.is_finite():
        raise ParError(f"{where}: “{text}” không phải là số liệu ({node.figure_unit}).")
    return value


@transaction.atomic
def save_self_score(assessment: Assessment, code: str, points, note: str | None = None, user=None, figure=None) -> LeafScore:
    """The unit's self-score of a leaf. For a band leaf whose figure only the unit holds the unit
    may type the figure instead of the points (``figure``): the points follow from the leaf's bands
    and the figure is kept beside them; typing points directly clears a figure typed before."""
    if user is not None and not can_prepare(user, assessment):
        raise ParError("Bạn không có quyền tự đánh giá cho đơn vị này.")
    template = assessment.template
    assessment = Assessment.objects.select_for_update().select_related("round").get(pk=assessment.pk)
    assessment.template = template
    reason = self_editable(assessment)
    if reason:
        raise ParError(reason)
    node = leaf_of(assessment, code)
    figure_value = parse_figure(figure, node)
    if figure_value is not None:
        try:
            value = points_from_figure(node, figure_value)
        except ScoreError as error:
            raise ParError(f"Tiêu chí {node.code} ({node.name}): {error}.") from None
    else:
        value = parse_points(points, node)
    if value is not None:
        message = check_points(node, value)
        if message:
            raise ParError(message)
    score = LeafScore.objects.select_for_update().get(assessment=assessment, code=code)
    score.self_points = value
    score.figure = figure_value
    if note is not None:
        score.note = note
    score.save()
    return score


def add_evidence(score: LeafScore, *, reference: str = "", link: str = "", file=None, file_kind: str = "", stage: str = ScoreEvidence.Stage.SELF) -> ScoreEvidence | None:
    if not (reference or link or file):
        return None
    ref = parse_document_ref(reference) if reference else None
    return ScoreEvidence.objects.create(
        score=score, stage=stage, reference=reference, link=link, file=file or "", file_kind=file_kind,
        doc_kind=(ref.kind or "") if ref else "", doc_number=(ref.number or "") if ref else "",
        doc_symbol=(ref.symbol or "") if ref else "", doc_date=ref.issued_on if ref else None,
    )


@transaction.atomic
def submit(assessment: Assessment, user) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("round").get(pk=assessment.pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        return assessment  # a double submit is harmless
    if not can_submit(user, assessment):
        raise ParError("Chỉ lãnh đạo đơn vị mới gửi được bản tự đánh giá; cán bộ cập nhật chỉ chuẩn bị.")
    reason = self_editable(assessment)
    if reason:
        raise ParError(reason)
    tree = template_tree(assessment.template)
    scores = {s.code: s for s in assessment.scores.all()}
    missing = [f"Tiêu chí {n.code} ({n.name}) chưa có điểm tự đánh giá." for n in tree.leaves if not n.computed and scores[n.code].self_points is None]
    if missing:
        raise ParError("Chưa gửi được: còn tiêu chí chưa chấm.", missing)
    assessment.status, assessment.submitted_at, assessment.submitted_by = Assessment.Status.SUBMITTED, timezone.now(), user
    assessment.save()
    return assessment


# --- auto inputs -----------------------------------------------------------------------------------


@transaction.atomic
def take_inputs(assessment: Assessment, *, now: datetime.datetime | None = None) -> list[InputSnapshot]:
    """Snapshot the figures of the computed leaves at the round's cut-off and score those leaves.
    Called when the assessment is first shown and by the explicit "Tính lại" (both change-logged)."""
    now = now or timezone.now()
    rnd = assessment.round
    tree = template_tree(assessment.template)
    sources = {s for n in tree.leaves if n.computed for s in n.sources}
    figures = auto_inputs.figures_for(assessment.unit_id, rnd.province_id, rnd.year, rnd.cutoff, sources)
    snapshots = []
    for source, figure in figures.items():
        snap, _ = InputSnapshot.objects.update_or_create(
            assessment=assessment, source=source,
            defaults={"value": figure.value, "origin": figure.origin, "as_of": rnd.cutoff, "taken_at": now},
        )
        snapshots.append(snap)
    values = {s.source: s.value for s in snapshots}
    for score in assessment.scores.filter(auto=True):
        points = evaluate(tree.node(score.code), values)
        if points != score.self_points:
            score.self_points = points
            score.save()
    assessment.inputs_taken_at = now
    assessment.save(update_fields=["inputs_taken_at"])
    return snapshots


def ensure_inputs(assessment: Assessment) -> None:
    if assessment.inputs_taken_at is None and assessment.scores.filter(auto=True).exists():
        take_inputs(assessment)


# --- appraisal -------------------------------------------------------------------------------------


def current_appraisal_round(rnd: AssessmentRound) -> int | None:
    return {
        AssessmentRound.Status.ROUND1: AppraisalEntry.Round.FIRST,
        AssessmentRound.Status.ROUND2: AppraisalEntry.Round.SECOND,
        AssessmentRound.Status.FINAL: AppraisalEntry.Round.COUNCIL,
    }.get(rnd.status)


@transaction.atomic
def appraise(assessment: Assessment, code: str, user, *, points=None, accept: bool = False, reason: str = "") -> AppraisalEntry:
    assessment.round = AssessmentRound.objects.get(pk=assessment.round_id)
    node = leaf_of(assessment, code)
    if not can_appraise(user, assessment, node):
        raise ParError(f"Tiêu chí {node.code} ({node.name}) do {node.appraiser or HOME_AFFAIRS} thẩm định; bạn không thẩm định được tiêu chí này.")
    round_no = current_appraisal_round(assessment.round)
    if round_no is None:
        raise ParError("Đợt đánh giá không ở giai đoạn thẩm định.")
    score = LeafScore.objects.select_for_update().get(assessment=assessment, code=code)
    if accept:
        value = score.points if score.points is not None else Decimal(0)
    else:
        value = parse_points(points, node)
        if value is None:
            raise ParError(f"Tiêu chí {node.code} ({node.name}): nhập điểm thẩm định hoặc chọn giữ điểm tự đánh giá.")
        if value < 0 or value > node.max:
            raise ParError(f"Tiêu chí {node.code} ({node.name}): điểm thẩm định phải từ 0 đến {node.max.normalize()}.")
        if value != score.points and not reason.strip():
            raise ParError(f"Tiêu chí {node.code} ({node.name}): điều chỉnh điểm phải nêu lý do.")
    body = HOME_AFFAIRS if is_coordinator_of(user, assessment.round.province_id) else node.appraiser
    entry = AppraisalEntry.objects.create(score=score, round=round_no, points=value, accepted=accept, reason=reason.strip(), appraiser=body, user=user)
    score.appraised_points, score.appraised_round = value, round_no
    score.save()
    return entry


@transaction.atomic
def explain(assessment: Assessment, code: str, user, reply: str, reference: str = "", link: str = "") -> LeafScore:
    """The unit's giải trình on one leaf after round 1 is released, with new evidence."""
    if not can_prepare(user, assessment):
        raise ParError("Bạn không có quyền giải trình cho đơn vị này.")
    rnd = assessment.round = AssessmentRound.objects.get(pk=assessment.round_id)
    if rnd.status != AssessmentRound.Status.EXPLANATION or not rnd.round1_released:
        raise ParError("Chỉ giải trình được sau khi có kết quả thẩm định vòng 1 và trước vòng 2.")
    node = leaf_of(assessment, code)
    if not reply.strip():
        raise ParError(f"Tiêu chí {node.code} ({node.name}): nhập nội dung giải trình.")
    score = LeafScore.objects.select_for_update().get(assessment=assessment, code=code)
    score.reply = reply.strip()
    score.save()
    add_evidence(score, reference=reference, link=link, stage=ScoreEvidence.Stage.EXPLANATION)
    return score


NEXT = {
    AssessmentRound.Status.OPEN: AssessmentRound.Status.ROUND1,
    AssessmentRound.Status.ROUND1: AssessmentRound.Status.EXPLANATION,
    AssessmentRound.Status.EXPLANATION: AssessmentRound.Status.ROUND2,
    AssessmentRound.Status.ROUND2: AssessmentRound.Status.FINAL,
    AssessmentRound.Status.FINAL: AssessmentRound.Status.PUBLISHED,
}


@transaction.atomic
def advance(rnd: AssessmentRound, user, *, decision: str = "", today: datetime.date | None = None) -> AssessmentRound:
    """The coordinator moves the round on; leaving round 1 releases it to the units, leaving
    round 2 releases that, publishing stamps the date."""
    if not is_coordinator_of(user, rnd.province_id):
        raise ParError("Chỉ Sở Nội vụ (điều phối CCHC của tỉnh) chuyển được giai đoạn của đợt đánh giá.")
    rnd = AssessmentRound.objects.select_for_update().get(pk=rnd.pk)
    following = NEXT.get(rnd.status)
    if following is None:
        raise ParError("Đợt đánh giá đã công bố.")
    if following == AssessmentRound.Status.ROUND1:
        for assessment in rnd.assessments.filter(inputs_taken_at__isnull=True):
            ensure_inputs(assessment)
    if following == AssessmentRound.Status.EXPLANATION:
        rnd.round1_released = True
    if following == AssessmentRound.Status.FINAL:
        rnd.round2_released = True
    if following == AssessmentRound.Status.PUBLISHED:
        rnd.published_on = today or business_today()
        rnd.decision = decision or rnd.decision
    rnd.status = following
    rnd.save()
    return rnd
