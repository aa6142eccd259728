"""Staff pages: paper entry, import, results with margins and permissions, export, API, QR,
and the values the PAR Index takes from closed rounds."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.history.models import ObjectChange
from cchc.surveys.models import Response
from cchc.surveys.results import indicator_values


def entry_url(survey, key):
    return reverse("surveys:entry", args=[survey["round"].pk, survey["units"][key].pk])


def test_paper_entry_saves_all_rows_keeps_form_numbers_and_records_history(client, survey):
    client.force_login(survey["justice_officer"])
    url = entry_url(survey, "justice")
    assert client.get(url).status_code == 200
    page = client.post(url, {"r0-form_no": "001", "r0-TC.1": "5", "r0-TC.2": "4", "r0-R6": "1",
                             "r1-form_no": "002", "r1-TC.1": "2", "r1-TC.2": "0"})
    assert page.status_code == 302
    rows = list(Response.objects.order_by("form_no").values_list("form_no", "source", "channel"))
    assert rows == [("001", "paper", "1"), ("002", "paper", "")]
    assert ObjectChange.objects.filter(object_type__model="response", user=survey["justice_officer"]).count() == 2


def test_paper_entry_is_all_or_nothing_with_row_errors(client, survey):
    client.force_login(survey["justice_officer"])
    url = entry_url(survey, "justice")
    client.post(url, {"r0-form_no": "001", "r0-TC.1": "5"})
    page = client.post(url, {"r0-form_no": "003", "r0-TC.1": "4", "r1-form_no": "001", "r1-TC.1": "4",
                             "r2-form_no": "004", "r2-TC.1": "8"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dòng 2 (phiếu số 001): số phiếu 001 đã được nhập." in html
    assert "Dòng 3 (phiếu số 004): Câu TC.1" in html
    assert Response.objects.count() == 1


def test_paper_entry_refused_for_another_units_officer(client, survey):
    client.force_login(survey["justice_officer"])
    # the commune is not in the officer's view: 404; a sibling department likewise
    assert client.get(entry_url(survey, "new_b")).status_code == 404
    assert client.get(entry_url(survey, "home_affairs")).status_code == 404


def test_import_refused_to_a_unit_officer(client, survey):
    client.force_login(survey["justice_officer"])
    page = client.post(reverse("surveys:import", args=[survey["round"].pk]),
                       {"file": SimpleUploadedFile("p.csv", b"TC.1\n5\n")})
    assert page.status_code == 403


def _enter(survey, key, rows):
    from cchc.surveys.services import enter_paper_forms

    outcome = enter_paper_forms(survey["units"][key], rows, survey["coordinator"])
    assert not outcome.errors


def test_results_show_index_margin_and_valid_n_and_units_see_their_own(client, survey):
    # justice: TC.1 = 5, 4, 3, 0 → 2 of 3 valid = 66.67 ± 53.34; home affairs: 5 → 100
    _enter(survey, "justice", [{"TC.1": "5", "R6": "1"}, {"TC.1": "4", "R6": "2"}, {"TC.1": "3", "R6": "2"},
                               {"TC.1": "0"}])
    _enter(survey, "home_affairs", [{"TC.1": "5", "R6": "1"}])
    client.force_login(survey["coordinator"])
    html = client.get(reverse("surveys:results", args=[survey["round"].pk])).content.decode()
    assert "75,00%" in html  # 3 of 4 valid TC.1 answers in the province
    assert "Sở Tư pháp" in html and "Sở Nội vụ" in html
    filtered = client.get(reverse("surveys:results", args=[survey["round"].pk]), {"channel": "2"}).content.decode()
    assert "50,00%" in filtered  # online: 4 and 3 → 1 of 2
    client.force_login(survey["justice_officer"])
    own = client.get(reverse("surveys:results", args=[survey["round"].pk])).content.decode()
    assert "66,67%" in own and "± 53,34%" in own and "Sở Nội vụ" not in own
    api = client.get(f"/api/surveys/rounds/{survey['round'].pk}/results/").json()
    assert [u["unit_code"] for u in api["units"]] == ["tha-so-tu-phap"]
    assert api["total"]["questions"]["TC.1"] == {"pct": 66.67, "margin": 53.34, "valid": 3}


def test_round_outside_the_users_province_is_404(client, survey, make_user):
    from cchc.units.models import Unit

    other = Unit.objects.create(code="01", name="UBND thành phố Hà Nội", kind="province")
    client.force_login(make_user("hanoi", other, "coordinator"))
    assert client.get(reverse("surveys:round_detail", args=[survey["round"].pk])).status_code == 404
    assert client.get(f"/api/surveys/rounds/{survey['round'].pk}/results/").status_code == 404
    assert client.get("/api/surveys/rounds/").json()["results"] == [] if isinstance(
        client.get("/api/surveys/rounds/").json(), dict) else client.get("/api/surveys/rounds/").json() == []


def test_export_xlsx_and_qr_page(client, survey):
    _enter(survey, "justice", [{"TC.1": "5"}, {"TC.1": "2"}])
    client.force_login(survey["coordinator"])
    export = client.get(reverse("surveys:export", args=[survey["round"].pk]))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    rows = list(book["Đơn vị"].iter_rows(values_only=True))
    justice = next(r for r in rows if r[0] == "tha-so-tu-phap")
    assert justice[2:6] == (2, 4, 50.0, 69.3)
    questions = {r[0]: r for r in book["Câu hỏi"].iter_rows(values_only=True)}
    assert questions["TC.1"][3:6] == (50.0, 69.3, 2)
    ru = survey["units"]["justice"]
    qr = client.get(reverse("surveys:qr", args=[survey["round"].pk, ru.pk])).content.decode()
    assert "<svg" in qr and f"/khao-sat/p/{ru.key}/" in qr


def test_indicator_values_come_from_closed_rounds_only(survey):
    _enter(survey, "justice", [{"TC.1": "5", "TT.1": "4"}, {"TC.1": "1", "TT.1": "4"}])
    _enter(survey, "home_affairs", [{"TC.1": "4"}])
    province = survey["province"]
    assert indicator_values(province, 2025) == {}
    survey["round"].status = "closed"
    survey["round"].save()
    values = indicator_values(province, 2025)
    # TC.1: 2 of 3 = 66.67; TT.1: 2 of 2 = 100; DV = (TC 66.67 + TT 100)/2 = 83.335 → 83.34 (rounded once)
    assert values["sipas.TC.1"] == Decimal("66.67") and values["sipas.TT"] == Decimal("100.00")
    assert values["sipas.overall"] == Decimal("83.34") and "sipas.CC" not in values
    own = indicator_values(province, 2025, unit=survey["justice"])
    assert own["sipas.TC.1"] == Decimal("50.00")
    assert indicator_values(province, 2024) == {}


def test_results_page_charts_and_api_give_the_answer_distribution(client, survey):
    import json
    import re

    _enter(survey, "justice", [{"TC.1": "5"}, {"TC.1": "5"}, {"TC.1": "4"}, {"TC.1": "0"}])
    _enter(survey, "home_affairs", [{"TC.1": "2"}])
    client.force_login(survey["coordinator"])
    html = client.get(reverse("surveys:results", args=[survey["round"].pk])).content.decode()
    assert 'id="chart-distribution"' in html and "Phân bố câu trả lời" in html
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    dist = data["distribution"]
    column = dist["labels"].index("TC.1")
    counts = {s["code"]: s["values"][column] for s in dist["series"]}
    assert {k: v for k, v in counts.items() if v} == {"5": 2, "4": 1, "2": 1, "0": 1}
    assert "5: 2" in html and "4: 1" in html  # the same counts, as a table
    api = client.get(f"/api/surveys/rounds/{survey['round'].pk}/results/").json()
    assert {k: v for k, v in api["total"]["distribution"]["TC.1"].items() if v} == {"5": 2, "4": 1, "2": 1, "0": 1}
