"""The country the PostgreSQL benchmarks run on: every province's real units, loaded through the
unit registry (``cchc.units.registry.load_all_provinces``, what ``cchc load-units --all`` does) from
the national dataset: the 34 provinces and cities since 1/7/2025 with their 3,321 communes, wards and
special zones, their departments and other bodies, and their predecessors before 2025 with the
successions. The benchmarks put their generated data on the units in force on a given day."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field


@dataclass
class Province:
    pk: int
    code: str
    name: str  # "UBND tỉnh Thanh Hóa"
    place: str  # "Thanh Hóa"
    departments: list[tuple[int, str, str]] = field(default_factory=list)  # (pk, code, name), Sở Nội vụ first
    communes: list[tuple[int, str, str]] = field(default_factory=list)  # (pk, code, name), by code


def load_country(on: datetime.date) -> tuple[list[Province], dict]:
    """Load every province's units (idempotent), and return the provinces in force ``on`` in
    dataset code order, each with its departments and communes in force that day (direct
    children), and the load's figures: units created, successions, seconds."""
    from django.db.models import Q

    from cchc.core.units import country
    from cchc.units.models import Unit, UnitKind
    from cchc.units.registry import load_all_provinces

    started = time.perf_counter()
    result = load_all_provinces()
    figures = {"created": result.created, "successions": result.successions,
               "seconds": time.perf_counter() - started}
    in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    units = Unit.objects.filter(in_force)
    by_code = {code: (pk, name) for pk, code, name in
               units.filter(kind=UnitKind.PROVINCE).values_list("pk", "code", "name")}
    provinces, by_pk = [], {}
    for prov in country.provinces().values():
        pk, name = by_code[prov.code]
        unit = Province(pk, prov.code, name, prov.place)
        provinces.append(unit)
        by_pk[pk] = unit
    rows = units.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE], parent__in=list(by_pk))
    for pk, code, name, kind, parent in rows.order_by("code").values_list("pk", "code", "name", "kind", "parent_id"):
        target = by_pk[parent].departments if kind == UnitKind.DEPARTMENT else by_pk[parent].communes
        target.append((pk, code, name))
    for unit in provinces:
        unit.departments.sort(key=lambda d: d[2] != "Sở Nội vụ")  # stable: the rest stay by code
    figures["departments"] = sum(len(p.departments) for p in provinces)
    figures["communes"] = sum(len(p.communes) for p in provinces)
    return provinces, figures


def describe(figures: dict, provinces: list[Province]) -> str:
    return (f"  real units (cchc.units.registry.load_all_provinces): {figures['created']:,} units and "
            f"{figures['successions']:,} successions in {figures['seconds']:.1f} s; in force: "
            f"{len(provinces)} provinces, {figures['departments']:,} departments, {figures['communes']:,} communes")
