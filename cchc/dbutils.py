"""Database helpers shared by the apps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence


def update_grouped(model, instances: Iterable, fields: Sequence[str], batch: int = 900) -> int:
    """Save `fields` of many instances with one UPDATE per distinct combination of values.

    Derived columns (a status, a due date) take few distinct values across thousands of rows,
    where Django's bulk_update would build one huge CASE expression per batch."""
    groups: dict[tuple, list] = defaultdict(list)
    for instance in instances:
        groups[tuple(getattr(instance, field) for field in fields)].append(instance.pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), batch):
            model._base_manager.filter(pk__in=pks[start : start + batch]).update(**dict(zip(fields, values, strict=True)))
    return sum(len(pks) for pks in groups.values())
