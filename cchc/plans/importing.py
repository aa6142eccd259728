"""Importing a plan document into the database: read, resolve its issuer and bodies, save."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from cchc.core.plan_reader import PlanReadError, read_plan
from cchc.units.models import Unit
from cchc.units.registry import PlanBodyResolver, name_index

from .models import Plan
from .services import save_parsed_plan


class ImportRefused(Exception):
    """The document was read but cannot be stored; the message says why, in Vietnamese."""


@dataclass
class ImportOutcome:
    plan: Plan
    unresolved: list[str] = field(default_factory=list)
    duplicate: bool = False


def find_issuer(issuer_text: str, on: datetime.date) -> Unit | None:
    resolution = name_index().resolve(issuer_text or "", on=on)
    if resolution.outcome == "unit" and len(resolution.unit_codes) == 1:
        return Unit.objects.get(code=resolution.unit_codes[0])
    return None


def import_plan_file(path: str | Path, *, issuer: Unit | None = None, year: int | None = None, user=None) -> ImportOutcome:
    """Read the document and store it as a draft plan; all or nothing. A file already imported
    (same content) is not imported twice: the existing plan is returned with duplicate=True."""
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    existing = Plan.objects.filter(source_sha256=digest).first()
    if existing is not None:
        return ImportOutcome(plan=existing, duplicate=True)
    parsed = read_plan(path, year=year)
    on = datetime.date.fromisoformat(parsed["issued_on"]) if parsed.get("issued_on") else datetime.date(parsed["year"], 1, 1)
    if issuer is None:
        issuer = find_issuer(parsed.get("issuer") or "", on)
        if issuer is None:
            raise ImportRefused(
                f"{path.name}: không xác định được đơn vị ban hành “{parsed.get('issuer') or '(trống)'}” "
                "trong danh mục đơn vị; hãy chọn đơn vị ban hành."
            )
    source_text = path.read_text(encoding="utf-8", errors="replace") if path.suffix.lower() == ".txt" else ""
    with transaction.atomic():
        plan, unresolved = save_parsed_plan(
            parsed,
            issuer=issuer,
            resolve=PlanBodyResolver(issuer, on),
            source_name=path.name,
            source_sha256=digest,
            source_text=source_text,
            source_file=ContentFile(data),
            created_by=user,
        )
    return ImportOutcome(plan=plan, unresolved=unresolved)


__all__ = ["ImportOutcome", "ImportRefused", "PlanReadError", "find_issuer", "import_plan_file"]
