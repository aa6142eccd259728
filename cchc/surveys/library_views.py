"""The questionnaire design library of a province: its own designs kept outside any round, each
in numbered versions, made from a built-in design or a questionnaire document (.docx) through the
same review step as a round's questionnaire, edited as JSON into a new version, and offered when
a round is opened. The coordinator writes; the province's staff read; another province sees 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from cchc.core.surveys import Design, design_keys, load_design
from cchc.history.context import change_context
from cchc.reporting.services import coordinated_provinces
from cchc.units.models import Unit

from .design_views import review
from .models import DesignVersion, QuestionnaireDesign

NOT_COORDINATOR = "Chỉ cán bộ điều phối CCHC của tỉnh mới thực hiện được thao tác này."


def _design_for(request, pk, action="view") -> QuestionnaireDesign:
    design = get_object_or_404(QuestionnaireDesign.objects.restrict(request.user).select_related("province"), pk=pk)
    if action == "change" and design.province_id not in coordinated_provinces(request.user):
        raise PermissionDenied(NOT_COORDINATOR)
    return design


def add_version(design: QuestionnaireDesign, content: Design, user, note: str = "") -> DesignVersion:
    """A new version of `design` holding `content` (the caller is inside a change context)."""
    latest = design.versions.select_for_update().order_by("-number").first()
    return DesignVersion.objects.create(
        design=design, number=(latest.number if latest else 0) + 1, content=content.raw,
        fingerprint=content.fingerprint, note=note[:300], created_by=user)


def library_choices(user) -> list[tuple[str, str]]:
    """The round-opening form's library entries: ("library:<version pk>", label) per design's latest version."""
    provinces = coordinated_provinces(user)
    choices = []
    for design in QuestionnaireDesign.objects.filter(province__in=provinces).select_related("province"):
        latest = design.latest()
        if latest is not None:
            choices.append((f"library:{latest.pk}",
                            f"{design.name} — thư viện {design.province.name}, phiên bản {latest.number}"))
    return choices


@login_required
def library_list(request):
    designs = QuestionnaireDesign.objects.restrict(request.user).select_related("province").order_by("province", "name")
    rows = [{"design": d, "latest": d.latest()} for d in designs]
    builtins = [load_design(k) for k in sorted(design_keys())]
    return render(request, "surveys/library_list.html", {
        "rows": rows, "builtins": builtins, "can_create": bool(coordinated_provinces(request.user)),
    })


@login_required
def library_builtin(request, key):
    if key not in design_keys():
        raise Http404("Không có thiết kế mẫu này.")
    return render(request, "surveys/library_detail.html", {"builtin": load_design(key), "design": load_design(key)})


@login_required
def library_detail(request, pk):
    design = _design_for(request, pk)
    versions = list(design.versions.select_related("created_by").order_by("-number"))
    shown = versions[0] if versions else None
    wanted = request.GET.get("phien-ban")
    if wanted and wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    return render(request, "surveys/library_detail.html", {
        "library": design, "versions": versions, "shown": shown, "design": shown.parsed() if shown else None,
        "can_change": design.province_id in coordinated_provinces(request.user),
        "used": set(DesignVersion.objects.filter(design=design, rounds__isnull=False).values_list("pk", flat=True)),
    })


@login_required
def library_create(request):
    provinces = Unit.objects.filter(pk__in=coordinated_provinces(request.user)).order_by("name")
    if not provinces:
        raise PermissionDenied(NOT_COORDINATOR)
    start = request.POST.get("builtin") or request.GET.get("tu") or "sipas-2023"
    if start not in design_keys():
        start = sorted(design_keys())[0]
    state = review(request, load_design(start), fallback_key="thu-vien", source=" vào thư viện thiết kế")
    if request.method == "POST" and "builtin" in request.POST and "design" not in request.POST:
        state.errors.clear()
        state.ready = state.design  # a copy of the built-in design as it is
    if state.ready is not None:
        province = provinces.filter(pk=request.POST.get("province") or provinces[0].pk).first()
        if province is None:
            state.errors.append("Chưa chọn tỉnh của thiết kế.")
        else:
            content = state.ready
            name = (request.POST.get("name") or "").strip() or content.name
            try:
                with change_context(user=request.user, origin="surveys.library_create"), transaction.atomic():
                    design = QuestionnaireDesign.objects.create(province=province, key=content.key, name=name[:300])
                    add_version(design, content, request.user, request.POST.get("note", "") or "Bản đầu tiên")
            except IntegrityError:
                state.errors.append(f"Thư viện của {province.name} đã có thiết kế mã “{content.key}”: "
                                    "hãy đổi mã (trường key) hoặc sửa thiết kế đó thành phiên bản mới.")
            else:
                messages.success(request, f"Đã lưu thiết kế “{design.name}” vào thư viện (phiên bản 1).")
                return redirect(design)
    return render(request, "surveys/library_edit.html", {
        "provinces": provinces, "builtins": [load_design(k) for k in sorted(design_keys())], "start": start,
        "name": request.POST.get("name", ""), **state.context(),
    })


@login_required
def library_edit(request, pk):
    design = _design_for(request, pk, "change")
    latest = design.latest()
    current = latest.parsed() if latest else load_design("sipas-2023")
    state = review(request, current, fallback_key=design.key, source=f" cho thiết kế “{design.name}”")
    if state.ready is not None:
        if latest is not None and state.ready.fingerprint == latest.fingerprint:
            state.errors.append(f"Thiết kế không khác phiên bản {latest.number}: chưa có gì để lưu.")
        else:
            with change_context(user=request.user, origin="surveys.library_edit"), transaction.atomic():
                version = add_version(design, state.ready, request.user, request.POST.get("note", ""))
            messages.success(request, f"Đã lưu phiên bản {version.number} của thiết kế “{design.name}”.")
            return redirect(design)
    return render(request, "surveys/library_edit.html", {"library": design, "latest": latest, **state.context()})
