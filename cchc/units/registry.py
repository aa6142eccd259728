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

from .models import Succession, Unit, UnitAlias, UnitClass, UnitKind


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    successions: int = 0


def ensure_unit_classes() -> None:
    for key, unit_class in core.UNIT_CLASSES.items():
        kinds = [*unit_class.kinds, *(["province"] if unit_class.include_province else [])]
        UnitClass.objects.update_or_create(key=key, defaults={"name": unit_class.label, "member_kinds": kinds})


@transaction.atomic
def load_province(province: str = "thanh-hoa") -> LoadResult:
    """Insert or update a province's units and their successions. Idempotent."""
    records = core.province_units(province)
    by_code = {unit.code: unit for unit in Unit.objects.filter(code__in=[r.code for r in records])}
    result = LoadResult()
    # Parents come before children in the dataset's order only by luck; two passes make it certain.
    for record in records:
        fields = {
            "name": record.name,
            "kind": record.kind,
            "short_names": list(record.short_names),
            "valid_from": record.valid_from,
            "valid_to": record.valid_to,
        }
        unit = by_code.get(record.code)
        if unit is None:
            unit = Unit.objects.create(code=record.code, **fields)
            by_code[record.code] = unit
            result.created += 1
        elif any(getattr(unit, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(unit, name, value)
            unit.save()
            result.updated += 1
    for record in records:
        unit = by_code[record.code]
        parent_id = by_code[record.parent_code].pk if record.parent_code else None
        if unit.parent_id != parent_id:
            unit.parent_id = parent_id
            unit.save(update_fields=["parent"])
        for successor_code, kind, day in record.successors:
            _, created = Succession.objects.get_or_create(
                predecessor=unit, successor=by_code[successor_code], defaults={"kind": kind, "on": day}
            )
            result.successions += created
    ensure_unit_classes()
    return result


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
