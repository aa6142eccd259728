"""The PAR Index pages over HTTP: self-assessment with htmx saves and live totals, refusals,
appraisal, explanation, results, the public page and the annex downloads."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from cchc.par import services
from cchc.par.models import AssessmentRound, LeafScore

from .conftest import fill
from .test_workflow import FULL

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.force_login(user)
    return client


def test_self_assessment_page_saves_a_leaf_with_htmx_and_totals_follow(client, par):
    commune, officer = par["commune"], par["users"]["officer"]
    login(client, officer)
    page = client.get(reverse("par:assessment", args=[commune.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chỉ số CCHC năm 2025 — UBND xã Kiên Thọ" in html and 'id="leaf-1-2"' in html
    # the computed leaf shows its inputs and their source, and offers no points box
    assert "Số nhiệm vụ đã hoàn thành" in html and "theo dõi nhiệm vụ" in html and "tính tự động" in html
    assert 'aria-label="Điểm tự đánh giá 1.1"' not in html and 'aria-label="Điểm tự đánh giá 1.2"' in html
    response = client.post(
        reverse("par:score", args=[commune.pk, "1.3"]),
        {"points": "2,5", "reference": "Quyết định số 45/QĐ-UBND ngày 20/11/2025", "note": ""}, **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="leaf-1-3"' in body and 'value="2,5"' in body
    assert 'id="totals" class="card mb-3" hx-swap-oob="true"' in body
    assert '<strong id="total-self">5,5</strong>' in body  # 1.1 computed 3 (no tasks) + 2,5
    assert "45/QĐ-UBND" in body and "20/11/2025" in body
    refused = client.post(reverse("par:score", args=[commune.pk, "1.3"]), {"points": "4"}, **HTMX).content.decode()
    assert "Tiêu chí 1.3 (Sáng kiến, giải pháp mới trong CCHC): điểm 4 vượt điểm tối đa 3,00." in refused
    assert LeafScore.objects.get(assessment=commune, code="1.3").self_points == 2.5


def test_a_unit_cannot_see_or_change_another_units_assessment(client, par):
    login(client, par["users"]["other"])
    commune = par["commune"]
    assert client.get(reverse("par:assessment", args=[commune.pk])).status_code == 404
    assert client.post(reverse("par:score", args=[commune.pk, "1.2"]), {"points": "2"}).status_code == 404
    assert client.get(reverse("par:assessment", args=[par["other_commune"].pk])).status_code == 200
    assert client.get(reverse("par:results", args=[par["round"].pk])).status_code == 404  # before publication


def test_officer_cannot_submit_manager_can(client, par):
    commune = par["commune"]
    fill(commune, FULL)
    login(client, par["users"]["officer"])
    assert 'id="submit"' not in client.get(reverse("par:assessment", args=[commune.pk])).content.decode()
    client.post(reverse("par:submit", args=[commune.pk]))
    commune.refresh_from_db()
    assert commune.status == "draft"
    login(client, par["users"]["manager"])
    page = client.post(reverse("par:submit", args=[commune.pk]), follow=True).content.decode()
    commune.refresh_from_db()
    assert commune.status == "submitted" and "Đã gửi bản tự đánh giá." in page


def test_appraiser_only_changes_leaves_of_their_areas(client, par):
    commune, users = par["commune"], par["users"]
    fill(commune, FULL)
    services.advance(par["round"], users["coordinator"])
    login(client, users["justice"])
    page = client.get(reverse("par:assessment", args=[commune.pk]) + "?area=2").content.decode()
    assert 'aria-label="Điểm thẩm định 2.1"' in page
    assert 'aria-label="Điểm thẩm định 1.3"' not in page
    ok = client.post(reverse("par:appraise", args=[commune.pk, "2.1"]), {"points": "2", "reason": "Thiếu báo cáo"}, **HTMX)
    assert ok.status_code == 200 and "Thẩm định vòng 1: 2" in ok.content.decode()
    assert client.post(reverse("par:appraise", args=[commune.pk, "1.3"]), {"accept": "1"}, **HTMX).status_code == 403
    assert LeafScore.objects.get(assessment=commune, code="1.3").appraised_round == 0
    # the unit does not see round 1 before it is released
    login(client, users["manager"])
    assert "Thẩm định vòng 1: 2" not in client.get(reverse("par:assessment", args=[commune.pk])).content.decode()


def _publish(par):
    rnd, commune, users = par["round"], par["commune"], par["users"]
    fill(commune, FULL)
    fill(par["other_commune"], {"1.2": "0", "1.3": "1", "2.1": "2", "2.2": "1", "3.2": "2"})
    for _ in range(4):
        services.advance(rnd, users["coordinator"])
    services.advance(rnd, users["coordinator"], decision="Quyết định số 300/QĐ-UBND ngày 20/01/2026", today=datetime.date(2026, 1, 20))
    rnd.refresh_from_db()
    return rnd


def test_explanation_page_after_round_one_release(client, par):
    rnd, commune, users = par["round"], par["commune"], par["users"]
    fill(commune, FULL)
    services.advance(rnd, users["coordinator"])
    services.appraise(commune, "1.3", users["coordinator"], points="1", reason="Chưa được công nhận")
    services.advance(rnd, users["coordinator"])
    login(client, users["officer"])
    page = client.get(reverse("par:assessment", args=[commune.pk])).content.decode()
    assert "Thẩm định vòng 1: 1" in page and "Chưa được công nhận" in page and 'aria-label="Giải trình 1.3"' in page
    response = client.post(reverse("par:explain", args=[commune.pk, "1.3"]),
                           {"reply": "Đã có quyết định công nhận", "reference": "Quyết định số 45/QĐ-UBND ngày 20/11/2025"}, **HTMX)
    assert "Đã có quyết định công nhận" in response.content.decode() and "giải trình" in response.content.decode()


def test_anonymous_sees_only_published_results_and_the_annex(client, par):
    rnd = par["round"]
    assert client.get(reverse("par:public_results", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("par:annex_xlsx", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("par:assessment", args=[par["commune"].pk])).status_code == 302  # login
    _publish(par)
    page = client.get(reverse("par:public_results", args=[rnd.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Quyết định số 300/QĐ-UBND ngày 20/01/2026" in html and "20/01/2026" in html
    assert html.index("UBND xã Kiên Thọ") < html.index("UBND xã Hoằng Tiến Mới")
    assert "chart.umd.min.js" in html and '<td class="text-end fw-semibold">15</td><td class="text-end">75</td>' in html


def test_annex_xlsx_and_docx_hold_the_ranking_tables(client, par):
    import docx
    from openpyxl import load_workbook

    rnd = _publish(par)
    xlsx = client.get(reverse("par:annex_xlsx", args=[rnd.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('phu-luc-chi-so-cchc-2025.xlsx"')
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Phụ lục 01", "Phụ lục 02"]
    departments, communes = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert departments[1][0] == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA CÁC SỞ, BAN, NGÀNH CẤP TỈNH"
    assert communes[2][0] == "(Kèm theo Quyết định số 300/QĐ-UBND ngày 20/01/2026 của Chủ tịch UBND tỉnh Thanh Hóa)"
    assert communes[4][:2] == ("Xếp hạng", "Đơn vị") and communes[4][-3:] == ("Tổng điểm đạt được (20 điểm)", "Chỉ số CCHC (%)", "Xếp loại")
    assert communes[5] == ("1", "UBND xã Kiên Thọ", "7,5", "5,5", "2", "15", "75", "Trung bình")
    assert communes[6] == ("2", "UBND xã Hoằng Tiến Mới", "4", "3", "2", "9", "45", "Trung bình")
    word = client.get(reverse("par:annex_docx", args=[rnd.pk]))
    document = docx.Document(io.BytesIO(word.content))
    table = document.tables[1]
    assert [c.text for c in table.rows[1].cells] == ["1", "UBND xã Kiên Thọ", "7,5", "5,5", "2", "15", "75", "Trung bình"]
    assert [c.text for c in table.rows[2].cells] == ["2", "UBND xã Hoằng Tiến Mới", "4", "3", "2", "9", "45", "Trung bình"]
    assert len(table.rows) == 3
    assert "CỦA UBND CÁC XÃ, PHƯỜNG" in "\n".join(p.text for p in document.paragraphs)


def test_coordinator_round_pages_and_recompute_is_logged(client, par):
    from cchc.history.models import ObjectChange

    rnd, commune = par["round"], par["commune"]
    login(client, par["users"]["coordinator"])
    assert "UBND xã Kiên Thọ" in client.get(reverse("par:round", args=[rnd.pk])).content.decode()
    client.get(reverse("par:assessment", args=[commune.pk]))
    client.post(reverse("par:recompute", args=[commune.pk]))
    assert ObjectChange.objects.filter(object_type__model="inputsnapshot", origin__contains="Tính lại").exists()
    client.post(reverse("par:advance", args=[rnd.pk]))
    assert AssessmentRound.objects.get(pk=rnd.pk).status == "round1"
    login(client, par["users"]["officer"])
    assert client.post(reverse("par:recompute", args=[commune.pk])).status_code == 403
