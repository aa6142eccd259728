from django import template

from cchc.par.tree import fmt

register = template.Library()


@register.filter
def pts(value):
    """Points the Vietnamese way: 12,5 · 100 · — when missing."""
    return fmt(value)


@register.filter
def dom(code: str) -> str:
    return "leaf-" + str(code).replace(".", "-").replace(":", "_")
