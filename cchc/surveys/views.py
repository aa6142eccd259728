"""Staff pages: rounds, links and QR codes, paper entry, file import, results and export."""

from __future__ import annotations

import io

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cchc.accounts.scope import scope_for
from cchc.core.filetypes import UploadRejected, check_upload
from cchc.core.surveys import design_keys, load_design
from cchc.history.context import change_context
from cchc.reporting.services import coordinated_provinces
from cchc.today import today as business_today
from cchc.units.models import Unit, UnitKind

from . import services
from .models import Response, Round, RoundUnit
from .report import DOCX, results_docx
from .results import round_results
from .workbook import results_workbook

ENTRY_ROWS = 10


def _round_for(request, pk) -> Round:
    return get_object_or_404(Round.objects.restrict(request.user).select_related("province"), pk=pk)


def _is_coordinator(user, round_: Round) -> bool:
    return round_.province_id in coordinated_provinces(user)


def _coordinated(request, pk) -> Round:
    round_ = _round_for(request, pk)
    if not _is_coordinator(request.user, round_):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới thực hiện được thao tác này.")
    return round_


def _visible_units(request, round_: Round):
    """A coordinator and the province's own staff see every unit; a unit sees its own."""
    units = round_.units.select_related("unit")
    scope = scope_for(request.user)
    if _is_coordinator(request.user, round_) or scope.can_view(round_.province_id):
        return units
    return units.filter(unit__in=scope.view)


class RoundForm(forms.Form):
    province = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Tỉnh")
    title = forms.CharField(label="Tên đợt khảo sát", max_length=300)
    year = forms.IntegerField(label="Năm", min_value=2017, max_value=2100)
    design_key = forms.ChoiceField(label="Thiết kế phiếu")
    start = forms.DateField(label="Từ ngày")
    end = forms.DateField(label="Đến ngày")
    quota = forms.IntegerField(label="Số phiếu cần thu mỗi đơn vị", min_value=0, initial=100)
    kinds = forms.MultipleChoiceField(
        label="Đơn vị được khảo sát", widget=forms.CheckboxSelectMultiple,
        choices=[(UnitKind.DEPARTMENT, "Các sở, ban, ngành"), (UnitKind.COMMUNE, "UBND cấp xã")],
        initial=[UnitKind.DEPARTMENT, UnitKind.COMMUNE],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Unit.objects.filter(pk__in=coordinated_provinces(user))
        from .library_views import library_choices

        self.fields["design_key"].choices = [
            ("Thiết kế mẫu", [(k, load_design(k).name) for k in design_keys()]),
            *([("Thư viện của tỉnh", library)] if (library := library_choices(user)) else []),
        ]

    def clean_design_key(self):
        """The chosen design: a built-in key, or "library:<version pk>" of a coordinated province's library."""
        from .models import DesignVersion

        value = self.cleaned_data["design_key"]
        if value.startswith("library:"):
            self.library_version = DesignVersion.objects.select_related("design").get(pk=int(value.split(":")[1]))
        else:
            self.library_version = None
        return value

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        version = getattr(self, "library_version", None)
        if version is not None and data.get("province") and version.design.province_id != data["province"].pk:
            self.add_error("design_key", f"Thiết kế “{version.design.name}” thuộc thư viện của tỉnh khác.")
        return data


@login_required
def round_list(request):
    rounds = Round.objects.restrict(request.user).select_related("province")
    return render(request, "surveys/round_list.html", {
        "rounds": rounds, "can_create": bool(coordinated_provinces(request.user)),
    })


@login_required
def round_create(request):
    if not coordinated_provinces(request.user):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới mở được đợt khảo sát.")
    form = RoundForm(request.POST or None, user=request.user, initial={"year": business_today().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with change_context(user=request.user, origin="surveys.round_create"), transaction.atomic():
            round_ = Round(province=data["province"], title=data["title"], year=data["year"],
                           start=data["start"], end=data["end"])
            version = form.library_version
            if version is not None:
                round_.set_design(version.parsed())
                round_.library_version = version
            else:
                round_.set_design(load_design(data["design_key"]))
            round_.save()
            units = Unit.objects.filter(pk__in=Unit.objects.subtree_ids(data["province"]), kind__in=data["kinds"])
            for unit in units.valid_on(data["end"]):
                RoundUnit.objects.create(round=round_, unit=unit, quota=data["quota"])
        messages.success(request, f"Đã mở đợt khảo sát với {round_.units.count()} đơn vị.")
        return redirect(round_)
    return render(request, "surveys/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    round_ = _round_for(request, pk)
    units = list(_visible_units(request, round_))
    results = round_results(round_, round_unit_ids=[u.pk for u in units])
    rows = [{
        "ru": ru, "responses": results.responses.get(ru.pk, 0), "result": results.units[ru.pk],
        "progress": min(100, round(100 * results.responses.get(ru.pk, 0) / ru.quota)) if ru.quota else None,
        "can_enter": _can_enter(request.user, round_, ru),
    } for ru in units]
    return render(request, "surveys/round_detail.html", {
        "round": round_, "rows": rows, "coordinator": _is_coordinator(request.user, round_),
        "overall": results.province.overall,
    })


def _can_enter(user, round_: Round, ru: RoundUnit) -> bool:
    return round_.is_open and (_is_coordinator(user, round_) or scope_for(user).can_edit(ru.unit_id))


@login_required
@require_POST
def round_status(request, pk):
    round_ = _coordinated(request, pk)
    round_.status = Round.Status.CLOSED if round_.is_open else Round.Status.OPEN
    with change_context(user=request.user, origin="surveys.round_status"):
        round_.save(update_fields=["status"])
    messages.success(request, f"Đợt khảo sát: {round_.get_status_display().lower()}.")
    return redirect(round_)


def _round_unit(request, pk, ru_pk) -> RoundUnit:
    round_ = _round_for(request, pk)
    return get_object_or_404(_visible_units(request, round_).select_related("round__province"), pk=ru_pk)


@login_required
def qr_page(request, pk, ru_pk):
    ru = _round_unit(request, pk, ru_pk)
    link = request.build_absolute_uri(reverse("surveys:public_form", args=[ru.key]))
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
                                     title=f"Mã QR khảo sát {ru.unit.name}")
    return render(request, "surveys/qr.html", {"ru": ru, "link": link, "svg": mark_safe(buffer.getvalue().decode())})


@login_required
def entry(request, pk, ru_pk):
    ru = _round_unit(request, pk, ru_pk)
    if not _can_enter(request.user, ru.round, ru):
        raise PermissionDenied("Anh/chị không có quyền nhập phiếu cho đơn vị này, hoặc đợt khảo sát đã kết thúc.")
    design = ru.round.parsed_design()
    columns = [q for q in design.questions.values() if not q.free_text]
    rows = [{"form_no": "", "values": {}} for _ in range(ENTRY_ROWS)]
    errors = []
    if request.method == "POST":
        rows, posted = [], []
        for i in range(ENTRY_ROWS):
            values = {q.code: request.POST.get(f"r{i}-{q.code}", "").strip() for q in columns}
            form_no = request.POST.get(f"r{i}-form_no", "").strip()
            rows.append({"form_no": form_no, "values": values})
            if form_no or any(values.values()):
                posted.append({**values, "form_no": form_no, "_line": i + 1})
        if not posted:
            errors = ["Chưa nhập phiếu nào."]
        else:
            with change_context(user=request.user, origin="surveys.entry"):
                outcome = services.enter_paper_forms(ru, posted, request.user)
            errors = outcome.errors
            if not errors:
                messages.success(request, f"Đã lưu {len(outcome.created)} phiếu giấy.")
                return redirect("surveys:entry", pk=ru.round_id, ru_pk=ru.pk)
    recent = Response.objects.filter(round_unit=ru).exclude(source=Response.Source.WEB).order_by("-id")[:10]
    return render(request, "surveys/entry.html", {
        "ru": ru, "columns": columns, "rows": rows, "errors": errors, "recent": recent,
        "count": Response.objects.filter(round_unit=ru).count(),
        "legend": _legend(design),
    })


def _legend(design) -> list[tuple[str, str]]:
    seen, legend = set(), []
    for q in design.scored:
        text = ", ".join(f"{a.code} = {a.label}" for a in q.answers)
        if text not in seen:
            seen.add(text)
            legend.append(("Câu đánh giá", text))
    return legend


IMPORT_MAX_BYTES = 20 * 1024 * 1024


def _check_response_file(upload) -> list[str]:
    """A .csv is read by the survey reader itself (which requires UTF-8 and names the row);
    `check_upload` knows no .csv, so it checks every other kind (an .xlsx that is not one)."""
    if upload.name.lower().endswith(".csv"):
        if upload.size > IMPORT_MAX_BYTES:
            return [f"Tệp “{upload.name}” lớn hơn 20 MB."]
        return []
    try:
        check_upload(upload, upload.name)
    except UploadRejected as exc:
        return [exc.message]
    return []


@login_required
def import_responses(request, pk):
    round_ = _coordinated(request, pk)
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["Chưa chọn tệp .csv hoặc .xlsx."]
        else:
            errors = _check_response_file(upload)
            if not errors:
                with change_context(user=request.user, origin=f"surveys.import {upload.name}"):
                    outcome = services.import_file(round_, upload.read(), upload.name, request.user)
                errors = outcome.errors
                if not errors:
                    messages.success(request, f"Đã nhập {len(outcome.created)} phiếu từ {upload.name}.")
                    return redirect(round_)
    return render(request, "surveys/import.html", {"round": round_, "errors": errors[:50],
                                                   "more": max(0, len(errors) - 50)})


def _filters(request, round_: Round) -> dict:
    design = round_.parsed_design()
    group_q, channel_q = design.role_question("group"), design.role_question("channel")
    group = request.GET.get("group", "")
    channel = request.GET.get("channel", "")
    return {
        "group": group if group_q and group_q.answer(group) else "",
        "channel": channel if channel_q and channel_q.answer(channel) else "",
        "group_q": group_q, "channel_q": channel_q,
    }


def results_data(request, round_: Round) -> tuple[dict, object]:
    filters = _filters(request, round_)
    units = list(_visible_units(request, round_))
    results = round_results(round_, group=filters["group"], channel=filters["channel"],
                            round_unit_ids=[u.pk for u in units])
    return filters, (units, results)


@login_required
def results_page(request, pk):
    round_ = _round_for(request, pk)
    filters, (units, results) = results_data(request, round_)
    design = round_.parsed_design()
    province = results.province
    factors = [{"f": f, "stat": province.factors[c],
                "questions": [{"q": design.questions[q], "stat": province.questions[q],
                               "dist": province.distribution.get(q, {})} for q in f.questions]}
               for c, f in design.factors.items()]
    ranking = sorted(
        ({"ru": ru, "stat": results.units[ru.pk].overall, "responses": results.responses.get(ru.pk, 0)} for ru in units),
        key=lambda row: (row["stat"].pct is None, -(row["stat"].pct or 0)),
    )
    previous = _previous_results(request, round_, units, filters)
    previous_overall = previous.province.overall if previous else None
    before = _by_unit(previous)
    for row in ranking:
        row["before"] = before.get(row["ru"].unit_id)
    chart = {
        "factors": {"labels": [f.name for f in design.factors.values()],
                    "values": [float(province.factors[c].pct or 0) for c in design.factors]},
        "units": {"labels": [r["ru"].unit.name for r in ranking[:40]],
                  "values": [float(r["stat"].pct or 0) for r in ranking[:40]]},
        "distribution": _distribution_chart(design, province),
    }
    return render(request, "surveys/results.html", {
        "round": round_, "design": design, "province": province, "factors": factors, "ranking": ranking,
        "filters": filters, "chart": chart, "previous": previous.round if previous else None,
        "previous_overall": previous_overall,
        "whole_province": len(units) == round_.units.count(),
    })


def _distribution_chart(design, province) -> dict:
    """Answers per choice of every rated question: one stacked series per answer code."""
    codes = [q.code for q in design.scored]
    labels: dict[str, str] = {}
    for q in design.scored:
        for a in q.answers:
            labels.setdefault(a.code, a.label)
    return {"labels": codes, "series": [
        {"code": code, "label": label, "values": [province.distribution.get(q, {}).get(code, 0) for q in codes]}
        for code, label in labels.items()]}


def _previous_results(request, round_: Round, units, filters):
    """Last year's round of the same design over the same units and filters, or None."""
    previous = (Round.objects.filter(province=round_.province, design_key=round_.design_key, year=round_.year - 1)
                .restrict(request.user).order_by("-end", "-pk").first())
    if previous is None:
        return None
    ids = list(previous.units.filter(unit__in=[u.unit_id for u in units]).values_list("pk", flat=True))
    return round_results(previous, group=filters["group"], channel=filters["channel"], round_unit_ids=ids)


def _by_unit(previous) -> dict:
    """Unit pk → last year's overall Stat."""
    if previous is None:
        return {}
    unit_of = dict(previous.round.units.values_list("pk", "unit_id"))
    return {unit_of[pk]: result.overall for pk, result in previous.units.items()}


def _filters_text(filters) -> str:
    parts = []
    for key, question in (("group", filters["group_q"]), ("channel", filters["channel_q"])):
        if filters[key] and question:
            parts.append(f"{question.text}: {question.answer(filters[key]).label}")
    return "; ".join(parts)


@login_required
def results_report(request, pk):
    round_ = _round_for(request, pk)
    filters, (units, results) = results_data(request, round_)
    previous = _previous_results(request, round_, units, filters)
    content = results_docx(round_, units, results, previous=previous, filters_text=_filters_text(filters))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-khao-sat-{round_.year}-{round_.pk}.docx"'
    return response


@login_required
def results_export(request, pk):
    round_ = _round_for(request, pk)
    filters, (units, results) = results_data(request, round_)
    content = results_workbook(round_, units, results)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{round_.year}-{round_.pk}.xlsx"'
    return response

