from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from cchc.accounts.scope import scope_for
from cchc.core.areas import AREAS
from cchc.core.deadlines import parse_deadline
from cchc.history.context import change_context
from cchc.scratch import upload_on_disk
from cchc.today import today as business_today
from cchc.units.models import Unit, UnitKind
from cchc.units.registry import PlanBodyResolver, teach_alias

from .forms import PlanUploadForm, TaskReviewForm
from .importing import ImportRefused, PlanReadError, import_plan_document
from .models import Assignment, Milestone, Obligation, Plan, Role, Target, Task
from .scans import job_state, start_scan_import
from .services import cascade_plan, issue_plan, update_reviewed_task
from .signals import obligations_changed


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
         "statuses": Plan.Status.choices, "can_import": _issuers_for(request.user).exists()},
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
            "targets": [(t, t.assessment(business_today())) for t in plan.targets.all()],
            "task_total": len(tasks),
            "unresolved": unresolved,
            "can_manage": request.user.has_perm("plans.change_plan", plan),
            "can_cascade": plan.status == Plan.Status.ISSUED
            and _issuers_for(request.user).exclude(pk=plan.issuer_id).exists(),
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
    lineage = (
        Obligation.objects.active().filter(task=task).values("status").annotate(n=Count("pk")).order_by()
    )
    counts = {row["status"]: row["n"] for row in lineage}
    children = Task.objects.filter(parent=task).filter(plan__in=Plan.objects.restrict(request.user)).select_related(
        "plan__issuer"
    )
    return render(
        request,
        "plans/task_detail.html",
        {
            "plan": plan,
            "task": task,
            "can_manage": request.user.has_perm("plans.change_plan", plan),
            "done_count": counts.get("done_on_time", 0) + counts.get("done_late", 0),
            "unit_count": sum(counts.values()),
            "children": children,
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


def _issuers_for(user):
    scope = scope_for(user)
    units = Unit.objects.exclude(kind=UnitKind.OFFICE).order_by("kind", "name")
    return units if scope.everything else units.filter(pk__in=scope.manage)


@login_required
def plan_import(request):
    """Upload a plan document; it is read and stored as a draft, then reviewed."""
    issuers = _issuers_for(request.user)
    if not issuers.exists():
        raise PermissionDenied("Chỉ lãnh đạo đơn vị hoặc cán bộ điều phối mới được nhập kế hoạch.")
    form = PlanUploadForm(request.POST or None, request.FILES or None, issuers=issuers)
    error = None
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        pages = _scan_pages(document)
        if pages:  # a scan: OCR'd in the background, the user watches its progress
            job = start_scan_import(
                document.read(), document.name, issuer=form.cleaned_data["issuer"],
                year=form.cleaned_data["year"], user=request.user, pages=pages,
            )
            target = reverse("plans:scan_job", args=[job])
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
        try:
            with change_context(request=request, origin=f"nhập kế hoạch {document.name}"):
                outcome = import_plan_document(
                    document.read(), document.name, issuer=form.cleaned_data["issuer"],
                    year=form.cleaned_data["year"], user=request.user,
                )
        except (PlanReadError, ImportRefused) as failure:
            error = _read_error_message(failure)
        else:
            if outcome.duplicate:
                messages.info(request, f"Tệp “{document.name}” đã được nhập trước đây: mở kế hoạch đã có.")
            else:
                messages.success(
                    request,
                    f"Đã đọc {outcome.plan.tasks.count()} nhiệm vụ từ “{document.name}”. "
                    "Hãy soát xét trước khi ban hành.",
                )
            target = reverse("plans:review", args=[outcome.plan.pk])
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
    template = "plans/_import_form.html" if request.htmx else "plans/plan_import.html"
    return render(request, template, {"form": form, "error": error}, status=400 if error else 200)


def _scan_pages(document) -> int:
    """The number of pages of an uploaded PDF without text layer (a scan); 0 for anything else."""
    if not document.name.lower().endswith(".pdf"):
        return 0
    from cchc.core.ocr import is_scan, page_count

    with upload_on_disk(document, "scan.pdf") as path:
        return page_count(path) if is_scan(path) else 0


@login_required
def scan_job(request, job):
    """Progress of a scan being OCR'd; sends the user to the review screen once the plan is read."""
    state = job_state(job)
    if state is None or state.get("user") != request.user.pk:
        raise Http404("Không có việc nhận dạng bản quét này.")
    if state["status"] == "done":
        target = reverse("plans:review", args=[state["plan"]])
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return redirect(target)
    template = "plans/_scan_progress.html" if request.htmx else "plans/scan_job.html"
    return render(request, template, {"job": job, "state": state})


def _read_error_message(failure) -> str:
    if isinstance(failure, PlanReadError):
        where = f"dòng {failure.line}" if failure.line else "tệp"
        return f"Không đọc được “{failure.source_name}” ({where}): {failure.message}. Chưa có gì được lưu."
    return f"{failure} Chưa có gì được lưu."


def _managed_plan(request, pk) -> Plan:
    plan = _plan_for(request, pk)
    if not request.user.has_perm("plans.change_plan", plan):
        raise PermissionDenied("Bạn không có quyền sửa kế hoạch của đơn vị này.")
    return plan


@login_required
def plan_review(request, pk):
    """The parsed plan beside its source text; every field editable, unresolved bodies pickable."""
    plan = _managed_plan(request, pk)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "unit_class")), "milestones"
        )
    )
    by_section = defaultdict(list)
    for task in tasks:
        by_section[task.section_id].append(task)
    sections = [(section, by_section[section.pk]) for section in plan.sections.all()]
    unresolved = Assignment.objects.filter(task__plan=plan, unit__isnull=True, unit_class__isnull=True).count()
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "sections": sections,
            "source_lines": list(enumerate(plan.source_text.splitlines(), start=1)),
            "unresolved": unresolved,
        },
    )


def _review_row(request, task, status=200):
    task = Task.objects.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "unit_class")), "milestones"
    ).get(pk=task.pk)
    return render(request, "plans/_review_task.html", {"task": task, "plan": task.plan}, status=status)


@login_required
def task_review_edit(request, pk):
    task = get_object_or_404(Task.objects.select_related("plan"), pk=pk)
    plan = _managed_plan(request, task.plan_id)
    form = TaskReviewForm(request.POST or None, instance=task)
    if request.method == "POST":
        if form.is_valid():
            update_reviewed_task(
                task,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                deliverables=form.deliverables(),
                bodies={role: form.bodies(role) for role in ("lead", "coordinating")},
                resolve=PlanBodyResolver(plan.issuer, plan.reference_date),
                parse_milestones=lambda text: [m.as_json() for m in parse_deadline(text, plan.year)],
            )
            return _review_row(request, task)
        return render(request, "plans/_review_task_form.html", {"form": form, "task": task}, status=400)
    if request.GET.get("cancel"):
        return _review_row(request, task)
    return render(request, "plans/_review_task_form.html", {"form": form, "task": task})


@login_required
@require_POST
def assignment_pick_unit(request, pk):
    """A person picks the unit an unresolved body means; the text is remembered as an alias."""
    assignment = get_object_or_404(Assignment.objects.select_related("task__plan"), pk=pk)
    _managed_plan(request, assignment.task.plan_id)
    code = request.POST.get("unit_code", "").strip()
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        response = _review_row(request, assignment.task, status=400)
        response.content = (
            f'<tr><td colspan="5" class="text-danger small">Không tìm thấy đơn vị mã “{code}”. '
            "Hãy gõ tên rồi chọn trong danh sách gợi ý.</td></tr>"
        ).encode() + response.content
        return response
    with change_context(request=request):
        assignment.unit = unit
        assignment.save()
        teach_alias(assignment.text, unit)
    return _review_row(request, assignment.task)


@login_required
def plan_cascade(request, pk):
    """Build a unit's own plan from an issued plan above it; the tasks that oblige the unit
    (directly or through its class) are pre-selected."""
    parent = _plan_for(request, pk)
    issuers = _issuers_for(request.user).exclude(pk=parent.issuer_id)
    if not issuers.exists() or parent.status != Plan.Status.ISSUED:
        raise PermissionDenied("Chỉ lãnh đạo đơn vị mới xây dựng kế hoạch từ kế hoạch đã ban hành của cấp trên.")
    wanted = request.GET.get("don_vi") or request.POST.get("don_vi")
    issuer = issuers.filter(pk=wanted).first() if wanted and wanted.isdigit() else issuers.first()
    if issuer is None:
        raise Http404
    tasks = Task.objects.filter(plan=parent).select_related("section").order_by("section__position", "position")
    obliged = set(Obligation.objects.filter(task__plan=parent, unit=issuer).values_list("task_id", flat=True))
    if request.method == "POST":
        chosen = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
        if not chosen:
            messages.error(request, "Hãy chọn ít nhất một nhiệm vụ.")
        else:
            with change_context(request=request):
                plan = cascade_plan(parent, issuer, chosen, created_by=request.user)
            messages.success(request, f"Đã tạo dự thảo kế hoạch của {issuer} với {len(chosen)} nhiệm vụ.")
            return redirect("plans:review", pk=plan.pk)
    return render(request, "plans/plan_cascade.html", {
        "parent": parent, "issuer": issuer, "issuers": issuers, "tasks": tasks, "obliged": obliged,
    })


@login_required
@require_POST
def task_add(request, pk):
    """A new task in a section of a plan under review; it opens in its edit form."""
    plan = _managed_plan(request, pk)
    section = get_object_or_404(plan.sections, pk=request.POST.get("section"))
    position = (section.tasks.aggregate(last=Max("position"))["last"] or 0) + 1
    with change_context(request=request):
        task = Task.objects.create(
            plan=plan, section=section, position=position, number=str(section.tasks.count() + 1),
            content="Nhiệm vụ mới",
        )
    return render(request, "plans/_review_task_form.html", {"form": TaskReviewForm(instance=task), "task": task})


@login_required
@require_POST
def milestone_event(request, pk):
    """Record that the event an event milestone waits for has happened ("Khi có văn bản chỉ đạo
    của Trung ương"), and the deadline that follows; the obligations' statuses follow at once."""
    from django.forms import DateField

    milestone = get_object_or_404(Milestone.objects.select_related("task__plan"), pk=pk, kind=Milestone.Kind.EVENT)
    _managed_plan(request, milestone.task.plan_id)
    try:
        event_on = DateField().clean(request.POST.get("event_on"))
        due = DateField(required=False).clean(request.POST.get("due"))
    except Exception:
        messages.error(request, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")
        return redirect(milestone.task)
    if due and due < event_on:
        messages.error(request, "Hạn hoàn thành không thể trước ngày phát sinh sự kiện.")
        return redirect(milestone.task)
    with change_context(request=request):
        milestone.event_on, milestone.due = event_on, due
        milestone.save()
    obligations_changed.send(
        Milestone, obligations=Obligation.objects.filter(task=milestone.task), today=business_today()
    )
    messages.success(request, f"Đã ghi nhận sự kiện ngày {event_on:%d/%m/%Y}.")
    return redirect(milestone.task)


@login_required
@require_POST
def target_result(request, pk):
    """Record the value a plan's target has reached so far (typed, or later from a form indicator)."""
    from decimal import Decimal, InvalidOperation

    from cchc.core.statforms import parse_vn_number

    target = get_object_or_404(Target.objects.select_related("plan"), pk=pk)
    _managed_plan(request, target.plan_id)
    raw = request.POST.get("actual", "").strip()
    try:
        actual = Decimal(parse_vn_number(raw.rstrip("%").strip())) if raw else None
    except (ValueError, InvalidOperation):
        messages.error(request, f"“{raw}” không phải là số (viết như 98,5 hoặc 1.250).")
        return redirect(target.plan)
    with change_context(request=request):
        target.actual, target.actual_on = actual, business_today() if actual is not None else None
        target.save()
    return redirect(target.plan)
