"""The .docx results report and the comparison with last year's round, on the page and in the report."""

from __future__ import annotations

import datetime
import io

import docx
from django.urls import reverse

from cchc.core.surveys import load_design
from cchc.surveys.models import Round, RoundUnit
from cchc.surveys.services import enter_paper_forms


def enter(ru, rows, user):
    outcome = enter_paper_forms(ru, rows, user)
    assert not outcome.errors


def last_year(survey):
    """A closed 2024 round over justice and home affairs: justice TC.1 = 5, 2 → 50%; home affairs 4 → 100%."""
    round_ = Round(province=survey["province"], year=2024, title="Khảo sát 2024", start=datetime.date(2024, 9, 1),
                   end=datetime.date(2024, 11, 30))
    round_.set_design(load_design("sipas-2023"))
    round_.save()
    units = {key: RoundUnit.objects.create(round=round_, unit=survey[key], quota=4) for key in ("justice", "home_affairs")}
    enter(units["justice"], [{"TC.1": "5", "R6": "1"}, {"TC.1": "2", "R6": "2"}], survey["coordinator"])
    enter(units["home_affairs"], [{"TC.1": "4", "R6": "1"}], survey["coordinator"])
    round_.status = Round.Status.CLOSED
    round_.save()
    return round_


def this_year(survey):
    # justice: 5, 4, 3 → 66.67%; home affairs: 5 → 100%; province TC.1: 3 of 4 = 75%
    enter(survey["units"]["justice"], [{"TC.1": "5", "R6": "1"}, {"TC.1": "4", "R6": "2"}, {"TC.1": "3", "R6": "2"}],
          survey["coordinator"])
    enter(survey["units"]["home_affairs"], [{"TC.1": "5", "R6": "1"}], survey["coordinator"])


def report_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def test_results_page_compares_with_last_year_per_province_and_unit(client, survey):
    last_year(survey)
    this_year(survey)
    client.force_login(survey["coordinator"])
    html = client.get(reverse("surveys:results", args=[survey["round"].pk])).content.decode()
    # last year in the province: TC.1 = 5, 2, 4 → 2 of 3 = 66.67%
    assert "Năm 2024: 66,67% ±" in html
    justice_row = html.split('id="rank-tha-so-tu-phap"')[1].split("</tr>")[0]
    assert "3/4" in justice_row and "66,67%" in justice_row and "50,00%" in justice_row
    commune_row = html.split(f'id="rank-{survey["new_b"].code}"')[1].split("</tr>")[0]
    assert "0/4" in commune_row and commune_row.count("–") == 3  # no answer this year, not surveyed last year
    # filtered by channel, last year is filtered the same way: online 2024 = {2} → 0%
    filtered = client.get(reverse("surveys:results", args=[survey["round"].pk]), {"channel": "2"}).content.decode()
    assert "Năm 2024: 0,00%" in filtered


def test_docx_report_holds_summary_tables_and_last_year(client, survey):
    last_year(survey)
    this_year(survey)
    client.force_login(survey["coordinator"])
    response = client.get(reverse("surveys:report", args=[survey["round"].pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    text, tables = report_text(response.content)
    assert "BÁO CÁO KẾT QUẢ KHẢO SÁT" in text
    assert "Thời gian khảo sát: từ 01/09/2025 đến 30/11/2025." in text
    assert "Số phiếu thu được: 4 phiếu trên chỉ tiêu 12 phiếu." in text
    assert "Năm 2024: 66,67% ±" in text and "tăng 8,33 điểm phần trăm" in text  # 75 − 66.67
    factors, questions, units = tables
    tc = next(r for r in factors if r[0] == "TC")
    assert tc[2].startswith("75,00% ± ") and tc[3] == "4" and tc[4].startswith("66,67% ± ")
    assert next(r for r in questions if r[0] == "TC.1")[2] == "75,00% ± 42,44%"  # 1.96·√(.75·.25/4)
    assert units[0][4] == "Năm 2024"
    assert units[1][:4] == ["1", "Sở Nội vụ", "1/4", "100,00% ± 0,00%"] and units[1][4] == "100,00% ± 0,00%"
    assert units[2][:4] == ["2", "Sở Tư pháp", "3/4", "66,67% ± 53,34%"] and units[2][4] == "50,00% ± 69,30%"
    assert units[3][1:5] == ["UBND xã Kiên Thọ", "0/4", "–", "–"]


def test_docx_report_of_a_unit_officer_holds_only_their_unit(client, survey):
    this_year(survey)
    client.force_login(survey["justice_officer"])
    text, tables = report_text(client.get(reverse("surveys:report", args=[survey["round"].pk])).content)
    assert [r[1] for r in tables[2][1:]] == ["Sở Tư pháp"]
    assert "Số phiếu thu được: 3 phiếu trên chỉ tiêu 4 phiếu." in text and "Năm 2024" not in text


def test_docx_report_names_its_filter_and_is_refused_outside_the_province(client, survey, make_user):
    from cchc.units.models import Unit

    this_year(survey)
    client.force_login(survey["coordinator"])
    text, _ = report_text(client.get(reverse("surveys:report", args=[survey["round"].pk]), {"channel": "2"}).content)
    assert "Phạm vi số liệu: " in text and "Trực tuyến" in text and "Số phiếu thu được: 2 phiếu" in text
    other = Unit.objects.create(code="01", name="UBND thành phố Hà Nội", kind="province")
    client.force_login(make_user("hanoi", other, "coordinator"))
    assert client.get(reverse("surveys:report", args=[survey["round"].pk])).status_code == 404
