"""Panels the plans app contributes to pages of lower apps (the unit page lists the unit's plans),
so that those apps need not import plans."""

from django import template

from cchc.plans.models import Plan

register = template.Library()


@register.inclusion_tag("plans/_issued_plans.html", takes_context=True)
def issued_plans(context, unit):
    """The plans `unit` issued that the viewing user may see."""
    return {"plans": Plan.objects.restrict(context["request"].user).filter(issuer=unit)}
