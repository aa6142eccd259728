"""What `/healthz` reports: the database answers, a django-q2 worker is alive, the data
directory has free space. Each check returns (ok, detail)."""

from __future__ import annotations

import os
import shutil

from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not reachable"; no details to anonymous callers
        return False, f"không kết nối được CSDL ({type(error).__name__})"
    return True, connection.vendor


def check_worker() -> tuple[bool, str]:
    """A django-q2 cluster saves its status to the shared cache every few seconds (3 s expiry):
    any live, non-stopped status means a worker is running."""
    try:
        from django_q.status import Stat

        stats = [stat for stat in Stat.get_all() if getattr(stat, "status", "") != "Stopped"]
    except Exception as error:
        return False, f"không đọc được trạng thái tiến trình nền ({type(error).__name__})"
    if not stats:
        return False, "không có tiến trình xử lý nền (qcluster) nào đang chạy"
    return True, f"{len(stats)} cluster"


def min_free_bytes() -> int:
    return int(os.environ.get("CCHC_MIN_FREE_MB", "200")) * 1024 * 1024


def check_disk() -> tuple[bool, str]:
    path = settings.MEDIA_ROOT if os.path.isdir(settings.MEDIA_ROOT) else settings.DATA_DIR
    free = shutil.disk_usage(path).free
    return free >= min_free_bytes(), f"{free // (1024 * 1024)} MB trống"


CHECKS = {"database": check_database, "worker": check_worker, "disk": check_disk}


def report() -> tuple[bool, dict]:
    results = {name: check() for name, check in CHECKS.items()}
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}
    healthy = all(ok for ok, _ in results.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": body}
