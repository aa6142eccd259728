"""Pages of the PAR Index: rounds, a unit's self-assessment (also where appraisers appraise and the
unit explains), results with ranking and charts, the public results and the publication annex."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.history.context import change_context
from cchc.reporting.services import coordinated_provinces, is_coordinator_of
from cchc.scratch import upload_on_disk
from cchc.units.models import Unit

from . import annex, filled_import, services, template_import
from .inputs import source_label
from .models import AppraisalEntry, Assessment, AssessmentRound, ParTemplate
from .results import round_results
from .services import ParError
from .tree import fmt, template_tree, totals

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _round_for(request, pk) -> AssessmentRound:
    return get_object_or_404(services.visible_rounds(request.user).select_related("province"), pk=pk)


def _assessment_for(request, pk) -> Assessment:
    return get_object_or_404(services.visible_assessments(request.user).select_related("round__province", "unit", "template"), pk=pk)


def _error(request, error: ParError) -> None:
    messages.error(request, error.message)
    for detail in error.details[:30]:
        messages.warning(request, detail)


@login_required
def round_list(request):
    rounds = services.visible_rounds(request.user).select_related("province")
    return render(request, "par/round_list.html", {"rounds": rounds, "can_create": bool(coordinated_provinces(request.user))})


@login_required
@require_POST
def round_create(request):
    provinces = coordinated_provinces(request.user)
    if not provinces:
        raise PermissionDenied("Chỉ Sở Nội vụ mới mở được đợt đánh giá Chỉ số CCHC.")
    try:
        year = int(request.POST.get("year", ""))
        deadline = datetime.datetime.strptime(request.POST.get("deadline", ""), "%d/%m/%Y").date()
        cutoff = datetime.datetime.strptime(request.POST.get("cutoff", ""), "%d/%m/%Y").date()
    except ValueError:
        messages.error(request, "Năm, hạn tự đánh giá và ngày chốt số liệu phải đúng dạng (năm: 2025; ngày: 31/12/2025).")
        return redirect("par:rounds")
    services.load_builtin_templates()
    templates = [t for t in (services.template_for(year, kind) for kind in ("department", "commune")) if t]
    if not templates:
        messages.error(request, f"Chưa có bộ tiêu chí Chỉ số CCHC nào áp dụng cho năm {year}.")
        return redirect("par:rounds")
    province = Unit.objects.get(pk=sorted(provinces)[0])
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            rnd = services.open_round(province, year, deadline, cutoff, templates)
    except ParError as error:
        _error(request, error)
        return redirect("par:rounds")
    return redirect(rnd)


@login_required
def round_detail(request, pk):
    rnd = _round_for(request, pk)
    coordinator = is_coordinator_of(request.user, rnd.province_id)
    assessments = services.visible_assessments(request.user).filter(round=rnd).select_related("unit", "template")
    tables = round_results(rnd, previous=False) if coordinator else []
    index = {r.assessment_id: r for t in tables for r in t.rows}
    rows = [(a, index.get(a.pk)) for a in assessments]
    return render(request, "par/round_detail.html", {
        "round": rnd, "rows": rows, "coordinator": coordinator, "next_status": services.NEXT.get(rnd.status),
        "status_labels": dict(AssessmentRound.Status.choices),
    })


@login_required
@require_POST
def round_advance(request, pk):
    rnd = _round_for(request, pk)
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            services.advance(rnd, request.user, decision=request.POST.get("decision", ""))
    except ParError as error:
        _error(request, error)
    return redirect(rnd)


# --- one assessment ------------------------------------------------------------------------------


def _rows(assessment: Assessment, user, area: str | None):
    tree = template_tree(assessment.template)
    scores = {s.code: s for s in assessment.scores.prefetch_related("evidence")}
    inputs = {i.source: i for i in assessment.inputs.all()}
    entries = {}
    for entry in AppraisalEntry.objects.filter(score__assessment=assessment).select_related("user"):
        entries.setdefault(entry.score_id, []).append(entry)
    show_appraisal = services.appraisal_visible(assessment, user)
    rows = []
    for node in tree.rows:
        if area and node.area != area:
            continue
        score = scores.get(node.code)
        row = {"node": node, "score": score, "pad": f"{node.depth * 1.25}rem"}
        if node.is_leaf and score is not None:
            row["inputs"] = [
                {"label": spec.label or spec.name, "source": source_label(spec.source),
                 "value": inputs[spec.source].value if spec.source in inputs else None,
                 "origin": inputs[spec.source].origin if spec.source in inputs else ""}
                for spec in node.input_specs if spec.system
            ]
            row["appraisals"] = entries.get(score.pk, []) if show_appraisal else []
            if node.figure_input is not None:
                row["figure_label"] = node.figure_input.label or node.figure_input.name
                row["figure"] = "" if score.figure is None else fmt(score.figure)
                row["figure_text"] = "" if score.figure is None else (
                    f"{fmt(score.figure)}%" if node.figure_unit == "%" else f"{fmt(score.figure)} ({node.figure_unit})")
            row["can_appraise"] = services.current_appraisal_round(assessment.round) is not None and services.can_appraise(user, assessment, node)
        rows.append(row)
    return tree, scores, rows, show_appraisal


def _totals_context(assessment: Assessment, show_appraisal: bool):
    tree = template_tree(assessment.template)
    scores = list(assessment.scores.all())
    self_totals = totals(tree, {s.code: s.self_points for s in scores})
    current = totals(tree, {s.code: s.points for s in scores}) if show_appraisal else None
    areas = [{"node": a, "self": self_totals.areas[a.code], "current": current.areas[a.code] if current else None} for a in tree.areas]
    return {"self_totals": self_totals, "current_totals": current, "area_totals": areas}


@login_required
def assessment_detail(request, pk):
    assessment = _assessment_for(request, pk)
    with change_context(request=request, origin=f"GET {request.path}"):
        services.ensure_inputs(assessment)
    area = request.GET.get("area") or None
    tree, scores, rows, show_appraisal = _rows(assessment, request.user, area)
    rnd = assessment.round
    context = {
        "assessment": assessment, "round": rnd, "rows": rows, "areas": tree.areas, "area": area,
        "editable": services.self_editable(assessment) is None and services.can_prepare(request.user, assessment),
        "can_submit": services.can_submit(request.user, assessment) and services.self_editable(assessment) is None,
        "can_explain": rnd.status == rnd.Status.EXPLANATION and services.can_prepare(request.user, assessment),
        "can_recompute": is_coordinator_of(request.user, rnd.province_id) and not rnd.is_published,
        "show_appraisal": show_appraisal, "appraising": services.current_appraisal_round(rnd),
        **_totals_context(assessment, show_appraisal),
    }
    return render(request, "par/assessment.html", context)


def _row_response(request, assessment: Assessment, code: str, error: str | None = None):
    _, _, rows, show_appraisal = _rows(assessment, request.user, None)
    row = next(r for r in rows if r["node"].code == code)
    context = {
        "assessment": assessment, "round": assessment.round, "r": row, "error": error, "oob": True,
        "editable": services.self_editable(assessment) is None and services.can_prepare(request.user, assessment),
        "can_explain": assessment.round.status == AssessmentRound.Status.EXPLANATION and services.can_prepare(request.user, assessment),
        "show_appraisal": show_appraisal, "appraising": services.current_appraisal_round(assessment.round),
        **_totals_context(assessment, show_appraisal),
    }
    return render(request, "par/_leaf_row.html", context)


def _evidence_file(request):
    upload = request.FILES.get("evidence_file")
    if upload is None:
        return None, ""
    try:
        return upload, check_upload(upload, upload.name, max_bytes=MAX_EVIDENCE_BYTES)
    except UploadRejected as rejected:
        raise ParError(str(rejected)) from None


@login_required
@require_POST
def score_save(request, pk, code):
    assessment = _assessment_for(request, pk)
    error = None
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            services.leaf_of(assessment, code)
            upload, kind = _evidence_file(request)
            score = services.save_self_score(assessment, code, request.POST.get("points", ""), note=request.POST.get("note", ""), user=request.user,
                                             figure=request.POST.get("figure", ""))
            services.add_evidence(score, reference=request.POST.get("reference", "").strip(), link=request.POST.get("link", "").strip(), file=upload, file_kind=kind)
    except ParError as refused:
        error = refused.message if refused.message.startswith("Tiêu chí") else f"Tiêu chí {code}: {refused.message}"
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(assessment)
    return _row_response(request, assessment, code, error)


@login_required
@require_POST
def appraise(request, pk, code):
    assessment = _assessment_for(request, pk)
    error = None
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            services.appraise(assessment, code, request.user, points=request.POST.get("points", ""),
                              accept=request.POST.get("accept") == "1", reason=request.POST.get("reason", ""))
    except ParError as refused:
        if "thẩm định được tiêu chí" in refused.message:
            raise PermissionDenied(refused.message) from None
        error = refused.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(assessment)
    return _row_response(request, assessment, code, error)


@login_required
@require_POST
def explain(request, pk, code):
    assessment = _assessment_for(request, pk)
    error = None
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            services.explain(assessment, code, request.user, request.POST.get("reply", ""),
                             reference=request.POST.get("reference", "").strip(), link=request.POST.get("link", "").strip())
    except ParError as refused:
        error = refused.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(assessment)
    return _row_response(request, assessment, code, error)


@login_required
@require_POST
def assessment_submit(request, pk):
    assessment = _assessment_for(request, pk)
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            services.submit(assessment, request.user)
        messages.success(request, "Đã gửi bản tự đánh giá.")
    except ParError as error:
        _error(request, error)
    return redirect(assessment)


@login_required
@require_POST
def assessment_recompute(request, pk):
    assessment = _assessment_for(request, pk)
    if not is_coordinator_of(request.user, assessment.round.province_id) or assessment.round.is_published:
        raise PermissionDenied("Chỉ Sở Nội vụ tính lại được số liệu tự động, trước khi công bố.")
    with change_context(request=request, origin=f"POST {request.path} (Tính lại)"):
        services.take_inputs(assessment)
    messages.success(request, f"Đã tính lại số liệu tự động tính đến ngày {assessment.round.cutoff:%d/%m/%Y}.")
    return redirect(assessment)


# --- results -------------------------------------------------------------------------------------


def _results_context(rnd: AssessmentRound):
    tables = round_results(rnd)
    charts = []
    for number, table in enumerate(tables):
        codes = [a.code for a in table.tree.areas]
        for row in table.rows:  # each row's cells made here once: the template engine would loop per cell
            change = "" if row.change is None else ("+" if row.change > 0 else "") + fmt(row.change)
            against = f"so với {', '.join(row.compared_with)} (trước sáp nhập)" if row.compared_with else ""
            row.html = format_html(
                '<tr><td>{}</td><td>{}</td>{}<td class="text-end fw-semibold">{}</td><td class="text-end">{}</td>'
                '<td>{}</td><td class="text-end"{}>{}{}</td></tr>', row.rank, row.unit_name,
                format_html_join("", '<td class="text-end">{}</td>', ((fmt(row.areas[c]),) for c in codes)),
                fmt(row.points), fmt(row.index), (row.group or {}).get("label", "") or "",
                format_html(' title="{}"', against) if against else "", change,
                format_html('<span class="visually-hidden"> ({})</span>', against) if against else "")
        average = table.average()
        charts.append({
            "id": f"chart-{number}",
            "labels": [r.unit_name for r in table.rows],
            "values": [float(r.index) for r in table.rows],
            "areas": [a.name.capitalize()[:40] for a in table.tree.areas],
            "average": [float(average[a.code] / a.max * 100) if a.max else 0 for a in table.tree.areas],
            "profiles": {r.unit_name: [float(r.areas[a.code] / a.max * 100) if a.max else 0 for a in table.tree.areas] for r in table.rows},
        })
    return {"round": rnd, "tables": tables, "charts": charts}


@login_required
def results(request, pk):
    rnd = _round_for(request, pk)
    if not (rnd.is_published or is_coordinator_of(request.user, rnd.province_id)):
        raise Http404("Kết quả chưa công bố.")
    return render(request, "par/results.html", {**_results_context(rnd), "public": False})


def public_results(request, pk):
    rnd = get_object_or_404(AssessmentRound.objects.select_related("province"), pk=pk, status=AssessmentRound.Status.PUBLISHED)
    return render(request, "par/results.html", {**_results_context(rnd), "public": True})


def _annex_round(request, pk) -> AssessmentRound:
    rnd = get_object_or_404(AssessmentRound.objects.select_related("province"), pk=pk)
    if not (rnd.is_published or is_coordinator_of(request.user, rnd.province_id)):
        raise Http404("Kết quả chưa công bố.")
    return rnd


def annex_xlsx(request, pk):
    rnd = _annex_round(request, pk)
    response = HttpResponse(annex.annex_xlsx(rnd, round_results(rnd, previous=False)), content_type=annex.XLSX)
    response["Content-Disposition"] = f'attachment; filename="phu-luc-chi-so-cchc-{rnd.year}.xlsx"'
    return response


def annex_docx(request, pk):
    rnd = _annex_round(request, pk)
    response = HttpResponse(annex.annex_docx(rnd, round_results(rnd, previous=False)), content_type=annex.DOCX)
    response["Content-Disposition"] = f'attachment; filename="phu-luc-chi-so-cchc-{rnd.year}.docx"'
    return response



# --- a filled self-assessment file ---------------------------------------------------------------


def _importable(request, assessment: Assessment) -> None:
    if not services.can_prepare(request.user, assessment):
        raise PermissionDenied("Bạn không có quyền tự đánh giá cho đơn vị này.")


@login_required
@require_POST
def filled_upload(request, pk):
    """Read an uploaded .docx/.xlsx self-assessment and show what it would change, for review."""
    assessment = _assessment_for(request, pk)
    _importable(request, assessment)
    upload = request.FILES.get("filled")
    try:
        reason = services.self_editable(assessment)
        if reason:
            raise ParError(reason)
        if upload is None:
            raise ParError("Chưa chọn tệp tự đánh giá (.docx hoặc .xlsx).")
        try:
            kind = check_upload(upload, upload.name, max_bytes=MAX_EVIDENCE_BYTES)
        except UploadRejected as rejected:
            raise ParError(str(rejected)) from None
        if kind not in ("docx", "xlsx"):
            raise ParError(f"Tệp “{upload.name}”: chỉ đọc được bản tự đánh giá dạng .docx hoặc .xlsx.")
        with upload_on_disk(upload, f"filled.{kind}") as path:
            review = filled_import.preview(assessment, path, shown_name=upload.name)
    except ParError as error:
        _error(request, error)
        return redirect(assessment)
    context = {"assessment": assessment, "round": assessment.round, "review": review, "token": review.token(assessment)}
    return render(request, "par/filled_review.html", context)


@login_required
@require_POST
def filled_confirm(request, pk):
    assessment = _assessment_for(request, pk)
    _importable(request, assessment)
    try:
        source, scores = filled_import.scores_from_token(assessment, request.POST.get("token", ""))
        with change_context(request=request, origin=f"POST {request.path} (nhập tệp {source})"):
            count = filled_import.apply(assessment, scores, request.user)
        messages.success(request, f"Đã nhập {count} điểm tự đánh giá từ tệp “{source}”.")
    except ParError as error:
        _error(request, error)
    return redirect(assessment)


# --- criteria sets imported from their published document ------------------------------------------


def _coordinator(request) -> None:
    if not coordinated_provinces(request.user):
        raise PermissionDenied("Chỉ Sở Nội vụ mới nhập và duyệt được bộ tiêu chí.")


def _importing_province(request) -> int | None:
    provinces = coordinated_provinces(request.user)
    return next(iter(provinces)) if len(provinces) == 1 else None  # a superuser's draft is everyone's


def _visible(request, template: ParTemplate) -> bool:
    """Approved sets are every province's reference data; a draft is its importing province's."""
    if template.status != ParTemplate.Status.DRAFT:
        return True
    return (template.review or {}).get("province_id") in (None, *coordinated_provinces(request.user))


def _template(request, pk) -> ParTemplate:
    _coordinator(request)
    template = get_object_or_404(ParTemplate, pk=pk)
    if not _visible(request, template):
        raise Http404
    return template


@login_required
def template_list(request):
    _coordinator(request)
    templates = [t for t in ParTemplate.objects.order_by("status", "-year", "unit_type", "key") if _visible(request, t)]
    return render(request, "par/template_list.html", {"templates": templates, "unit_types": template_import.UNIT_TYPES})


@login_required
@require_POST
def template_upload(request):
    _coordinator(request)
    upload = request.FILES.get("document")
    try:
        if upload is None:
            raise ParError("Chưa chọn văn bản bộ tiêu chí (.docx hoặc .pdf).")
        try:
            check_upload(upload, upload.name, max_bytes=MAX_EVIDENCE_BYTES)
        except UploadRejected as rejected:
            raise ParError(str(rejected)) from None
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            raise ParError("Năm áp dụng phải là số (ví dụ: 2026).") from None
        suffix = Path(upload.name).suffix.lower()
        with upload_on_disk(upload, f"document{suffix}") as path:
            with change_context(request=request, origin=f"POST {request.path} (nhập {upload.name})"):
                template = template_import.import_document(
                    path, upload.name, key=request.POST.get("key", ""), unit_type=request.POST.get("unit_type", ""),
                    year=year, name=request.POST.get("name", "").strip(), appraiser=request.POST.get("appraiser", "").strip(),
                    province_id=_importing_province(request))
    except ParError as error:
        _error(request, error)
        return redirect("par:templates")
    messages.success(request, f"Đã đọc “{upload.name}”: hãy xem lại và xác nhận quy tắc của từng tiêu chí.")
    return redirect("par:template_review", pk=template.pk)


@login_required
def template_review(request, pk):
    template = _template(request, pk)
    rows = template_import.review_rows(template)
    return render(request, "par/template_review.html", {
        "template": template, "rows": rows, "findings": template.review.get("findings", []),
        "confirmed": sum(1 for r in rows if r["confirmed"]), "draft": template.status == ParTemplate.Status.DRAFT,
    })


@login_required
@require_POST
def template_confirm(request, pk, code):
    template = _template(request, pk)
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            template_import.confirm_leaf(template, code, request.POST.get("rule", ""))
        messages.success(request, f"Đã xác nhận quy tắc của tiêu chí {code}.")
    except ParError as error:
        _error(request, error)
    return redirect(f"{reverse('par:template_review', args=[pk])}#leaf-{code.replace('.', '-')}")


@login_required
@require_POST
def template_approve(request, pk):
    template = _template(request, pk)
    try:
        with change_context(request=request, origin=f"POST {request.path}"):
            template_import.approve(template)
        messages.success(request, f"Đã duyệt bộ tiêu chí {template.key}; các đợt đánh giá năm {template.year} dùng được bộ này.")
    except ParError as error:
        _error(request, error)
    return redirect("par:template_review", pk=pk)
