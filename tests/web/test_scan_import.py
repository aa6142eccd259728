"""A scanned plan uploaded on the web: OCR'd in the background (a django-q2 task) while a progress
page polls, then reviewed with its tasks marked as read from a scan."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from cchc.core import ocr
from cchc.plans.models import Plan
from cchc.plans.scans import job_state, run_scan_import
from tests.core.test_plan_docs import SMALL_PLAN
from tests.fixtures.plan_docs import build_cached
from tests.fixtures.scans import rasterise
from tests.web.test_import import manager, thanh_hoa, upload  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(
    ocr.ocr_missing() is not None and not os.environ.get("CI"),
    reason="ocrmypdf / tesseract-ocr-vie are not installed; CI installs them",
)


@pytest.fixture(scope="module")
def small_scan(request, tmp_path_factory):
    cache = getattr(request.config, "cache", None)
    root = cache.mkdir("plan_docs") if cache is not None else tmp_path_factory.mktemp("plan_docs")
    pdf = build_cached(SMALL_PLAN, root, "small", fmt="pdf")
    return rasterise(pdf, tmp_path_factory.mktemp("scan") / "ke-hoach-ban-quet.pdf", dpi=200)


def test_a_scan_is_ocrd_in_the_background_with_progress_then_reviewed(
    client, manager, thanh_hoa, settings, tmp_path, small_scan, make_user  # noqa: F811
):
    settings.DATA_DIR = tmp_path
    client.force_login(manager)
    response = upload(client, small_scan, issuer=thanh_hoa["kien_tho"].pk)
    assert response.status_code == 302
    job_url = response["Location"]
    job = job_url.rstrip("/").rsplit("/", 1)[-1]
    assert job_url == reverse("plans:scan_job", args=[job])
    if job_state(job)["status"] == "queued":  # the worker has not taken it yet
        page = client.get(job_url).content.decode()
        assert "Đang chờ đến lượt nhận dạng" in page and 'hx-trigger="every 2s"' in page
        assert not Plan.objects.exists()

    other = make_user("someone-else", thanh_hoa["kien_tho"], "manager")
    client.force_login(other)
    assert client.get(job_url).status_code == 404  # another user's upload is not shown
    client.force_login(manager)

    plan_pk = run_scan_import(job)  # what the django-q2 worker runs
    state = job_state(job)
    assert state["status"] == "done" and state["done"] == state["total"] >= 1
    done = client.get(job_url)
    assert done.status_code == 302 and done["Location"] == reverse("plans:review", args=[plan_pk])
    plan = Plan.objects.get(pk=plan_pk)
    assert plan.read_from_scan
    assert plan.tasks.count() == sum(len(s["tasks"]) for s in SMALL_PLAN["sections"])
    assert all(task.from_scan for task in plan.tasks.all())
    review = client.get(done["Location"]).content.decode()
    assert 'id="scan-notice"' in review and review.count("Đọc từ bản quét") == plan.tasks.count()


def test_an_unknown_job_is_not_found(client, manager):  # noqa: F811
    client.force_login(manager)
    assert client.get(reverse("plans:scan_job", args=["0" * 24])).status_code == 404
    assert client.get(reverse("plans:scan_job", args=["x" * 24])).status_code == 404
