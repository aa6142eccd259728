"""The PAR Index API: the same scope and checks as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cchc.par import services

from .conftest import fill
from .test_workflow import FULL

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_scores_write_with_the_leaf_check_and_scope(par):
    commune, users = par["commune"], par["users"]
    url = f"/api/par/assessments/{commune.pk}/scores/"
    ok = api(users["officer"]).post(url, {"code": "1.3", "points": "2,25", "reference": "Báo cáo số 7/BC-UBND ngày 10/12/2025"}, format="json")
    assert ok.status_code == 200 and ok.json()["self_points"] == 2.25
    refused = api(users["officer"]).post(url, {"code": "2.1", "points": "3"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Tiêu chí 2.1 (Kiểm tra, rà soát văn bản quy phạm pháp luật): điểm 3 không thuộc các mức cho phép (4; 2; 0)."
    assert api(users["other"]).get(url).status_code == 404
    listed = api(users["other"]).get("/api/par/assessments/").json()
    assert [a["unit_name"] for a in listed["results"]] == ["UBND xã Hoằng Tiến Mới"]
    rows = {r["code"]: r for r in api(users["manager"]).get(url).json()}
    assert rows["1.3"]["self_points"] == 2.25 and rows["1.1"]["auto"] is True


def test_appraisal_hidden_from_the_unit_until_released_and_results_public_after_publication(par):
    rnd, commune, users = par["round"], par["commune"], par["users"]
    fill(commune, FULL)
    services.advance(rnd, users["coordinator"])
    services.appraise(commune, "1.3", users["coordinator"], points="1", reason="Chưa được công nhận")
    url = f"/api/par/assessments/{commune.pk}/scores/"
    hidden = {r["code"]: r for r in api(users["manager"]).get(url).json()}
    assert hidden["1.3"]["appraised_points"] is None
    shown = {r["code"]: r for r in api(users["coordinator"]).get(url).json()}
    assert shown["1.3"]["appraised_points"] == 1
    assert api().get(f"/api/par/rounds/{rnd.pk}/results/").status_code == 404
    for _ in range(4):
        services.advance(rnd, users["coordinator"])
    tables = api().get(f"/api/par/rounds/{rnd.pk}/results/").json()
    communes = next(t for t in tables if t["unit_type"] == "commune")
    assert [(r["rank"], r["unit"], r["index"], r["group"]) for r in communes["rows"]] == [
        (1, "UBND xã Kiên Thọ", 67.5, "C"), (2, "UBND xã Hoằng Tiến Mới", 15, "C"),
    ]
