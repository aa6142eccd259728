from django import template

from cchc.core.surveys import show_pct

register = template.Library()


@register.filter
def pct(value):
    """99,65% (a Stat's share or margin); a dash when there is no valid answer (or no value)."""
    return show_pct(None if value == "" else value)


@register.filter
def stat(value):
    """“87,50% ± 3,21%” for a Stat."""
    if value is None or value.pct is None:
        return "–"
    return f"{show_pct(value.pct)} ± {show_pct(value.margin)}"


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""
