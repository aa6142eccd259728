"""The PAR Index in a browser: a commune self-assesses with evidence (one leaf typed, the rest from
its filled .docx through the review screen), the Sở Nội vụ appraises, the published results page
draws its ranking chart."""

import datetime

import pytest

from tests.core.test_par_filled import write_docx
from tests.par.conftest import definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")


@pytest.fixture
def par_round(registry, make_user):
    from cchc.par import services

    templates = [services.store_template(definition("commune")), services.store_template(definition("department"))]
    rnd = services.open_round(registry["province"], 2025, deadline=datetime.date(2099, 12, 31),
                              cutoff=datetime.date(2025, 12, 14), templates=templates)
    make_user("snv", registry["home_affairs"], "coordinator")
    make_user("xa-canbo", registry["new_b"], "officer")
    make_user("xa-lanhdao", registry["new_b"], "manager")
    return rnd


def test_a_commune_self_assesses_the_office_appraises_and_results_are_drawn(page, live_server, par_round, registry, tmp_path):
    from cchc.par import services
    from cchc.par.models import Assessment, LeafScore

    commune = Assessment.objects.get(round=par_round, unit=registry["new_b"])
    sign_in(page, live_server, "xa-canbo")
    page.goto(f"{live_server.url}{commune.get_absolute_url()}")
    row = page.locator("#leaf-1-3")
    row.locator("input[name=points]").fill("2,5")
    row.locator("input[name=reference]").fill("Quyết định số 45/QĐ-UBND ngày 20/11/2025")
    row.locator("button", has_text="Lưu").click()
    page.wait_for_selector("#leaf-1-3 .evidence")
    assert "20/11/2025" in page.inner_text("#leaf-1-3") and page.inner_text("#total-self") == "5,5"  # 1.1 computed 3 + 2,5

    rows = [["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Tài liệu kiểm chứng"],
            ["1.2", "Ban hành kế hoạch CCHC năm đúng hạn", "2", "2", ""], ["2.1", "Kiểm tra, rà soát văn bản quy phạm pháp luật", "4", "4", ""],
            ["2.2", "Theo dõi thi hành pháp luật", "2", "1,5", ""], ["3.2", "Công khai thủ tục hành chính", "2", "2", ""],
            ["9.9", "Một dòng không có trong bộ", "1", "1", ""]]
    filled = write_docx(tmp_path / "tu-danh-gia.docx", rows)
    page.set_input_files("#filled-form input[type=file]", str(filled))
    page.click("#filled-form button")
    page.wait_for_selector("#filled-rows")
    assert "«Một dòng không có trong bộ» không khớp tiêu chí nào" in page.inner_text("#filled-findings")
    page.click("#filled-confirm")
    page.wait_for_selector("text=Đã nhập 4 điểm tự đánh giá từ tệp “tu-danh-gia.docx”.")
    assert page.inner_text("#total-self") == "15"

    services.advance(par_round, _coordinator())  # round 1: the Sở Nội vụ appraises
    page.context.clear_cookies()
    sign_in(page, live_server, "snv")
    page.goto(f"{live_server.url}{commune.get_absolute_url()}")
    row = page.locator("#leaf-2-2")
    row.locator("input[name=points]").fill("1")
    row.locator("input[name=reason]").fill("Báo cáo gửi chậm")
    row.locator("button", has_text="Điều chỉnh").click()
    page.wait_for_selector("#leaf-2-2 .appraised-points")
    assert page.inner_text("#leaf-2-2 .appraised-points") == "1"
    assert LeafScore.objects.get(assessment=commune, code="2.2").appraised_points == 1

    for _ in range(4):
        services.advance(par_round, _coordinator(), decision="Quyết định số 300/QĐ-UBND ngày 20/01/2026",
                         today=datetime.date(2026, 1, 20))
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/chi-so-cchc/cong-bo/{par_round.pk}/")
    page.wait_for_selector("#results-commune")
    assert page.inner_text("#results-commune tbody tr:first-child").startswith("1\tUBND xã Kiên Thọ")
    charts = page.evaluate("() => ['chart-0', 'chart-1'].filter(id => window.Chart && Chart.getChart(id)).length")
    assert charts == 2  # the ranking bars of departments and of communes are drawn


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="snv")
