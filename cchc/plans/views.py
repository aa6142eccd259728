from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.core.areas import AREAS

from .models import Assignment, Milestone, Obligation, Plan, Role, Task
from .services import issue_plan


@login_required
def plan_list(request):
    plans = Plan.objects.restrict(request.user).select_related("issuer").annotate(
        task_count=Count("tasks", distinct=True)
    )
    year = request.GET.get("nam", "")
    status = request.GET.get("trang_thai", "")
    query = request.GET.get("q", "").strip()
    if year.isdigit():
        plans = plans.filter(year=int(year))
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    if query:
        plans = plans.filter(Q(title__icontains=query) | Q(issuer__name__icontains=query) | Q(number__icontains=query))
    years = Plan.objects.restrict(request.user).order_by("-year").values_list("year", flat=True).distinct()
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "years": years, "year": year, "status": status, "query": query,
         "statuses": Plan.Status.choices},
    )


def _plan_for(request, pk) -> Plan:
    # 404 rather than 403 for plans outside the user's scope: their existence is not disclosed.
    return get_object_or_404(Plan.objects.restrict(request.user).select_related("issuer", "parent"), pk=pk)


@login_required
def plan_detail(request, pk):
    plan = _plan_for(request, pk)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "unit_class")),
            Prefetch("milestones", queryset=Milestone.objects.all()),
        )
        .annotate(obligation_count=Count("obligations", filter=Q(obligations__withdrawn_on__isnull=True)))
    )
    by_section = defaultdict(list)
    for task in tasks:
        task.by_role = _by_role(task.assignments.all())
        by_section[task.section_id].append(task)
    sections = [(section, AREAS.get(section.area, ""), by_section[section.pk]) for section in plan.sections.all()]
    unresolved = Assignment.objects.filter(task__plan=plan, unit__isnull=True, unit_class__isnull=True).count()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "sections": sections,
            "targets": plan.targets.all(),
            "task_total": len(tasks),
            "unresolved": unresolved,
            "can_manage": request.user.has_perm("plans.change_plan", plan),
        },
    )


def _by_role(assignments):
    grouped = defaultdict(list)
    for assignment in assignments:
        grouped[assignment.role].append(assignment)
    return [(Role(role).label, role, items) for role, items in grouped.items()]


@login_required
def task_detail(request, pk):
    task = get_object_or_404(Task.objects.select_related("plan", "section", "parent"), pk=pk)
    plan = _plan_for(request, task.plan_id)
    obligations = (
        Obligation.objects.restrict(request.user)
        .filter(task=task)
        .select_related("unit")
        .order_by("withdrawn_on", "role", "unit__name")
    )
    return render(
        request,
        "plans/task_detail.html",
        {
            "plan": plan,
            "task": task,
            "roles": _by_role(task.assignments.select_related("unit", "unit_class")),
            "milestones": task.milestones.all(),
            "obligations": obligations,
        },
    )


@login_required
@require_POST
def plan_issue(request, pk):
    plan = _plan_for(request, pk)
    if not request.user.has_perm("plans.issue_plan", plan):
        raise PermissionDenied("Bạn không có quyền ban hành kế hoạch của đơn vị này.")
    result = issue_plan(plan)
    messages.success(
        request,
        f"Đã ban hành kế hoạch: giao mới {result.created}, giữ nguyên {result.kept}, "
        f"thu hồi {result.withdrawn}, khôi phục {result.restored} nghĩa vụ.",
    )
    if result.unresolved:
        messages.warning(
            request, f"{len(result.unresolved)} cơ quan chưa xác định được đơn vị nên chưa được giao nhiệm vụ."
        )
    return redirect(plan)
