"""Pages of periodic reporting: periods, a unit's entry grid (Biểu mẫu 1–7), the coordinator's
overview, aggregate figures with drill-down, the report and its downloads."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.accounts.models import Membership
from cchc.accounts.scope import scope_for
from cchc.core.statforms import compute, validate
from cchc.history.context import change_context
from cchc.today import today as business_today
from cchc.units.models import Unit

from . import services
from .aggregation import display_value, national_aggregate, period_aggregate, unit_value_display
from .forms import AcknowledgeForm, ImportForm, PeriodForm, ReturnForm
from .models import FormSetVersion, ReportingPeriod, Submission
from .report import build_report, default_sections, section_keys
from .services import ReportingError, display_number, form_set_of
from .workbook import XLSX_CONTENT_TYPE, forms_workbook, printed_stt, unit_cell


def dom_id(code: str) -> str:
    """An id usable in CSS selectors: "3:3.1.2" -> "c3_3-1-2"."""
    return "c" + code.replace(":", "_").replace(".", "-")


def _error(request, error: ReportingError) -> None:
    messages.error(request, error.message)
    for detail in error.details[:20]:
        messages.warning(request, detail)


# --- periods -----------------------------------------------------------------------------------


def _period_for(request, pk) -> ReportingPeriod:
    return get_object_or_404(services.visible_periods(request.user).select_related("province", "form_set"), pk=pk)


def _coordinated_period(request, pk) -> ReportingPeriod:
    period = _period_for(request, pk)
    if not services.is_coordinator_of(request.user, period.province_id):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới thực hiện được thao tác này.")
    return period


@login_required
def period_list(request):
    periods = services.visible_periods(request.user).select_related("province", "form_set")
    can_create = bool(services.coordinated_provinces(request.user))
    return render(request, "reporting/period_list.html", {
        "periods": periods, "can_create": can_create,
        "can_see_country": request.user.has_perm("reporting.view_national_aggregate"),
        "form_sets": FormSetVersion.objects.all(),
    })


@login_required
def period_create(request):
    provinces = services.coordinated_provinces(request.user)
    if not provinces:
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới mở được kỳ báo cáo.")
    initial = {"year": business_today().year, "kind": ReportingPeriod.Kind.H1}
    if len(provinces) == 1:
        initial["province"] = next(iter(provinces))
    from .formsets import current_version

    version = current_version(initial["year"])
    if version:
        initial["form_set"] = version.pk
    form = PeriodForm(request.POST or None, initial=initial, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        with change_context(request=request):
            period = form.save()
        messages.success(request, f"Đã mở kỳ báo cáo {period.label}.")
        return redirect(period)
    return render(request, "reporting/period_form.html", {"form": form, "period": None},
                  status=400 if request.method == "POST" else 200)


@login_required
def period_edit(request, pk):
    period = _coordinated_period(request, pk)
    form = PeriodForm(request.POST or None, instance=period, provinces=services.coordinated_provinces(request.user))
    if request.method == "POST" and form.is_valid():
        with change_context(request=request):
            form.save()
        messages.success(request, "Đã lưu kỳ báo cáo.")
        return redirect(period)
    return render(request, "reporting/period_form.html", {"form": form, "period": period},
                  status=400 if request.method == "POST" else 200)


@login_required
def period_detail(request, pk):
    period = _period_for(request, pk)
    today = business_today()
    rows = services.period_overview(period, request.user, today)
    counts = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    scope = scope_for(request.user)
    member_units = [
        m.unit for m in Membership.objects.filter(user=request.user).select_related("unit")
        if scope.can_edit(m.unit_id)
    ]
    in_province = set(services.expected_units(period).values_list("pk", flat=True))
    my_units = [u for u in member_units if u.pk in in_province]
    coordinator = services.is_coordinator_of(request.user, period.province_id)
    return render(request, "reporting/period_detail.html", {
        "period": period, "rows": rows, "counts": dict(counts), "today": today,
        "states": services.STATE_LABELS, "my_units": my_units, "coordinator": coordinator,
        "can_see_aggregate": coordinator or scope.can_view(period.province_id),
        "late": period.is_late(today),
    })


@login_required
def unit_submission(request, pk, unit_pk):
    """The unit's submission for the period (an empty draft is opened on first visit)."""
    period = _period_for(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    existing = services.visible_submissions(request.user).filter(period=period, unit=unit).first()
    if existing is not None:
        return redirect(existing)
    if not (scope_for(request.user).can_edit(unit.pk) or services.is_coordinator_of(request.user, period.province_id)):
        raise Http404
    try:
        with change_context(request=request):
            submission = services.open_submission(period, unit, request.user)
    except ReportingError as error:
        _error(request, error)
        return redirect(period)
    return redirect(submission)


# --- the entry grid ----------------------------------------------------------------------------


def _submission_for(request, pk) -> Submission:
    return get_object_or_404(
        services.visible_submissions(request.user).select_related("period__province", "period__form_set", "unit"),
        pk=pk,
    )


def _editable_submission(request, pk) -> Submission:
    submission = _submission_for(request, pk)
    if not services.can_edit(request.user, submission):
        raise PermissionDenied("Bạn chỉ được xem, không được sửa báo cáo của đơn vị này.")
    return submission


def _posted_entry(request, form_set):
    raw_values = {k[2:]: v for k, v in request.POST.items() if k.startswith("v-")}
    raw_notes = {k[2:]: v for k, v in request.POST.items() if k.startswith("n-")}
    return services.parse_entry(form_set, raw_values, raw_notes)


def grid_context(submission: Submission, *, values=None, notes=None, texts=None, errors=None, user=None) -> dict:
    form_set = form_set_of(submission)
    stored = services.stored_values(submission) if values is None else values
    notes = services.stored_notes(submission) if notes is None else notes
    texts, errors = texts or {}, errors or {}
    tracked = services.tracked_codes(submission)
    computed = compute(form_set, stored)
    findings = validate(form_set, stored)
    pending = {(f.rule, f.message) for f in services.pending_warnings(submission, findings)}
    acks = {a.rule: a for a in submission.acknowledgements.all()}
    per_code = defaultdict(list)
    for finding in findings:
        per_code[finding.codes[0]].append({
            "finding": finding, "pending": (finding.rule, finding.message) in pending, "ack": acks.get(finding.rule),
        })
    sources = services.stored_sources(submission)
    forms = []
    for form in form_set.forms:
        rows, problems = [], 0
        for code in form.codes:
            row = form_set.rows[code]
            if not row.has_value:
                kind = "group"
            elif code in tracked:
                kind = "tracked"
            elif row.derived:
                kind = "derived"
            else:
                kind = "input"
            if kind == "input":
                text = texts[code] if code in texts else display_number(stored.get(code))
            elif kind == "derived":
                value = computed.get(code)
                text = services.display_row_value(row, value)
            else:
                text = display_number(stored.get(code))
            row_findings = per_code.get(code, [])
            problems += len(row_findings) + (1 if code in errors else 0)
            rows.append({
                "row": row, "code": code, "dom": dom_id(code), "kind": kind, "text": text,
                "stt": printed_stt(row.stt), "unit": unit_cell(row).replace("\n", "; "),
                "note": notes.get(code, ""), "error": errors.get(code), "findings": row_findings,
                "depth": row.stt.count("."), "source": sources.get(code),
                "choices": [(str(c.code), f"{c.label} = {c.code}") for c in row.choices],
            })
        forms.append({"form": form, "rows": rows, "problems": problems})
    error_count = sum(1 for f in findings if f.severity == "error")
    return {
        "submission": submission, "period": submission.period, "form_set": form_set, "forms": forms,
        "findings": findings, "error_count": error_count, "pending_count": len(pending),
        "entry_errors": errors,
        "can_edit": user is not None and services.can_edit(user, submission) and submission.is_editable,
        "can_decide": user is not None and services.can_decide(user, submission),
        "ack_form": AcknowledgeForm(), "return_form": ReturnForm(), "import_form": ImportForm(),
        "statuses": Submission.Status,
    }


@login_required
def submission_detail(request, pk):
    submission = _submission_for(request, pk)
    if request.method == "POST":
        if not services.can_edit(request.user, submission):
            raise PermissionDenied("Bạn chỉ được xem, không được sửa báo cáo của đơn vị này.")
        form_set = form_set_of(submission)
        entry = _posted_entry(request, form_set)
        if entry.errors:
            values = services.stored_values(submission) | {c: v for c, v in entry.values.items() if v is not None}
            context = grid_context(submission, values=values, notes=entry.notes, texts=entry.texts,
                                   errors=entry.errors, user=request.user)
            messages.error(request, f"Chưa lưu: {len(entry.errors)} ô số liệu không đúng, xem các ô tô đỏ.")
            return render(request, "reporting/submission.html", context, status=400)
        try:
            with change_context(request=request):
                services.save_values(submission, entry.values, entry.notes)
                if request.POST.get("action") == "submit":
                    services.submit(submission, request.user)
                    messages.success(request, "Đã gửi báo cáo.")
                else:
                    messages.success(request, "Đã lưu bản nháp.")
        except ReportingError as error:
            _error(request, error)
        return redirect(submission)
    with change_context(request=request):
        services.refresh_tracking(submission)
    return render(request, "reporting/submission.html", grid_context(submission, user=request.user))


@login_required
@require_POST
def submission_compute(request, pk):
    """htmx: the posted (unsaved) grid → recomputed derived cells and findings, swapped in place."""
    submission = _submission_for(request, pk)
    form_set = form_set_of(submission)
    entry = _posted_entry(request, form_set)
    values = services.stored_values(submission)
    for code, value in entry.values.items():
        if value is None:
            values.pop(code, None)
        else:
            values[code] = value
    for code in entry.errors:
        values.pop(code, None)
    context = grid_context(submission, values=values, notes=entry.notes, texts=entry.texts,
                           errors=entry.errors, user=request.user)
    return render(request, "reporting/_grid_live.html", context)


@login_required
@require_POST
def submission_submit(request, pk):
    submission = _editable_submission(request, pk)
    try:
        with change_context(request=request):
            services.submit(submission, request.user)
        messages.success(request, f"Đã gửi báo cáo của {submission.unit}.")
    except ReportingError as error:
        _error(request, error)
    return redirect(submission)


@login_required
@require_POST
def submission_acknowledge(request, pk):
    submission = _editable_submission(request, pk)
    form = AcknowledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise ReportingError("Cần ghi rõ nội dung giải trình cho cảnh báo.")
        with change_context(request=request):
            services.acknowledge(submission, form.cleaned_data["rule"], form.cleaned_data["comment"], request.user)
        messages.success(request, "Đã ghi giải trình.")
    except ReportingError as error:
        _error(request, error)
    return redirect(submission)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def submission_export(request, pk):
    submission = _submission_for(request, pk)
    form_set = form_set_of(submission)
    values = services.stored_values(submission)
    cells = {c: v for c, v in compute(form_set, values).items() if c in form_set.rows}
    content = forms_workbook(
        form_set, cells, services.stored_notes(submission),
        footer=[f"Đơn vị báo cáo: {submission.unit}", f"Kỳ báo cáo: {submission.period.label}"],
    )
    return _xlsx_response(content, f"bieu-mau-{submission.unit.code}-{submission.period.year}-{submission.period.kind}.xlsx")


@login_required
def blank_forms(request, pk):
    version = get_object_or_404(FormSetVersion, pk=pk)
    return _xlsx_response(forms_workbook(version.form_set()), f"bieu-mau-{version.key}.xlsx")


@login_required
@require_POST
def submission_accept(request, pk):
    submission = _submission_for(request, pk)
    if not services.can_decide(request.user, submission):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới tiếp nhận được báo cáo.")
    try:
        with change_context(request=request):
            services.accept(submission, request.user)
        messages.success(request, f"Đã tiếp nhận báo cáo của {submission.unit}.")
    except ReportingError as error:
        _error(request, error)
    return redirect(request.POST.get("next") or submission.period.get_absolute_url())


@login_required
@require_POST
def submission_return(request, pk):
    submission = _submission_for(request, pk)
    if not services.can_decide(request.user, submission):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới trả lại được báo cáo.")
    form = ReturnForm(request.POST)
    try:
        with change_context(request=request):
            services.return_submission(submission, request.user, form.data.get("reason", ""))
        messages.success(request, f"Đã trả lại báo cáo của {submission.unit}.")
    except ReportingError as error:
        _error(request, error)
    return redirect(request.POST.get("next") or submission.period.get_absolute_url())


# --- aggregate, drill-down ---------------------------------------------------------------------


def _aggregate_scope(request, period):
    """The unit whose figures are asked for (?don_vi=, default the province), if the user may see them."""
    wanted = request.GET.get("don_vi", "")
    within = get_object_or_404(Unit, pk=int(wanted)) if wanted.isdigit() else period.province
    coordinator = services.is_coordinator_of(request.user, period.province_id)
    if not (coordinator or scope_for(request.user).can_view(within.pk)):
        raise Http404
    return within


@login_required
def aggregate_view(request, pk):
    period = _period_for(request, pk)
    within = _aggregate_scope(request, period)
    agg = period_aggregate(period, within)
    return render(request, "reporting/aggregate.html", {
        "period": period, "within": within, "agg": agg, "forms": _form_rows(agg),
        "query": f"?don_vi={within.pk}" if within.pk != period.province_id else "",
    })


def _form_rows(agg) -> list[dict]:
    """Each form of the aggregate's form set with its rows as the figures table shows them."""
    forms = []
    for form in agg.form_set.forms:
        rows = []
        for code in form.codes:
            row = agg.form_set.rows[code]
            rows.append({"row": row, "code": code, "text": agg.display(code), "depth": row.stt.count("."),
                         "count": agg.reported(code)})
        forms.append({"form": form, "rows": rows})
    return forms


NATIONAL_KINDS = [k for k in ReportingPeriod.Kind if k != ReportingPeriod.Kind.ADHOC]


@login_required
def national_view(request):
    """Every province's figures for one kind of period and year, for the Ministry's staff."""
    if not request.user.has_perm("reporting.view_national_aggregate"):
        raise PermissionDenied("Chỉ cán bộ được cấp quyền xem số liệu toàn quốc mới xem được trang này.")
    years = sorted(set(ReportingPeriod.objects.values_list("year", flat=True)), reverse=True)
    year_text, kind = request.GET.get("nam", ""), request.GET.get("ky", ReportingPeriod.Kind.H1)
    year = years[0] if years else business_today().year
    if year_text.isdigit() and 2000 <= int(year_text) <= 2100:
        year = int(year_text)
    elif year_text:
        messages.error(request, f"Năm «{year_text}» không hợp lệ: nhập năm từ 2000 đến 2100.")
    if kind not in NATIONAL_KINDS:
        messages.error(request, f"Kỳ báo cáo «{kind}» không tổng hợp toàn quốc được: chọn quý I, 6 tháng, quý III hoặc năm.")
        kind = ReportingPeriod.Kind.H1
    agg = national_aggregate(year, kind)
    return render(request, "reporting/national.html", {
        "agg": agg, "forms": _form_rows(agg) if agg.form_set else [], "year": year, "kind": kind,
        "years": years, "kinds": NATIONAL_KINDS, "label": ReportingPeriod(kind=kind, year=year).label,
    })


@login_required
def drilldown_view(request, pk, code):
    period = _period_for(request, pk)
    within = _aggregate_scope(request, period)
    agg = period_aggregate(period, within)
    form_set = agg.form_set
    if code not in form_set.rows:
        raise Http404
    row = form_set.rows[code]
    formula = row.formula
    lines = []
    for c in agg.contributions:
        if code not in c.values and not (formula and any(t in c.values for t in formula.terms)):
            continue
        line = {"contribution": c, "text": unit_value_display(form_set, c.values, code)}
        if formula is not None:
            line["terms"] = [display_number(c.values.get(t)) if c.values.get(t) is not None else "—" for t in formula.terms]
        lines.append(line)
    terms = [form_set.rows[t] for t in formula.terms] if formula is not None else []
    return render(request, "reporting/drilldown.html", {
        "period": period, "within": within, "row": row, "code": code, "lines": lines,
        "total": display_value(form_set, agg.values, code, agg.own_values), "terms": terms,
        "total_terms": [display_number(agg.values.get(t)) if agg.values.get(t) is not None else "—" for t in formula.terms] if formula else [],
        "query": f"?don_vi={within.pk}" if within.pk != period.province_id else "",
    })


# --- the report --------------------------------------------------------------------------------


@login_required
def report_edit(request, pk):
    period = _coordinated_period(request, pk)
    keys = section_keys()
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            period.report_text = {}
            messages.success(request, "Đã điền lại nội dung báo cáo từ số liệu.")
        else:
            text = {"sections": {}}
            for key, _ in keys:
                raw = request.POST.get(f"s-{key}", "")
                text["sections"][key] = [line.strip() for line in raw.splitlines() if line.strip()]
            for name in ("number", "signer_name", "signer_title"):
                text[name] = request.POST.get(name, "").strip()
            raw_date = request.POST.get("date", "").strip()
            if raw_date:
                from django.forms import DateField, ValidationError

                try:
                    text["date"] = DateField().clean(raw_date).isoformat()
                except ValidationError:
                    messages.error(request, f"Ngày báo cáo «{raw_date}» không hợp lệ (dd/mm/yyyy).")
            period.report_text = text
            messages.success(request, "Đã lưu nội dung báo cáo.")
        with change_context(request=request):
            period.save(update_fields=["report_text"])
        return redirect("reporting:report", pk=period.pk)
    edited = period.report_text or {}
    defaults = default_sections(period)
    sections = [
        (key, heading, "\n".join(edited.get("sections", {}).get(key, defaults.get(key, []))))
        for key, heading in keys
    ]
    report_date = edited.get("date")
    return render(request, "reporting/report_edit.html", {
        "period": period, "sections": sections, "edited": edited,
        "report_date": "/".join(reversed(report_date.split("-"))) if report_date else "",
    })


def _report_period(request, pk) -> ReportingPeriod:
    period = _period_for(request, pk)
    if not (services.is_coordinator_of(request.user, period.province_id) or scope_for(request.user).can_view(period.province_id)):
        raise Http404
    return period


def _slug(period: ReportingPeriod) -> str:
    return f"bao-cao-cchc-{period.year}-{period.kind}"


@login_required
def report_docx(request, pk):
    from .documents import build_report_docx

    period = _report_period(request, pk)
    response = HttpResponse(
        build_report_docx(build_report(period)),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_slug(period)}.docx"'
    return response


@login_required
def report_pdf(request, pk):
    from .documents import build_report_pdf

    period = _report_period(request, pk)
    response = HttpResponse(build_report_pdf(build_report(period)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_slug(period)}.pdf"'
    return response


@login_required
def report_forms_xlsx(request, pk):
    """The province's aggregated forms as .xlsx (official layout)."""
    period = _report_period(request, pk)
    agg = period_aggregate(period)
    cells: dict[str, Decimal | str] = {}
    notes: dict[str, str] = {}
    for code, row in agg.form_set.rows.items():
        if row.aggregation in ("sum", "ratio") and code in agg.values:
            cells[code] = agg.values[code]
        elif row.aggregation == "none" and code in agg.own_values:
            cells[code] = agg.own_values[code]
        elif row.aggregation == "yes_no_count" and code in agg.values:
            cells[code] = agg.values[code]
            notes[code] = "Số đơn vị trả lời Có: " + agg.display(code)
        elif row.aggregation == "choice_distribution":
            text = agg.display(code)
            if text:
                notes[code] = text
    content = forms_workbook(agg.form_set, cells, notes, footer=[
        f"Tổng hợp: {period.province}", f"Kỳ báo cáo: {period.label}",
        f"Số báo cáo được tính: {agg.submission_count}",
    ])
    return _xlsx_response(content, f"bieu-mau-tong-hop-{period.year}-{period.kind}.xlsx")
