"""Template tags other apps' templates use to show planning's findings without importing it:
``{% load planning %}{% plan_gaps_panel plan %}`` on the plan page, ``{% task_origin task %}`` on
the review screen."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from cchc.core.lineage.drafting import ORIGIN_LABELS

from .. import lineage
from ..models import DraftOrigin

register = template.Library()


@register.inclusion_tag("planning/_plan_gaps.html", takes_context=True)
def plan_gaps_panel(context, plan):
    request = context.get("request")
    user = getattr(request, "user", None)
    gaps = lineage.plan_gaps_for(plan)
    matrix_rows = []
    if plan.status == plan.Status.ISSUED and lineage.concerned_units(plan):
        matrix = lineage.gap_matrix(plan)
        matrix_rows = sorted((r for r in lineage.summary_by_kind(matrix) if r.missing), key=lambda r: -r.missing)[:5]
    return {
        "plan": plan, "gaps": gaps, "matrix_rows": matrix_rows,
        "parent": lineage.parent_plan_of(plan), "previous": lineage.previous_plan_of(plan),
        "can_manage": bool(user and user.has_perm("plans.change_plan", plan)),
    }


@register.simple_tag
def task_origin(task):
    origin = DraftOrigin.objects.filter(task=task).select_related("source__plan").first()
    if origin is None:
        return ""
    source = f" — từ nhiệm vụ {origin.source.number} kế hoạch năm {origin.source.plan.year}" if origin.source else ""
    return format_html('<div class="small"><span class="badge text-bg-info draft-origin">{}</span>{}</div>',
                       ORIGIN_LABELS[origin.origin], source)


@register.simple_tag
def dashboard_gaps_panel(owner, year):
    """A slot on the coordinator's dashboard, filled after the page loads (htmx) with who left out
    which duty of the owner's plan of the year and the drafts of its units with their gaps: the
    dashboard itself stays as fast as before, whatever the number of plans."""
    if owner is None:
        return ""
    url = reverse("planning:dashboard_gaps", args=[owner.pk])
    return format_html('<div id="dashboard-gaps-slot" hx-get="{}?nam={}" hx-trigger="load" hx-swap="outerHTML">'
                       '</div>', url, year)
