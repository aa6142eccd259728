"""Pages: confirming lineage, the gap matrix of a plan, drafting next year's plan, the .docx."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.accounts.scope import scope_for
from cchc.core.areas import AREAS
from cchc.history.context import change_context
from cchc.plans.models import Plan
from cchc.units.models import Unit, UnitKind

from . import lineage
from .documents import build_plan_docx, plan_document
from .drafting import DraftRefused, create_draft, propose_draft


def _plan(request, pk, action="view") -> Plan:
    plan = get_object_or_404(Plan.objects.restrict(request.user).select_related("issuer", "parent"), pk=pk)
    if action == "change" and not request.user.has_perm("plans.change_plan", plan):
        raise PermissionDenied("Bạn không có quyền sửa kế hoạch của đơn vị này.")
    return plan


def _other_plan(request, child: Plan) -> Plan | None:
    """The plan compared with: ?voi=ID (visible to the user), else the parent plan, else last year's."""
    other = request.POST.get("voi") or request.GET.get("voi")
    if other:
        if not str(other).isdigit():
            raise Http404
        return get_object_or_404(Plan.objects.restrict(request.user), pk=int(other))
    return lineage.parent_plan_of(child) or lineage.previous_plan_of(child)


@login_required
def plan_lineage(request, pk):
    """Side by side: each task of the plan with the task of the other plan it takes up; a person
    confirms or corrects, and the decisions are remembered."""
    child = _plan(request, pk)
    parent = _other_plan(request, child)
    if parent is None:
        return render(request, "planning/lineage.html", {"plan": child, "parent": None}, status=200)
    if parent.pk == child.pk:
        raise Http404
    can_change = request.user.has_perm("plans.change_plan", child)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Bạn không có quyền sửa kế hoạch của đơn vị này.")
        choices = {}
        for key, value in request.POST.items():
            if key.startswith("cha-") and key[4:].isdigit():
                choices[int(key[4:])] = int(value) if value.isdigit() else None
        try:
            with change_context(request=request):
                changed = lineage.confirm(parent, child, choices, user=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Đã ghi nhận liên kết nhiệm vụ ({changed} thay đổi).")
        return redirect(f"{request.path}?voi={parent.pk}")
    if can_change:  # proposals are stored for those who decide; others see them computed
        with change_context(request=request):
            lineage.propose(parent, child)
    parent_tasks = list(lineage.plan_tasks(parent))
    parent_labels = lineage.labels(parent_tasks)
    rows = {}
    for row in sorted(lineage.proposals(parent, child), key=lambda r: r.status, reverse=True):
        rows[row.child_id] = row  # "confirmed" sorts last, so a confirmation wins
    child_tasks = list(lineage.plan_tasks(child))
    child_labels = lineage.labels(child_tasks)
    items = []
    for task in child_tasks:
        row = rows.get(task.pk)
        chosen = task.parent_id if task.parent_id in parent_labels else (row.parent_id if row else None)
        items.append({"task": task, "label": child_labels[task.pk], "chosen": chosen, "row": row,
                      "cascaded": task.parent_id in parent_labels})
    taken = {item["chosen"] for item in items if item["chosen"]}
    return render(request, "planning/lineage.html", {
        "plan": child, "parent": parent, "items": items, "can_change": can_change,
        "parent_tasks": [(t, parent_labels[t.pk]) for t in parent_tasks],
        "untaken": [(t, parent_labels[t.pk]) for t in parent_tasks if t.pk not in taken],
        "relation": lineage.relation_between(parent, child),
    })


@login_required
def plan_gaps(request, pk):
    """The gaps of one plan (its own, against the plan above and last year's)."""
    plan = _plan(request, pk)
    gaps = lineage.plan_gaps_for(plan)
    return render(request, "planning/gaps.html", {"plan": plan, "gaps": gaps, "parent": lineage.parent_plan_of(plan)})


@login_required
def gap_matrix(request, pk):
    """Units × tasks of an issued plan for its coordinator: who left out which duty."""
    plan = _plan(request, pk)
    kind = request.GET.get("loai", "")
    if kind and kind not in UnitKind.values:
        kind = ""
    matrix = lineage.gap_matrix(plan, kind=kind or None)
    scope = scope_for(request.user)
    units = [u for u in matrix.units if scope.can_view(u.pk) or scope.can_view(plan.issuer_id)]
    grid = [(unit, matrix.plans.get(unit.pk), [matrix.cell(unit.pk, t.pk) for t in matrix.tasks],
             len(matrix.missing.get(unit.pk, []))) for unit in units]
    return render(request, "planning/matrix.html", {
        "plan": plan, "matrix": matrix, "grid": grid, "kind": kind,
        "headers": [(t, matrix.labels[t.pk]) for t in matrix.tasks],
        "kinds": [(k, label) for k, label in UnitKind.choices if k in {u.kind for u in matrix.units}],
        "units_with_gaps": sum(1 for row in grid if row[3]),
        "summary": [r for r in lineage.summary_by_kind(matrix) if r.missing],
    })


def _draft_units(user):
    """Units the user may draft a plan for (those whose plans the user manages)."""
    scope = scope_for(user)
    units = Unit.objects.exclude(kind=UnitKind.OFFICE)
    return units if scope.everything else units.filter(pk__in=scope.manage)


@login_required
def draft_next_year(request):
    """"Lập kế hoạch năm sau": the candidates (last year's recurring and unfinished tasks, the
    parent plan's tasks for the unit, the PAR Index part) pre-selected; create the draft."""
    units = _draft_units(request.user)
    unit_id = request.POST.get("don_vi") or request.GET.get("don_vi")
    if unit_id is None:
        unit = units.filter(Q(plans__isnull=False)).order_by("name").first() or units.order_by("name").first()
        if unit is None:
            raise PermissionDenied("Bạn không quản lý đơn vị nào để lập kế hoạch.")
    else:
        unit = get_object_or_404(units, pk=unit_id) if str(unit_id).isdigit() else None
        if unit is None:
            raise Http404
    latest = Plan.objects.filter(issuer=unit).order_by("-year").values_list("year", flat=True).first()
    year_text = request.POST.get("nam") or request.GET.get("nam") or str((latest or 2025) + 1)
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        messages.error(request, f"Năm “{year_text}” không hợp lệ: hãy nhập năm bốn chữ số, ví dụ 2027.")
        year_text = str((latest or 2025) + 1)
    year = int(year_text)
    error, proposal = None, None
    try:
        proposal = propose_draft(unit, year)
    except DraftRefused as refusal:
        error = str(refusal)
    if request.method == "POST" and proposal is not None:
        token = request.POST.get("token", "")
        done = request.session.get("planning_drafts", {})
        if token and token in done and Plan.objects.filter(pk=done[token]).exists():
            return redirect("plans:review", pk=done[token])  # a double submit lands on the same draft
        try:
            with change_context(request=request, origin="lập kế hoạch năm sau"):
                plan = create_draft(proposal, request.POST.getlist("chon"), user=request.user)
        except DraftRefused as refusal:
            error = str(refusal)
        else:
            if token:
                request.session["planning_drafts"] = {**done, token: plan.pk}
            messages.success(request, f"Đã lập dự thảo {plan} với {plan.tasks.count()} nhiệm vụ; hãy soát xét, "
                                      "chỉnh sửa rồi ban hành.")
            return redirect("plans:review", pk=plan.pk)
    groups = []
    if proposal is not None:
        for area, label in AREAS.items():
            items = [c for c in proposal.candidates if c.area == area]
            if items:
                groups.append((label, items))
    return render(request, "planning/draft.html", {
        "units": units.order_by("name"), "unit": unit, "year": year, "proposal": proposal, "groups": groups,
        "error": error, "token": uuid.uuid4().hex,
    }, status=400 if error and request.method == "POST" else 200)


@login_required
def plan_docx(request, pk):
    plan = _plan(request, pk)
    data = build_plan_docx(plan_document(plan))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-cchc-{plan.year}-{plan.pk}.docx"'
    return response


@login_required
@require_POST
def propose_lineage(request, pk):
    """Re-run the matcher for a plan against the plan above (after an edit)."""
    child = _plan(request, pk, "change")
    parent = _other_plan(request, child)
    if parent is None:
        raise Http404
    with change_context(request=request):
        result = lineage.propose(parent, child)
    messages.success(request, f"Đã đối chiếu: {len(result.pairs)} cặp nhiệm vụ.")
    return redirect(f"{reverse('planning:lineage', args=[child.pk])}?voi={parent.pk}")


@login_required
def dashboard_gaps(request, pk):
    """The dashboard's gaps panel (fetched by htmx): the unit's issued plans of the year with the
    rows of their matrix that lack units, and its units' drafts with their gaps."""
    from .digest import dashboard_gaps as gather

    unit = get_object_or_404(Unit, pk=pk)
    if not scope_for(request.user).can_view(unit.pk):
        raise Http404
    year_text = request.GET.get("nam", "")
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        return HttpResponse(f"Năm “{year_text}” không hợp lệ.", status=400)
    found = gather(unit, int(year_text))
    return render(request, "planning/_dashboard_gaps.html",
                  {"found": found if found["plans"] or found["drafts"] else None, "year": int(year_text)})
