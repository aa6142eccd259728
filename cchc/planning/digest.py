"""Gaps where coordinators look: the weekly digest's lines on draft plans, and the dashboard's
summary of the province's plan (units × tasks) and of its units' drafts."""

from __future__ import annotations

import datetime
from collections import Counter

from django.urls import reverse

from cchc.core.lineage.gaps import KIND_LABELS
from cchc.plans.models import Plan
from cchc.units.models import Unit

from . import lineage


def _summary(gaps) -> str:
    counts = Counter(g.kind for g in gaps)
    return "; ".join(f"{KIND_LABELS[kind].lower()}: {n}" for kind, n in
                     sorted(counts.items(), key=lambda item: list(KIND_LABELS).index(item[0])))


def draft_plan_gaps(province: Unit, today: datetime.date) -> list[dict]:
    """Draft plans of this year or later of the units of the province, with their gaps: one dict
    per draft with gaps, {"plan", "unit", "year", "gaps", "text", "url"}; those most lacking first."""
    drafts = Plan.objects.filter(status=Plan.Status.DRAFT, year__gte=today.year,
                                 issuer_id__in=list(Unit.objects.subtree_ids(province))).select_related("issuer")
    items = []
    for plan in drafts.order_by("year", "issuer__name", "pk"):
        gaps = lineage.plan_gaps_for(plan)
        if not gaps:
            continue
        items.append({
            "plan": plan.pk, "unit": plan.issuer.name, "year": plan.year, "gaps": len(gaps),
            "text": f"Dự thảo kế hoạch năm {plan.year} của {plan.issuer.name}: {len(gaps)} thiếu sót "
                    f"({_summary(gaps)}).",
            "url": reverse("planning:gaps", args=[plan.pk]),
        })
    return sorted(items, key=lambda item: (-item["gaps"], item["year"], item["unit"]))


def dashboard_gaps(owner: Unit, year: int, *, limit: int = 8) -> dict:
    """For the dashboard of `owner`: its issued plans of the year with the rows of their matrix
    that lack units, and the drafts of its units (this year and next) with their gaps."""
    plans = []
    for plan in Plan.objects.filter(issuer=owner, year=year, status=Plan.Status.ISSUED).order_by("pk"):
        matrix = lineage.gap_matrix(plan)
        rows = sorted((r for r in lineage.summary_by_kind(matrix) if r.missing), key=lambda r: -r.missing)
        if rows:
            plans.append({"plan": plan, "rows": rows[:limit], "more": max(len(rows) - limit, 0)})
    drafts = [d for d in draft_plan_gaps(owner, datetime.date(year, 1, 1)) if d["year"] <= year + 1]
    return {"plans": plans, "drafts": drafts[:limit], "more_drafts": max(len(drafts) - limit, 0)}
