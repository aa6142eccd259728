"""A person signs in and reads a plan, on a desktop and on a phone-width screen."""

import pytest

from cchc.plans.services import issue_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")


def test_officer_signs_in_and_opens_the_plan_of_the_province(page, live_server, registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], 2026, tasks={"1": [("lead", registry["communes"])]})
    issue_plan(plan)
    make_user("officer", registry["new_b"], "officer")
    sign_in(page, live_server, "officer")
    page.wait_for_selector("text=Tổng quan")
    assert "UBND xã Kiên Thọ" in page.content()
    page.click(f"a[href='{plan.get_absolute_url()}']")
    page.wait_for_selector("table.plan-tasks")
    assert "Nhiệm vụ 1" in page.inner_text("table.plan-tasks")
    assert "UBND cấp xã" in page.inner_text("table.plan-tasks")


def test_wrong_password_is_refused_in_vietnamese(page, live_server, make_user):
    make_user("officer")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "mật khẩu" in page.inner_text(".alert-danger").lower()


def test_phone_width_collapses_the_navigation(phone_page, live_server, registry, make_user):
    make_user("officer", registry["new_b"], "officer")
    sign_in(phone_page, live_server, "officer")
    phone_page.wait_for_selector(".navbar-toggler")
    assert phone_page.is_visible(".navbar-toggler")
    assert not phone_page.is_visible("#nav")
    phone_page.click(".navbar-toggler")
    phone_page.wait_for_selector("#nav.show")
    assert phone_page.is_visible("text=Kế hoạch")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
