"""The cchc WSGI application with a fault point for the kill tests: when the environment names
one (CCHC_FAULT=tasks:N, or obligations), the web worker writes CCHC_FAULT_MARKER at that point
of the transaction and then waits, so the test can SIGKILL the server exactly there.

    tasks:N       after the N-th task of a plan import is saved (the plan's file already stored)
    obligations   after an issue's obligations are inserted, before the history and the commit
    values        after a form import's submission values are inserted, before the history and
                  the commit
    report        in the middle of generating a period's report (the figures gathered, the
                  document not yet written)
    reading       while an uploaded plan is being read from its scratch copy on disk
"""

import os
import time
from pathlib import Path

from django.db.models.signals import post_save

from cchc.wsgi import application  # noqa: F401  (sets Django up)

FAULT = os.environ.get("CCHC_FAULT", "")
MARKER = Path(os.environ.get("CCHC_FAULT_MARKER", "/nonexistent"))


def _stop_here(what: str) -> None:
    MARKER.write_text(what)
    time.sleep(120)  # the test kills us meanwhile


if FAULT.startswith("tasks:"):
    from cchc.plans.models import Task

    limit = int(FAULT.split(":")[1])
    seen = {"n": 0}

    def _after_task(sender, instance, created, **kwargs):
        seen["n"] += created
        if seen["n"] == limit:
            _stop_here(f"task {limit}")

    post_save.connect(_after_task, sender=Task, weak=False)

elif FAULT == "obligations":
    from cchc.plans import services

    original = services.record_bulk

    def record_bulk(objects, *args, **kwargs):
        from cchc.plans.models import Obligation

        if objects and isinstance(objects[0], Obligation):
            _stop_here(f"{len(objects)} obligations")
        return original(objects, *args, **kwargs)

    services.record_bulk = record_bulk

elif FAULT == "values":
    from cchc.reporting import services as reporting_services

    original_values = reporting_services.record_bulk

    def record_values(objects, *args, **kwargs):
        from cchc.reporting.models import SubmissionValue

        if objects and isinstance(objects[0], SubmissionValue):
            _stop_here(f"{len(objects)} values")
        return original_values(objects, *args, **kwargs)

    reporting_services.record_bulk = record_values

elif FAULT == "report":
    from cchc.reporting import documents

    original_docx = documents.build_report_docx

    def build_report_docx(report, *args, **kwargs):
        _stop_here(f"report of {len(report)} parts")
        return original_docx(report, *args, **kwargs)

    documents.build_report_docx = build_report_docx

elif FAULT == "reading":
    from cchc.plans import importing

    original_text = importing.document_text

    def document_text(path, *args, **kwargs):
        _stop_here(f"reading {path}")
        return original_text(path, *args, **kwargs)

    importing.document_text = document_text
