"""The reporting API: same permissions and workflow as the pages, documented in the schema."""

from __future__ import annotations

from decimal import Decimal

from rest_framework.test import APIClient

from cchc.reporting import services


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_submission_through_the_api(registry, period, people):
    commune = api(people["commune"])
    assert [p["id"] for p in commune.get("/api/reporting-periods/").json()["results"]] == [period.pk]
    created = commune.post("/api/submissions/", {"period": period.pk, "unit": registry["old_a"].pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api(people["other_commune"]).post(
        "/api/submissions/", {"period": period.pk, "unit": registry["old_a"].pk}, format="json"
    ).status_code == 403

    bad = commune.patch(f"/api/submissions/{pk}/", {"values": {"3:3.1.1": "1.5", "3:3.1": 5}}, format="json")
    assert bad.status_code == 400 and set(bad.json()["values"]) == {"3:3.1.1", "3:3.1"}
    saved = commune.patch(
        f"/api/submissions/{pk}/", {"values": {"3:3.1.1": "238.146", "3:3.1.2": 238144, "3:3.2.1": 10, "3:3.2.2": 12}},
        format="json",
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["values"]["3:3.1.1"] == 238146 and 99.99 < body["values"]["3:3.1"] < 100
    assert [f["severity"] for f in body["findings"]] == ["error"]

    refused = commune.post(f"/api/submissions/{pk}/submit/")
    assert refused.status_code == 400 and "1 lỗi" in refused.json()["detail"]
    commune.patch(f"/api/submissions/{pk}/", {"values": {"3:3.2.2": 9}}, format="json")
    assert commune.post(f"/api/submissions/{pk}/submit/").json()["status"] == "submitted"
    again = commune.post(f"/api/submissions/{pk}/submit/")
    assert again.status_code == 400 and "không gửi lại" in again.json()["detail"]

    # Others: 404; a viewer reads but cannot write; only the coordinator accepts.
    assert api(people["other_commune"]).get(f"/api/submissions/{pk}/").status_code == 404
    viewer = api(people["viewer"])
    assert viewer.get(f"/api/submissions/{pk}/").status_code == 200
    assert viewer.patch(f"/api/submissions/{pk}/", {"values": {"1:1": 1}}, format="json").status_code == 403
    assert commune.post(f"/api/submissions/{pk}/accept/").status_code == 403
    coordinator = api(people["coordinator"])
    returned = coordinator.post(f"/api/submissions/{pk}/return/", {"reason": "Kiểm tra lại 3.2"}, format="json")
    assert returned.json()["status"] == "returned"
    assert commune.post(f"/api/submissions/{pk}/submit/").json()["status"] == "submitted"
    assert coordinator.post(f"/api/submissions/{pk}/accept/").json()["status"] == "accepted"

    aggregate = coordinator.get(f"/api/reporting-periods/{period.pk}/aggregate/", {"code": "3:3.1"}).json()
    assert aggregate["submissions"] == 1
    assert 99.99 < aggregate["values"]["3:3.1"] < 100 and aggregate["display"] == {"3:3.1": "99,99"}
    assert aggregate["drilldown"]["3:3.1"][0]["unit"] == "38001"
    assert commune.get(f"/api/reporting-periods/{period.pk}/aggregate/").status_code == 404


def test_warnings_acknowledged_through_the_api(registry, period, people, seed003):
    client = api(people["coordinator"])
    pk = client.post("/api/submissions/", {"period": period.pk, "unit": registry["province"].pk}, format="json").json()["id"]
    client.patch(f"/api/submissions/{pk}/", {"values": seed003["inputs"]}, format="json")
    refused = client.post(f"/api/submissions/{pk}/submit/")
    assert "cảnh báo chưa giải trình" in refused.json()["detail"]
    ack = client.post(f"/api/submissions/{pk}/acknowledge/", {"rule": "sum:6:2.1", "comment": "Số liệu đúng."}, format="json")
    assert ack.json()["findings"][0]["acknowledged"] is True
    assert client.post(f"/api/submissions/{pk}/submit/").json()["status"] == "submitted"
    assert services.stored_values(services.Submission.objects.get(pk=pk))["4:1.5.4"] == Decimal("11.2")


def test_schema_documents_the_reporting_api(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/reporting-periods/", "/api/reporting-periods/{id}/aggregate/", "/api/submissions/",
        "/api/submissions/{id}/", "/api/submissions/{id}/submit/", "/api/submissions/{id}/acknowledge/",
        "/api/submissions/{id}/accept/", "/api/submissions/{id}/return/",
    ):
        assert path in paths, path
    assert "findings" in schema["components"]["schemas"]["SubmissionDetail"]["properties"]
