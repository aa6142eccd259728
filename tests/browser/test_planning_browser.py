"""Planning in a real browser: a commune manager corrects a proposed lineage on the confirm
screen; a department drafts next year's plan and lands on the review screen; the coordinator's
dashboard fills its gaps panel after loading."""

import pytest

from cchc.planning.models import DraftOrigin, TaskLineage
from cchc.plans.models import Plan
from tests.planning.conftest import add_task, world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")


def test_confirm_screen_corrects_a_proposed_pair(page, live_server, world):  # noqa: F811
    plan = world["kien_tho_2026"]
    own = add_task(plan, "institutions", "2", "Tuyên truyền phổ biến giáo dục pháp luật về cải cách hành chính "
                   "trên địa bàn xã", [("lead", world["new_b"])], "Trước ngày 31/12/2026")
    sign_in(page, live_server, "kt_manager")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.click("#plan-gaps >> text=Đối chiếu với kế hoạch cấp trên")
    page.wait_for_selector("#lineage")
    select = page.locator(f"select[name=cha-{own.pk}]")
    assert select.input_value() == str(world["t3"].pk)  # proposed by text similarity
    assert "Kiểm tra công tác theo dõi thi hành pháp luật" in page.inner_text("#untaken")
    select.select_option(str(world["t2"].pk))
    page.click("#lineage-form button[type=submit]")
    page.wait_for_selector("text=Đã ghi nhận liên kết nhiệm vụ")
    assert page.locator(f"select[name=cha-{own.pk}]").input_value() == str(world["t2"].pk)
    assert "Đã xác nhận" in page.inner_text("#lineage")
    assert TaskLineage.objects.get(child=own, status="confirmed").parent == world["t2"]
    assert TaskLineage.objects.get(child=own, status="rejected").parent == world["t3"]


def test_department_drafts_next_years_plan(page, live_server, world):  # noqa: F811
    sign_in(page, live_server, "home_manager")
    page.goto(f"{live_server.url}/ke-hoach-nam-sau/?don_vi={world['home_affairs'].pk}&nam=2027")
    page.wait_for_selector("#draft-form")
    boxes = page.locator("#draft-form input[name=chon]")
    assert boxes.count() == 3 and all(boxes.nth(i).is_checked() for i in range(3))
    recurring = page.locator("#draft-form tr", has_text="Nhiệm vụ thường xuyên, định kỳ").locator("input[name=chon]")
    recurring.uncheck()
    page.click("#draft-submit")
    page.wait_for_selector("text=Đã lập dự thảo")
    plan = Plan.objects.get(issuer=world["home_affairs"], year=2027)
    assert page.url.endswith(f"/ke-hoach/{plan.pk}/soat-xet/")
    badges = page.locator(".draft-origin").all_inner_texts()
    assert sorted(badges) == ["Nhiệm vụ của kế hoạch cấp trên giao", "Nhiệm vụ năm trước chưa hoàn thành, chuyển tiếp"]
    assert sorted(DraftOrigin.objects.filter(task__plan=plan).values_list("origin", flat=True)) == [
        "carried_over", "parent"]


def test_dashboard_fills_its_gaps_panel(page, live_server, world):  # noqa: F811
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/viec/bang-dieu-khien/?nam=2026")
    page.wait_for_selector("#dashboard-gaps")
    text = page.inner_text("#dashboard-gaps")
    assert "2/2 xã chưa đưa nhiệm vụ 1.3 vào kế hoạch" in text
    assert "Dự thảo kế hoạch năm 2026 của UBND xã Kiên Thọ" in text
