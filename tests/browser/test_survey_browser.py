"""A citizen answers the satisfaction survey on a 390 px phone with the keyboard; staff type in
paper forms in the entry grid without touching the mouse."""

import pytest
from django.core.cache import cache

from cchc.surveys.models import AnswerRow, Response
from tests.surveys.conftest import survey  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST = """(selector) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  const el = document.querySelector(selector);
  const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture(autouse=True)
def _no_rate_limit_left_over():
    cache.clear()
    yield
    cache.clear()


def test_citizen_answers_on_a_phone_with_the_keyboard(phone_page, live_server, survey):  # noqa: F811
    ru = survey["units"]["justice"]
    page = phone_page
    response = page.goto(f"{live_server.url}/khao-sat/p/{ru.key}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Sở Tư pháp"
    # phone-first: nothing wider than the screen, big enough touch targets, readable contrast
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator('[id="q-TC.1"]')
    assert first.locator("label").first.bounding_box()["height"] >= 44
    for selector in ("legend", ".opts label", ".note", "button[type=submit]", "header h1"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, selector
    # every choice is named by its label
    assert first.get_by_role("radio", name="Rất hài lòng", exact=True).count() == 1
    assert page.get_by_role("group", name="Câu 1/24. Nơi ngồi chờ", exact=False).count() == 1
    assert page.inner_text("#progress") == "Đã trả lời 0 / 24 câu"

    # keyboard only: Tab into the first question, Space picks, arrows move within the scale
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert first.get_by_role("radio", name="Rất không hài lòng", exact=True).is_checked()
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert first.get_by_role("radio", name="Rất hài lòng", exact=True).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator('[id="q-TC.2"]').get_by_role("radio", name="Hài lòng", exact=True).is_checked()
    assert page.inner_text("#progress") == "Đã trả lời 2 / 24 câu"
    progress = page.locator("#progress").bounding_box()
    assert progress["y"] + progress["height"] <= 844 + 1  # sticky at the bottom of the screen

    page.locator('[id="q-R6"]').get_by_role("radio", name="Trực tuyến", exact=True).check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ nhiệt tình")
    token = page.locator("input[name=token]").input_value()
    page.get_by_role("button", name="Gửi phiếu khảo sát").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Cảm ơn anh/chị!")
    saved = Response.objects.get()
    assert (saved.round_unit_id, saved.channel, saved.comment, saved.source) == (ru.pk, "2", "Cán bộ nhiệt tình", "web")
    assert dict(AnswerRow.objects.filter(response=saved).values_list("question", "answer")) == {
        "TC.1": "5", "TC.2": "4", "R6": "2"}

    # the same form instance sent again (a resubmit) is not counted twice
    again = page.request.post(f"{live_server.url}/khao-sat/p/{ru.key}/", form={"token": token, "TC.1": "1"})
    assert again.ok and "lần gửi lại không được tính thêm" in again.text()
    assert Response.objects.count() == 1


def test_form_sent_empty_shows_the_error_at_the_top_and_keeps_nothing(phone_page, live_server, survey):  # noqa: F811
    ru = survey["units"]["new_b"]
    page = phone_page
    page.goto(f"{live_server.url}/khao-sat/p/{ru.key}/")
    page.locator('[id="q-R2"]').get_by_role("radio", name="Nữ", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu khảo sát").click()
    alert = page.get_by_role("alert")
    assert "chưa trả lời câu hỏi đánh giá nào" in alert.inner_text()
    assert page.locator('[id="q-R2"]').get_by_role("radio", name="Nữ", exact=True).is_checked()  # what was chosen stays
    assert not Response.objects.exists()


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tổng quan")


def test_staff_type_paper_forms_with_the_keyboard(page, live_server, survey):  # noqa: F811
    ru = survey["units"]["justice"]
    sign_in(page, live_server, "tuphap")
    page.goto(f"{live_server.url}/khao-sat/dot/{survey['round'].pk}/don-vi/{ru.pk}/nhap-phieu/")
    page.get_by_label("Dòng 1, số phiếu").focus()
    # form number, then one answer code per cell, Tab between cells
    page.keyboard.type("001")
    for code in ("5", "4", "3"):
        page.keyboard.press("Tab")
        page.keyboard.type(code)
    page.get_by_label("Dòng 2, số phiếu").focus()
    page.keyboard.type("002")
    page.keyboard.press("Tab")
    page.keyboard.type("9")  # off the scale
    page.keyboard.press("Enter")
    errors = page.locator("#entry-errors")
    errors.wait_for()
    assert "Dòng 2 (phiếu số 002): Câu TC.1" in errors.inner_text()
    assert not Response.objects.exists()  # all or nothing
    # the typed rows are kept; correct the bad cell and save
    assert page.get_by_label("Dòng 1, câu TC.3").input_value() == "3"
    page.get_by_label("Dòng 2, câu TC.1").fill("2")
    page.get_by_label("Dòng 2, câu TC.1").press("Enter")
    page.wait_for_selector("text=Đã lưu 2 phiếu giấy.")
    assert sorted(Response.objects.values_list("form_no", "source", "entered_by__username")) == [
        ("001", "paper", "tuphap"), ("002", "paper", "tuphap")]
    assert dict(AnswerRow.objects.filter(response__form_no="001").values_list("question", "answer")) == {
        "TC.1": "5", "TC.2": "4", "TC.3": "3"}
    assert "Phiếu 002" in page.inner_text("body")
