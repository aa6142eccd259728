"""Recording progress: one update, its evidence, and the status that follows."""

from __future__ import annotations

import datetime

from django.db import transaction

from cchc.core.docref import parse_document_ref
from cchc.today import today as business_today

from .models import Evidence, ProgressUpdate
from .status import apply_update


def evidence_from_reference(reference: str, **fields) -> Evidence:
    """An Evidence row with the reference's parts parsed ("Quyết định số 1810/QĐ-UBND ngày 06/5/2024")."""
    ref = parse_document_ref(reference) if reference else None
    return Evidence(
        reference=reference,
        doc_kind=(ref.kind or "") if ref else "",
        doc_number=(ref.number or "") if ref else "",
        doc_symbol=(ref.symbol or "") if ref else "",
        doc_date=ref.issued_on if ref else None,
        **fields,
    )


@transaction.atomic
def record_progress(update: ProgressUpdate, evidence: list[Evidence], *, today: datetime.date | None = None) -> ProgressUpdate:
    today = today or business_today()
    if update.state == ProgressUpdate.State.DONE and update.percent is None:
        update.percent = 100
    update.save()
    for item in evidence:
        item.update = update
        item.save()
    apply_update(update, today)
    return update
