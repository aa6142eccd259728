"""A unit types the raw figure of a band leaf (a count or a percentage only it holds) instead of the
points: the points follow from the leaf's bands, the figure is kept beside them and in the history.
Leaves and bands from the province's 2025 guide for communes (snv-2775-2025-commune):
1.5 "Từ 03 sáng kiến hoặc giải pháp mới trở lên: 3; 02: 2; 01: 1; không có: 0." and
6.1.1 "Từ 95% trở lên: 3; từ 70% – dưới 95%: 1,5; dưới 70%: 0."."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.history.models import ObjectChange
from cchc.par import services
from cchc.par.models import LeafScore

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def commune(registry, make_user, client):
    templates = [t for t in services.load_builtin_templates() if t.key.startswith("snv-2775-2025")]
    rnd = services.open_round(registry["province"], 2025, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2025, 12, 14), templates=templates)
    assessment = rnd.assessments.select_related("template").get(unit=registry["new_b"])
    client.force_login(make_user("xa-canbo", registry["new_b"], role="officer"))
    return assessment


def post(client, assessment, code, **data):
    return client.post(reverse("par:score", args=[assessment.pk, code]), data, **HTMX).content.decode()


def score(assessment, code):
    return LeafScore.objects.get(assessment=assessment, code=code)


@pytest.mark.parametrize(("figure", "points"), [("4", "3"), ("3", "3"), ("2", "2"), ("1", "1"), ("0", "0"), ("1.234", "3")])
def test_count_figure_gives_the_band_points(client, commune, figure, points):
    body = post(client, commune, "1.5", figure=figure, points="")
    s = score(commune, "1.5")
    assert s.self_points == Decimal(points) and s.figure == Decimal(figure.replace(".", ""))
    assert "leaf-error" not in body and "Số liệu: <strong>" in body and "(Số sáng kiến hoặc giải pháp mới)" in body


@pytest.mark.parametrize(("figure", "points"), [("17,5", "0"), ("69,99", "0"), ("70", "1.5"), ("82,5%", "1.5"), ("94,9", "1.5"), ("95", "3"), ("100", "3")])
def test_percent_figure_gives_the_band_points(client, commune, figure, points):
    body = post(client, commune, "6.1.1", figure=figure, points="0,5")  # the points box is ignored when a figure is typed
    s = score(commune, "6.1.1")
    assert s.self_points == Decimal(points)
    assert s.figure == Decimal(figure.rstrip("%").replace(",", "."))
    assert f"Số liệu: <strong>{figure.rstrip('%')}%</strong>" in body


def test_bad_figure_is_refused_naming_the_leaf(client, commune):
    post(client, commune, "1.5", figure="2")
    for bad, why in [("abc", "“abc” không phải là số liệu (Số sáng kiến hoặc giải pháp mới)."),
                     ("2,5", "số lượng «Số sáng kiến hoặc giải pháp mới» phải là số nguyên, không phải 2,5."),
                     ("-1", "số liệu «n» = -1 không được âm.")]:
        body = post(client, commune, "1.5", figure=bad)
        assert f"Tiêu chí 1.5 (Sáng kiến hoặc giải pháp mới trong cải cách hành chính): {why}" in body
    assert score(commune, "1.5").self_points == 2 and score(commune, "1.5").figure == 2  # unchanged
    body = post(client, commune, "1.2", figure="3", points="")  # not a band leaf
    assert "Tiêu chí 1.2" in body and "không chấm theo số liệu đơn vị nhập" in body


def test_points_typed_directly_still_work_and_clear_the_figure(client, commune):
    post(client, commune, "1.5", figure="4")
    body = post(client, commune, "1.5", points="2", figure="")
    s = score(commune, "1.5")
    assert s.self_points == 2 and s.figure is None and "leaf-error" not in body
    refused = post(client, commune, "1.5", points="2,5", figure="")
    assert "Tiêu chí 1.5 (Sáng kiến hoặc giải pháp mới trong cải cách hành chính): điểm 2,5 không thuộc các mức cho phép" in refused


def test_figure_is_kept_in_the_history_and_shown_by_the_api(client, commune):
    post(client, commune, "1.5", figure="4")
    post(client, commune, "1.5", figure="1")
    s = score(commune, "1.5")
    changes = ObjectChange.objects.filter(object_id=str(s.pk), action=ObjectChange.Action.UPDATE).order_by("pk")
    figures = [(c.prechange_data or {}).get("figure") for c in changes] + [(changes.last().postchange_data or {}).get("figure")]
    assert [f if f is None else Decimal(str(f)) for f in figures] == [None, 4, 1]
    data = client.get(f"/api/par/assessments/{commune.pk}/scores/").json()
    row = next(r for r in data if r["code"] == "1.5")
    assert Decimal(row["figure"]) == 1 and Decimal(row["self_points"]) == 1
    written = client.post(f"/api/par/assessments/{commune.pk}/scores/", {"code": "6.1.1", "figure": "82,5"}, content_type="application/json")
    assert written.status_code == 200, written.content
    assert Decimal(written.json()["self_points"]) == Decimal("1.5") and Decimal(written.json()["figure"]) == Decimal("82.5")
