"""Change records for rows written in bulk (bulk_create/update skip model signals)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from .context import current_context
from .models import ObjectChange, snapshot


def record_bulk(instances: Iterable, action: str, before: dict | None = None) -> None:
    """Write one ObjectChange per instance; `before` maps pk → pre-change snapshot for updates."""
    context = current_context()
    user = context.user if context else None
    request_id = context.request_id if context else uuid.uuid4()
    rows = []
    for instance in instances:
        parent = instance.history_parent()
        rows.append(
            ObjectChange(
                user=user,
                user_name=user.get_username() if user else "",
                request_id=request_id,
                origin=context.origin if context else "",
                action=action,
                object_type=ContentType.objects.get_for_model(instance),
                object_id=str(instance.pk),
                object_repr=str(instance)[:300],
                parent_type=ContentType.objects.get_for_model(parent) if parent is not None else None,
                parent_id=str(parent.pk) if parent is not None else "",
                prechange_data=(before or {}).get(instance.pk),
                postchange_data=snapshot(instance) if action != ObjectChange.Action.DELETE else None,
            )
        )
    ObjectChange.objects.bulk_create(rows, batch_size=500)
