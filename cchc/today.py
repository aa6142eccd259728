"""The business date: what "today" is for deadlines, statuses, reporting periods and the demo.

`CCHC_TODAY` (environment or setting; 2026-03-15 or 15/03/2026) pins it, so that the demo's
pages and screenshots are reproducible; unset, it is the local date. Timestamps (who changed what
when) stay real: only business dates go through here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def parse_day(value: str) -> datetime.date:
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ImproperlyConfigured(f"CCHC_TODAY={value!r}: ngày không hợp lệ (cần dạng 2026-03-15 hoặc 15/03/2026)")


def today() -> datetime.date:
    pinned = getattr(settings, "CCHC_TODAY", None)
    if not pinned:
        return timezone.localdate()
    return pinned if isinstance(pinned, datetime.date) else parse_day(pinned)
