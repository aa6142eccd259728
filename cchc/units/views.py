import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import DateField
from django.shortcuts import get_object_or_404, render

from .models import Unit, UnitKind


def _date_param(request, name) -> datetime.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return DateField().clean(raw)  # accepts 30/06/2022 through the vi formats module
    except ValidationError:
        return None


@login_required
def unit_list(request):
    """The registry as a tree; a search or a date narrows it to matching units, still as a tree."""
    on = _date_param(request, "ngay")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    units = Unit.objects.with_tree_fields().order_siblings_by("kind", "name")
    filtered = query or kind or on
    if filtered:
        matches = Unit.objects.all()
        if query:
            matches = matches.search(query)
        if kind:
            matches = matches.filter(kind=kind)
        if on:
            matches = matches.valid_on(on)
        units = units.filter(pk__in=matches.values("pk"))
    return render(
        request,
        "units/unit_list.html",
        {
            "units": units[:2000],
            "filtered": filtered,
            "query": query,
            "kind": kind,
            "on": on,
            "kinds": UnitKind.choices,
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit.children.order_by("kind", "name"),
            "predecessors": unit.successions_in.select_related("predecessor"),
            "successors": unit.successions_out.select_related("successor"),
            "aliases": unit.aliases.all(),
        },
    )


@login_required
def unit_search(request):
    """Suggestions for a unit picker (<datalist> options): name matches, current units first."""
    query = (request.GET.get("q") or request.GET.get("unit_code") or "").strip()
    units = Unit.objects.none()
    if len(query) >= 2:
        units = Unit.objects.search(query).order_by(
            "valid_to", "kind", "name"
        )[:20]
    return render(request, "units/_unit_options.html", {"units": units})
