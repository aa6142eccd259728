import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from cchc.accounts.models import Membership
from cchc.accounts.scope import scope_for
from cchc.core.areas import AREA_CHOICES
from cchc.core.status import DONE, NOT_APPLICABLE, OVERDUE, STATUS_LABELS
from cchc.history.context import change_context
from cchc.plans.models import Obligation, Plan
from cchc.today import today as business_today
from cchc.units.models import Unit, UnitKind

from . import dashboard
from .export import obligations_workbook_response
from .forms import ProgressUpdateForm
from .models import Evidence, ProgressUpdate
from .services import evidence_from_reference, record_progress
from .status import evaluate, with_status_data

GROUPS = [
    ("overdue", "Quá hạn", "danger"),
    ("due_soon", "Đến hạn trong 30 ngày", "warning"),
    ("ongoing", "Đang thực hiện, chưa đến hạn", "primary"),
    ("waiting", "Chờ sự kiện, chỉ đạo", "secondary"),
    ("done", "Đã hoàn thành", "success"),
]


def _date(raw: str | None) -> datetime.date | None:
    from django.forms import DateField

    try:
        return DateField().clean(raw) if raw else None
    except Exception:
        return None


def group_of(status: str, next_due, today) -> str:
    if status == OVERDUE:
        return "overdue"
    if status in DONE:
        return "done"
    if status == NOT_APPLICABLE:
        return "waiting"
    if next_due and next_due <= today + datetime.timedelta(days=30):
        return "due_soon"
    return "ongoing"


def _work_units(request):
    """The units whose work the user may open here: their memberships, or any unit in scope."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("unit"))
    units = [m.unit for m in memberships]
    wanted = request.GET.get("don_vi")
    if wanted and wanted.isdigit():
        if not scope_for(request.user).can_view(int(wanted)):
            raise Http404
        return get_object_or_404(Unit, pk=int(wanted)), units
    return (units[0] if units else None), units


def unit_obligations(request, unit: Unit, year: int):
    """The unit's active obligations of the year that the user may see. A unit's work includes
    that of its own offices and posts ("Công chức Tư pháp - Hộ tịch"), and the past work of the
    units merged into it (and their offices)."""
    units = Unit.objects.with_predecessor_ids({unit.pk})
    offices = Unit.objects.filter(parent__in=units, kind=UnitKind.OFFICE).values_list("pk", flat=True)
    return Obligation.objects.restrict(request.user).active().filter(unit__in=units | set(offices), year=year)


def filtered_obligations(request, obligations):
    """The obligations narrowed by the page's filters (area, plan, words of the task)."""
    area = request.GET.get("linh_vuc", "")
    plan = request.GET.get("ke_hoach", "")
    query = request.GET.get("q", "").strip()
    if area:
        obligations = obligations.filter(task__section__area=area)
    if plan.isdigit():
        obligations = obligations.filter(task__plan_id=int(plan))
    if query:
        obligations = obligations.filter(task__content__icontains=query)
    return with_status_data(obligations).order_by("task__plan_id", "task__section__position", "task__position")


@login_required
def my_work(request):
    today = business_today()
    unit, my_units = _work_units(request)
    if unit is None:
        return render(request, "tracking/my_work.html", {"unit": None, "groups": []})
    year = int(request.GET["nam"]) if request.GET.get("nam", "").isdigit() else today.year
    as_of = _date(request.GET.get("ngay")) or today
    status_filter = request.GET.get("tinh_trang", "")
    due_from, due_to = _date(request.GET.get("han_tu")), _date(request.GET.get("han_den"))
    rows = []
    obligations = unit_obligations(request, unit, year)
    for obligation in filtered_obligations(request, obligations):
        result = evaluate(obligation, as_of)
        if status_filter and result.status != status_filter:
            continue
        if (due_from or due_to) and not (
            result.next_due and (not due_from or result.next_due >= due_from) and (not due_to or result.next_due <= due_to)
        ):
            continue
        rows.append((obligation, result))
    if request.GET.get("xuat") == "xlsx":
        return obligations_workbook_response(rows, f"viec-{unit.code}-{year}.xlsx", as_of)
    groups = []
    for key, label, color in GROUPS:
        items = [(o, r) for o, r in rows if group_of(r.status, r.next_due, as_of) == key]
        groups.append({"key": key, "label": label, "color": color, "rows": items})
    # Every plan of the unit's work this year, whatever the other filters leave on the page.
    plans = Plan.objects.restrict(request.user).select_related("issuer").filter(
        pk__in=obligations.values("task__plan_id")
    )
    return render(
        request,
        "tracking/my_work.html",
        {
            "unit": unit, "my_units": my_units, "year": year, "as_of": as_of, "groups": groups,
            "total": len(rows), "areas": AREA_CHOICES, "plans": plans, "statuses": STATUS_LABELS.items(),
            "params": request.GET, "export_query": request.GET.urlencode(),
            "can_edit": scope_for(request.user).can_edit(unit.pk),
        },
    )


def _obligation_for(request, pk) -> Obligation:
    return get_object_or_404(
        with_status_data(Obligation.objects.restrict(request.user)), pk=pk
    )


@login_required
def obligation_detail(request, pk):
    obligation = _obligation_for(request, pk)
    today = business_today()
    result = evaluate(obligation, _date(request.GET.get("ngay")) or today)
    # Contributions of the other units on the same task (coordinating units to the lead, and
    # back): whoever may see this obligation sees what the others did on the same task.
    related = (
        ProgressUpdate.objects.filter(obligation__task=obligation.task)
        .exclude(obligation=obligation)
        .select_related("obligation__unit", "author", "milestone")
        .prefetch_related("evidence")
    )
    return render(
        request,
        "tracking/obligation_detail.html",
        {
            "obligation": obligation, "result": result, "task": obligation.task,
            "updates": obligation.updates.select_related("author", "milestone").prefetch_related("evidence"),
            "contributions": related,
            "can_edit": request.user.has_perm("plans.change_obligation", obligation),
            "form": ProgressUpdateForm(obligation=obligation),
        },
    )


@login_required
def obligation_update(request, pk):
    """GET: the update form (htmx, inline in a list). POST: record the update."""
    obligation = _obligation_for(request, pk)
    if not request.user.has_perm("plans.change_obligation", obligation):
        raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ của đơn vị này.")
    form = ProgressUpdateForm(request.POST or None, request.FILES or None, obligation=obligation)
    inline = request.GET.get("inline") or request.POST.get("inline")
    if request.method == "POST" and form.is_valid():
        update = form.save(commit=False)
        update.obligation = obligation
        update.author = request.user
        evidence = []
        if form.has_evidence():
            data = form.cleaned_data
            evidence.append(
                evidence_from_reference(
                    data["evidence_reference"], title=data["evidence_title"], file=data.get("evidence_file") or "",
                    file_kind=data.get("evidence_kind", ""), link=data["evidence_link"],
                )
            )
        with change_context(request=request):
            record_progress(update, evidence)
        if inline:
            obligation = _obligation_for(request, pk)
            today = business_today()
            return render(request, "tracking/_obligation_row.html", {
                "obligation": obligation, "result": evaluate(obligation, today), "just_updated": True,
                "can_edit": True,
            })
        return redirect(obligation)
    return render(request, "tracking/_update_form.html", {"form": form, "obligation": obligation, "inline": inline},
                  status=400 if request.method == "POST" else 200)


@login_required
def evidence_file(request, pk):
    """Evidence files are served only to those who may see the obligation."""
    evidence = get_object_or_404(Evidence.objects.select_related("update__obligation"), pk=pk)
    if not Obligation.objects.restrict(request.user).filter(pk=evidence.update.obligation_id).exists() or not evidence.file:
        raise Http404
    name = evidence.file.name.rsplit("/", 1)[-1]
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)
    # Only a download: a file a browser would run (HTML, SVG, anything unlisted) is plain bytes, never
    # sniffed, and sandboxed with no script should it be opened in a tab anyway.
    if response.headers.get("Content-Type", "").split(";")[0] not in _SAFE_DOWNLOAD_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


_SAFE_DOWNLOAD_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "application/msword",
    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
})


def _dashboard_context(request, owner, units_filter, title, year, today):
    obligations = dashboard.obligations_in(units_filter, year)
    total, areas, units = dashboard.summarise(obligations)
    units = dashboard.ranking(units)
    chart = {
        "labels": [a.label for a in areas],
        "datasets": [
            {"label": STATUS_LABELS[s], "data": [a.counts[s] for a in areas], "status": s}
            for s in STATUS_LABELS
        ],
    }
    # Targets are the dashboard owner's own plan's (a province's targets, not each commune's).
    plans = Plan.objects.restrict(request.user).filter(year=year, status=Plan.Status.ISSUED, issuer=owner)
    return {
        "title": title, "year": year, "today": today, "total": total, "areas": areas,
        "units": units, "overdue": dashboard.overdue_list(obligations), "upcoming": dashboard.upcoming(obligations, today),
        "late_units": dashboard.late_units(obligations)[:20], "targets": dashboard.targets_of(plans, today),
        "chart": chart, "statuses": STATUS_LABELS,
        "owner": owner,
    }


@login_required
def province_dashboard(request):
    """The province's picture for its coordinators: completion by area and unit, what is late."""
    from cchc.accounts.scope import provinces_of

    today = business_today()
    year = int(request.GET["nam"]) if request.GET.get("nam", "").isdigit() else today.year
    scope = scope_for(request.user)
    provinces = [p for p in provinces_of(request.user) if scope.can_view(p.pk)]
    if not provinces:
        memberships = Membership.objects.filter(user=request.user).values_list("unit", flat=True)
        if memberships:
            return redirect("tracking:unit_dashboard", pk=memberships[0])
        raise PermissionDenied("Bạn chưa được giao theo dõi đơn vị nào.")
    province = provinces[0]
    if request.GET.get("tinh", "").isdigit():
        province = next((p for p in provinces if p.pk == int(request.GET["tinh"])), province)
    units = list(Unit.objects.subtree_ids(province))
    context = _dashboard_context(request, province, units, f"Tình hình thực hiện CCHC — {province.name}", year, today)
    return render(request, "tracking/dashboard.html", {**context, "province": province, "is_province": True})


@login_required
def unit_dashboard(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    if not scope_for(request.user).can_view(unit.pk):
        raise Http404
    today = business_today()
    year = int(request.GET["nam"]) if request.GET.get("nam", "").isdigit() else today.year
    units = list(Unit.objects.subtree_ids(unit))
    context = _dashboard_context(request, unit, units, f"Tình hình thực hiện CCHC — {unit.name}", year, today)
    return render(request, "tracking/dashboard.html", {**context, "unit": unit, "is_province": False})
