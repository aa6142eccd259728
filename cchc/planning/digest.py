"""Gaps where coordinators look: the weekly digest's lines on draft plans, and the dashboard's
summary of the province's plan (units × tasks) and of its units' drafts."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import models
from django.urls import reverse

from cchc.core.lineage.gaps import KIND_LABELS
from cchc.plans.models import Plan
from cchc.units.models import Unit

from . import lineage


def _summary(gaps) -> str:
    counts = Counter(g.kind for g in gaps)
    return "; ".join(f"{KIND_LABELS[kind].lower()}: {n}" for kind, n in
                     sorted(counts.items(), key=lambda item: list(KIND_LABELS).index(item[0])))


def _item(plan: Plan, gaps) -> dict:
    return {
        "plan": plan.pk, "unit": plan.issuer.name, "year": plan.year, "gaps": len(gaps),
        "text": f"Dự thảo kế hoạch năm {plan.year} của {plan.issuer.name}: {len(gaps)} thiếu sót ({_summary(gaps)}).",
        "url": reverse("planning:gaps", args=[plan.pk]),
    }


def _drafts(province: Unit, years) -> models.QuerySet:
    return Plan.objects.filter(status=Plan.Status.DRAFT, year__in=list(years),
                               issuer_id__in=list(Unit.objects.subtree_ids(province))).select_related("issuer")


def draft_plan_gaps(province: Unit, today: datetime.date) -> list[dict]:
    """Draft plans of this year and the next of the units of the province, with their gaps: one
    dict per draft with gaps, {"plan", "unit", "year", "gaps", "text", "url"}; most lacking first.
    (The weekly digest's part: every draft in full, a few seconds for a province's 166 drafts.)"""
    items, cache = [], {}
    for plan in _drafts(province, (today.year, today.year + 1)).order_by("year", "issuer__name", "pk"):
        gaps = lineage.plan_gaps_for(plan, cache=cache)
        if gaps:
            items.append(_item(plan, gaps))
    return sorted(items, key=lambda item: (-item["gaps"], item["year"], item["unit"]))


def unit_draft_gaps(today: datetime.date) -> dict[int, list[dict]]:
    """Every unit's own draft plans of this year and the next that have gaps, by issuing unit (the
    weekly digest's unit-level part: each draft checked once, whoever the recipients are)."""
    by_unit: dict[int, list[dict]] = {}
    cache: dict = {}
    drafts = Plan.objects.filter(status=Plan.Status.DRAFT, year__in=(today.year, today.year + 1))
    for plan in drafts.select_related("issuer").order_by("year", "issuer__name", "pk"):
        gaps = lineage.plan_gaps_for(plan, cache=cache)
        if gaps:
            by_unit.setdefault(plan.issuer_id, []).append(_item(plan, gaps))
    return by_unit


def dashboard_gaps(owner: Unit, year: int, *, limit: int = 8) -> dict:
    """For the dashboard of `owner`, the year and the next: its issued plans with the rows of their
    matrix that lack units, and its units' drafts with their gaps. Drafts under one of those plans
    are counted from its matrix (duties not taken up; no query per draft); other drafts are checked
    in full, `limit` of them, so the panel stays quick with a province's 166 communes drafting."""
    plans, drafts, covered = [], [], set()
    for plan in Plan.objects.filter(issuer=owner, year__in=(year, year + 1),
                                    status=Plan.Status.ISSUED).select_related("issuer").order_by("year", "pk"):
        matrix = lineage.gap_matrix(plan)
        rows = sorted((r for r in lineage.summary_by_kind(matrix) if r.missing), key=lambda r: -r.missing)
        if rows:
            plans.append({"plan": plan, "rows": rows[:limit], "more": max(len(rows) - limit, 0)})
        for unit in matrix.units:
            child = matrix.plans.get(unit.pk)
            if child is None or child.status != Plan.Status.DRAFT:
                continue
            covered.add(child.pk)
            lacking = len(matrix.missing.get(unit.pk, []))
            if lacking:
                drafts.append({"plan": child.pk, "unit": unit.name, "year": child.year, "gaps": lacking,
                               "text": f"Dự thảo kế hoạch năm {child.year} của {unit.name}: chưa đưa {lacking} "
                                       f"nhiệm vụ của {plan.issuer.name} vào kế hoạch.",
                               "url": reverse("planning:gaps", args=[child.pk])})
    others = _drafts(owner, (year, year + 1)).exclude(pk__in=covered).order_by("year", "issuer__name", "pk")
    unchecked, cache = max(others.count() - limit, 0), {}
    for plan in others[:limit]:
        gaps = lineage.plan_gaps_for(plan, cache=cache)
        if gaps:
            drafts.append(_item(plan, gaps))
    drafts.sort(key=lambda item: (-item["gaps"], item["year"], item["unit"]))
    return {"plans": plans, "drafts": drafts[:limit], "more_drafts": max(len(drafts) - limit, 0) + unchecked}
