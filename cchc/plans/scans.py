"""Plans uploaded as scans (a PDF without text layer) are OCR'd in the background.

OCR takes seconds per page, too long for a web request: the upload is kept under
``DATA_DIR/scans/<job>.pdf`` with a small state file beside it, a django-q2 task (`run_scan_import`)
OCRs and imports it, writing its progress page by page, and the progress page polls that state
until it can send the user to the review screen.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from cchc.units.models import Unit

_JOB = "0123456789abcdef"


def scan_dir() -> Path:
    path = Path(settings.DATA_DIR) / "scans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state_path(job: str) -> Path:
    if len(job) != 24 or any(c not in _JOB for c in job):
        raise KeyError(job)
    return scan_dir() / f"{job}.json"


def job_state(job: str) -> dict | None:
    """The job's state: status ("queued", "reading", "done", "error"), done/total pages, plan, message."""
    try:
        return json.loads(_state_path(job).read_text(encoding="utf-8"))
    except (KeyError, OSError, ValueError):
        return None


def _write_state(job: str, **changes) -> dict:
    state = {**(job_state(job) or {}), **changes}
    path = _state_path(job)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return state


def start_scan_import(data: bytes, name: str, *, issuer: Unit | None, year: int | None, user, pages: int) -> str:
    """Keep the upload and queue its OCR and import; the job's id."""
    from django_q.tasks import async_task

    job = secrets.token_hex(12)
    (scan_dir() / f"{job}.pdf").write_bytes(data)
    _write_state(
        job, status="queued", done=0, total=pages, name=name, user=user.pk if user else None,
        issuer=issuer.pk if issuer else None, year=year, plan=None, message="",
    )
    async_task("cchc.plans.scans.run_scan_import", job, task_name=f"ocr {name}"[:100])
    return job


def run_scan_import(job: str) -> int | None:
    """The background task: OCR the kept upload, import it as a draft plan; the plan's id."""
    from cchc.history.context import change_context

    from .importing import ImportRefused, PlanReadError, import_plan_document

    state = job_state(job)
    if state is None or state.get("status") in ("done", "error"):
        return state.get("plan") if state else None
    source = scan_dir() / f"{job}.pdf"
    user = get_user_model().objects.filter(pk=state.get("user")).first()
    issuer = Unit.objects.filter(pk=state.get("issuer")).first() if state.get("issuer") else None
    _write_state(job, status="reading")

    def progress(done: int, total: int) -> None:
        _write_state(job, done=done, total=total)

    try:
        with change_context(user=user, origin=f"nhập kế hoạch {state['name']} (bản quét)"):
            outcome = import_plan_document(
                source.read_bytes(), state["name"], issuer=issuer, year=state.get("year"), user=user,
                progress=progress,
            )
    except PlanReadError as failure:
        where = f"dòng {failure.line}" if failure.line else "tệp"
        _write_state(job, status="error", message=f"Không đọc được “{state['name']}” ({where}): {failure.message}. Chưa có gì được lưu.")
        return None
    except ImportRefused as failure:
        _write_state(job, status="error", message=f"{failure} Chưa có gì được lưu.")
        return None
    finally:
        source.unlink(missing_ok=True)
    _write_state(job, status="done", plan=outcome.plan.pk)
    return outcome.plan.pk
