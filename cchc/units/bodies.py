"""Importing a province's bodies from its .xlsx (rules in cchc/core/units/bodies.py): the
template filled with the current list, the dry run, and the transactional, audited apply.

Every write is a model save inside the caller's change_context, so each body created or changed
and each succession added appears in the change history with who did it and from which file.
"""

from __future__ import annotations

from django.db import transaction

from cchc.core.sheets import SheetError, read_xlsx, write_xlsx
from cchc.core.units import bodies as core
from cchc.core.units.records import UnitRecord

from .models import Succession, Unit


class ImportRefused(Exception):
    """The file cannot be imported: its errors, each naming the file, row and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def province_units(province: Unit) -> dict[str, UnitRecord]:
    ids = Unit.objects.subtree_ids(province)
    rows = Unit.objects.filter(pk__in=ids).values(
        "code", "name", "kind", "short_names", "valid_from", "valid_to", "parent__code"
    )
    return {
        row["code"]: UnitRecord(
            code=row["code"], name=row["name"], kind=row["kind"], parent_code=row["parent__code"],
            short_names=tuple(row["short_names"] or ()), valid_from=row["valid_from"], valid_to=row["valid_to"],
        )
        for row in rows
    }


def _successions(codes) -> set[tuple[str, str]]:
    return set(
        Succession.objects.filter(successor__code__in=codes).values_list("predecessor__code", "successor__code")
    )


def template(province: Unit) -> bytes:
    """The template, filled with the province's current bodies."""
    units = province_units(province)
    bodies = [r for r in units.values() if r.kind in core.BODY_KINDS]
    rows = core.template_rows(bodies, _successions([r.code for r in bodies]), province.code)
    return write_xlsx(core.COLUMNS, rows, [f"Tỉnh: {province.name} (mã {province.code}).", *core.NOTES], "Cơ quan")


def dry_run(province: Unit, data: bytes, name: str) -> core.Plan:
    """What importing the file would change. Raises ImportRefused when the file or a row is wrong."""
    try:
        sheet = read_xlsx(data, name, core.COLUMNS)
    except SheetError as exc:
        raise ImportRefused([str(exc)]) from None
    rows, errors = core.read_rows(sheet)
    existing = province_units(province)
    codes = [row.code for row in rows]
    elsewhere = set(Unit.objects.filter(code__in=codes).exclude(code__in=existing.keys()).values_list("code", flat=True))
    plan = core.plan_import(
        rows, province_code=province.code, existing=existing, elsewhere=elsewhere, successions=_successions(codes)
    )
    errors += plan.errors
    if errors:
        raise ImportRefused([e.text(name) for e in sorted(errors, key=lambda e: e.line)])
    return plan


@transaction.atomic
def apply(province: Unit, data: bytes, name: str) -> core.Plan:
    """Import the file: all rows or none. Run inside a change_context naming the person."""
    plan = dry_run(province, data, name)
    by_code = {u.code: u for u in Unit.objects.filter(pk__in=Unit.objects.subtree_ids(province))}
    pending = [c for c in plan.changes if c.action != "unchanged"]
    # Parents first: a new body may hang under another new one of the same file.
    while pending:
        ready = [c for c in pending if _parent_code(c, by_code) in by_code or _parent_code(c, by_code) is None]
        if not ready:
            raise ImportRefused([f"{name}: đơn vị cấp trên tạo thành vòng lặp."])
        for change in ready:
            _write(change, by_code)
        pending = [c for c in pending if c not in ready]
    for change in plan.changes:
        for predecessor, successor, on in change.successions:
            Succession.objects.create(
                predecessor=by_code[predecessor], successor=by_code[successor], kind=Succession.Kind.MERGED_INTO, on=on
            )
    return plan


def _parent_code(change: core.Change, by_code: dict[str, Unit]) -> str | None:
    if "parent" in change.fields:
        return change.fields["parent"][1]
    unit = by_code.get(change.code)
    return unit.parent.code if unit is not None and unit.parent_id else None


def _write(change: core.Change, by_code: dict[str, Unit]) -> None:
    unit = by_code.get(change.code) or Unit(code=change.code)
    for key, (_old, new) in change.fields.items():
        if key == "parent":
            unit.parent = by_code[new]
        elif key == "short_names":
            unit.short_names = list(new)
        else:
            setattr(unit, key, new)
    if unit.kind not in core.BODY_KINDS:  # guarded by the plan; never turn a body into a commune
        raise ImportRefused([f"dòng {change.line}: loại đơn vị “{unit.kind}” không nhập được ở đây."])
    if change.fields:
        unit.save()
    by_code[unit.code] = unit

