from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from cchc.accounts.models import Membership
from cchc.accounts.scope import scope_for
from cchc.accounts.setup import next_steps
from cchc.plans.models import Obligation, Plan


@login_required
def home(request):
    scope = scope_for(request.user)
    plans = (
        Plan.objects.restrict(request.user)
        .select_related("issuer")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("-year", "issuer__name")[:10]
    )
    obligations = Obligation.objects.restrict(request.user).active()
    counts = obligations.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(completed_on__isnull=False))
    )
    memberships = Membership.objects.filter(user=request.user).select_related("unit")
    # First run (cchc init): no plan yet; the coordinator sees what to do next.
    coordinator = request.user.is_superuser or any(m.role == "coordinator" for m in memberships)
    first_steps = next_steps(request.user.get_username())[2:] if coordinator and not Plan.objects.exists() else []
    return render(
        request,
        "front/home.html",
        {"plans": plans, "counts": counts, "memberships": memberships, "scope": scope, "first_steps": first_steps},
    )
