"""The unit registry's operations: loading a province's units and resolving names in plans.

The data and the matching rules live in the functional core (cchc.core.units); this module
moves them in and out of the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from cchc.core import units as core
from cchc.core.text import fold
from cchc.history.bulk import record_bulk
from cchc.history.models import ObjectChange, snapshot

from .models import Succession, Unit, UnitAlias, UnitClass, UnitKind


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    successions: int = 0

    def __iadd__(self, other: LoadResult) -> LoadResult:
        self.created += other.created
        self.updated += other.updated
        self.successions += other.successions
        return self


def ensure_unit_classes() -> None:
    for key, unit_class in core.UNIT_CLASSES.items():
        kinds = [*unit_class.kinds, *(["province"] if unit_class.include_province else [])]
        UnitClass.objects.update_or_create(key=key, defaults={"name": unit_class.label, "member_kinds": kinds})


_FIELDS = ("name", "kind", "short_names", "valid_from", "valid_to")


@transaction.atomic
def load_province(province: str = "thanh-hoa") -> LoadResult:
    """Insert or update a province's units and their successions, in bulk, every write in the
    change history. Idempotent. Raises core.UnknownProvince for a key not in the dataset."""
    result = _load(core.province_units(province))
    ensure_unit_classes()
    return result


@transaction.atomic
def load_all_provinces() -> LoadResult:
    result = LoadResult()
    for key in core.provinces():
        result += _load(core.province_units(key))
    ensure_unit_classes()
    return result


def _depth(records: list[core.UnitRecord]) -> dict[str, int]:
    parents = {r.code: r.parent_code for r in records}
    depth: dict[str, int] = {}
    for code in parents:
        chain, current = [], code
        while current is not None and current not in depth and len(chain) < 32:
            chain.append(current)
            current = parents.get(current)
        base = depth.get(current, -1) if current is not None else -1
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset
    return depth


def _load(records: list[core.UnitRecord]) -> LoadResult:
    result = LoadResult()
    codes = [r.code for r in records]
    by_code = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    outside = {r.parent_code for r in records if r.parent_code} - set(codes)
    by_code.update({unit.code: unit for unit in Unit.objects.filter(code__in=outside)})
    depth = _depth(records)
    created, updated, before = [], [], {}
    # Parents first, a level at a time, so that every child knows its parent's id.
    for level in sorted(set(depth.values())):
        fresh = []
        for record in (r for r in records if depth[r.code] == level):
            parent_id = by_code[record.parent_code].pk if record.parent_code else None
            fields = {name: _value(record, name) for name in _FIELDS}
            unit = by_code.get(record.code)
            if unit is None:
                unit = Unit(code=record.code, parent_id=parent_id, **fields)
                unit.refresh_search_text()
                fresh.append(unit)
            elif unit.parent_id != parent_id or any(getattr(unit, n) != v for n, v in fields.items()):
                before[unit.pk] = snapshot(unit)
                for name, value in fields.items():
                    setattr(unit, name, value)
                unit.parent_id = parent_id
                unit.refresh_search_text()
                updated.append(unit)
        for unit in Unit.objects.bulk_create(fresh, batch_size=500):
            by_code[unit.code] = unit
        created += fresh
    Unit.objects.bulk_update(updated, [*_FIELDS, "parent", "search_text"], batch_size=500)
    record_bulk(created, ObjectChange.Action.CREATE)
    record_bulk(updated, ObjectChange.Action.UPDATE, before)
    result.created, result.updated = len(created), len(updated)

    ids = [by_code[c].pk for c in codes]
    known = set(Succession.objects.filter(predecessor__in=ids).values_list("predecessor_id", "successor_id"))
    successions = []
    for record in records:
        for successor_code, kind, day in record.successors:
            pair = (by_code[record.code].pk, by_code[successor_code].pk)
            if pair not in known:
                known.add(pair)
                successions.append(Succession(predecessor_id=pair[0], successor_id=pair[1], kind=kind, on=day))
    Succession.objects.bulk_create(successions, batch_size=500)
    record_bulk(successions, ObjectChange.Action.CREATE)
    result.successions = len(successions)
    return result


def _value(record: core.UnitRecord, name: str):
    value = getattr(record, name)
    return list(value) if name == "short_names" else value


def name_index() -> core.NameIndex:
    """A resolver over every unit in the database and every alias people have taught it."""
    units = Unit.objects.values(
        "code", "name", "kind", "short_names", "valid_from", "valid_to", "parent__code"
    )
    records = [
        core.UnitRecord(
            code=row["code"], name=row["name"], kind=row["kind"], parent_code=row["parent__code"],
            short_names=tuple(row["short_names"] or ()), valid_from=row["valid_from"], valid_to=row["valid_to"],
        )
        for row in units
    ]
    aliases = dict(UnitAlias.objects.values_list("text", "unit__code"))
    return core.NameIndex(records, aliases)


class PlanBodyResolver:
    """Resolves the bodies named in one plan: at the plan's date, relative to its issuer.
    Internal offices and posts ("Công chức Tư pháp - Hộ tịch") become units under the issuer."""

    def __init__(self, issuer: Unit, on: datetime.date, index: core.NameIndex | None = None):
        self.issuer = issuer
        self.on = on
        self.index = index or name_index()
        self.classes = {unit_class.key: unit_class for unit_class in UnitClass.objects.all()}

    def __call__(self, text: str) -> tuple[Unit | None, UnitClass | None]:
        resolution = self.index.resolve(text, on=self.on, issuer_code=self.issuer.code)
        if resolution.outcome == "unit" and len(resolution.unit_codes) == 1:
            return Unit.objects.get(code=resolution.unit_codes[0]), None
        if resolution.outcome == "class":
            return None, self.classes.get(resolution.class_key)
        if resolution.outcome == "office":
            return self.office(resolution.office_name), None
        return None, None

    def office(self, name: str) -> Unit:
        code = f"{self.issuer.code}/{slugify(fold(name))}"[:64]
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": UnitKind.OFFICE, "parent": self.issuer}
        )
        return unit


def teach_alias(text: str, unit: Unit) -> UnitAlias:
    """Remember that `text` means `unit`, so the next import resolves it by itself."""
    alias, _ = UnitAlias.objects.update_or_create(folded=fold(text), defaults={"text": text, "unit": unit})
    return alias
