"""The tracking API: obligations with statuses at a date, and progress updates with evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.plans.models import Obligation


@pytest.fixture
def officer(kien_tho_plan, make_user):
    return make_user("officer", kien_tho_plan.issuer, "officer")


def test_obligations_filtered_by_status_at_a_date(client, kien_tho_plan, officer):
    client.force_login(officer)
    early = client.get("/api/obligations/", {"as_of": "2026-01-10", "status": "overdue", "limit": 500}).json()
    late = client.get("/api/obligations/", {"as_of": "2026-12-31", "status": "overdue", "limit": 500}).json()
    assert late["count"] > early["count"]
    assert all(row["status"] == "overdue" and row["unit"] == "38.15112" for row in late["results"]
               if row["unit"] == "38.15112")
    units = {row["unit"] for row in client.get("/api/obligations/", {"limit": 500}).json()["results"]}
    assert units and all(code == "38.15112" or code.startswith("38.15112/") for code in units)


def test_obligation_detail_lists_milestone_occurrences(client, kien_tho_plan, officer):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer,
                                           task__milestones__isnull=False).first()
    client.force_login(officer)
    data = client.get(f"/api/obligations/{obligation.pk}/", {"as_of": "2026-06-30"}).json()
    assert data["milestones"] and all("occurrences" in m for m in data["milestones"])
    assert {o["status"] for m in data["milestones"] for o in m["occurrences"]} <= {
        "done_on_time", "done_late", "pending", "overdue", "not_applicable"}


def test_create_update_with_evidence_through_the_api(client, kien_tho_plan, officer, pdf_bytes, make_user):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(officer)
    response = client.post("/api/progress-updates/", {
        "obligation": obligation.pk, "state": "done", "completed_on": "2026-02-01",
        "evidence_files": [SimpleUploadedFile("kq.pdf", pdf_bytes)],
        "evidence_references": ["Báo cáo số 12/BC-UBND ngày 01/02/2026"],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert {e["doc_symbol"] for e in body["evidence"]} >= {"BC-UBND"} and body["author"] == "officer"
    assert client.put(f"/api/progress-updates/{body['id']}/", {}, content_type="application/json").status_code == 405

    viewer = make_user("viewer", kien_tho_plan.issuer, "viewer")
    client.force_login(viewer)
    assert client.post("/api/progress-updates/", {"obligation": obligation.pk, "state": "done"}).status_code == 403
    from cchc.units.models import Unit

    client.force_login(make_user("other", Unit.objects.get(code="38.15991"), "officer"))
    refused = client.post("/api/progress-updates/", {"obligation": obligation.pk, "state": "done"})
    assert refused.status_code == 400 and client.get("/api/progress-updates/").json()["count"] == 0


def test_disguised_evidence_is_refused_by_the_api(client, kien_tho_plan, officer):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(officer)
    response = client.post("/api/progress-updates/", {
        "obligation": obligation.pk, "state": "done",
        "evidence_files": [SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 100)]})
    assert response.status_code == 400 and "x.pdf" in response.content.decode()
