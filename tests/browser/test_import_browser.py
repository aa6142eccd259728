"""A commune manager uploads a .docx plan, reviews it beside its source, corrects a task and issues it."""

import json
from pathlib import Path

import pytest

from cchc.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold" / "004.json"


@pytest.fixture
def kien_tho_docx(tmp_path):
    from tests.fixtures.plan_docs import build_docx

    return build_docx(json.loads(GOLD.read_text(encoding="utf-8")), tmp_path / "ke-hoach-cchc-2026-kien-tho.docx")


def test_docx_upload_review_and_issue(page, live_server, make_user, kien_tho_docx):
    from cchc.units.models import Unit
    from cchc.units.registry import load_province

    load_province("thanh-hoa")
    make_user("manager", Unit.objects.get(code="38.15112"), "manager")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "pw-manager")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")

    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files("input[name=document]", str(kien_tho_docx))
    page.select_option("select[name=issuer]", label="UBND xã Kiên Thọ")
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/soat-xet/", timeout=60_000)
    assert page.locator("tr.review-task").count() == 50
    plan = Plan.objects.get()
    assert plan.source_name.endswith(".docx") and plan.status == "draft"

    first_row = page.locator("tr.review-task").first
    first_row.locator("td").nth(1).click()
    assert page.locator(".source-line.hl").count() >= 1
    highlighted = " ".join(page.locator(".source-line.hl").all_inner_texts())
    task = plan.tasks.order_by("section__position", "position").first()
    assert task.content.split()[0] in highlighted

    first_row.locator("button[title='Sửa nhiệm vụ']").click()
    page.fill("textarea[name=content]", "Rà soát, hệ thống hóa văn bản (đã sửa)")
    page.fill("input[name=deadline_text]", "Quý IV/2026")
    page.click("form[hx-post] button[type=submit]")
    page.wait_for_selector("text=Rà soát, hệ thống hóa văn bản (đã sửa)")
    assert "31/12/2026" in page.locator("tr.review-task").first.inner_text()

    page.click("#issue-button")
    page.wait_for_selector("text=Đã ban hành kế hoạch")
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.tasks.filter(obligations__isnull=False).exists()
