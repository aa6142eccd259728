"""Importing a plan document into the database: read, resolve its issuer and bodies, save."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from cchc.core.plan_reader import PlanReadError, document_text, mark_read_from_scan, read_plan_text, scan_text
from cchc.scratch import upload_on_disk
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


def find_issuer(issuer_text: str, on: datetime.date, index=None) -> Unit | None:
    resolution = (index or name_index()).resolve(issuer_text or "", on=on)
    if resolution.outcome == "unit" and len(resolution.unit_codes) == 1:
        return Unit.objects.get(code=resolution.unit_codes[0])
    return None


def read_document(data: bytes, name: str, *, progress=None) -> tuple[str, bool]:
    """The document's text as the plan reader and the review screen see it (line numbers match),
    and whether it was read from a scan through OCR (``progress(done, total)`` hears its pages)."""
    from cchc.core.ocr import is_scan

    with upload_on_disk(data, name) as path:
        if path.suffix.lower() == ".pdf" and is_scan(path):
            return scan_text(path, progress=progress), True
        return document_text(path), False


def import_plan_document(
    data: bytes, name: str, *, issuer: Unit | None = None, year: int | None = None, user=None, progress=None
) -> ImportOutcome:
    """Read the document and store it as a draft plan; all or nothing. The same content
    imported again is recognised: the existing plan is returned with duplicate=True."""
    digest = hashlib.sha256(data).hexdigest()
    existing = Plan.objects.filter(source_sha256=digest).first()
    if existing is not None:
        return ImportOutcome(plan=existing, duplicate=True)
    text, scanned = read_document(data, name, progress=progress)
    parsed = read_plan_text(text, year=year, source_name=name)
    if scanned:
        mark_read_from_scan(parsed)
    on = datetime.date.fromisoformat(parsed["issued_on"]) if parsed.get("issued_on") else datetime.date(parsed["year"], 1, 1)
    index = name_index()  # built once: it serves the issuer and every body of the plan
    if issuer is None:
        issuer = find_issuer(parsed.get("issuer") or "", on, index)
        if issuer is None:
            raise ImportRefused(
                f"{name}: không xác định được đơn vị ban hành “{parsed.get('issuer') or '(trống)'}” "
                "trong danh mục đơn vị; hãy chọn đơn vị ban hành."
            )
    with transaction.atomic():
        plan, unresolved = save_parsed_plan(
            parsed,
            issuer=issuer,
            resolve=PlanBodyResolver(issuer, on, index),
            source_name=name,
            source_sha256=digest,
            source_text=text,
            source_file=ContentFile(data),
            created_by=user,
        )
    return ImportOutcome(plan=plan, unresolved=unresolved)


def import_plan_file(path: str | Path, **options) -> ImportOutcome:
    path = Path(path)
    return import_plan_document(path.read_bytes(), path.name, **options)


__all__ = ["ImportOutcome", "ImportRefused", "PlanReadError", "find_issuer", "import_plan_document", "import_plan_file"]
