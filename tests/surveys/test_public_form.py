"""The citizen's form: no login, one submission per form instance, refusals, the rate limit."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.surveys.models import AnswerRow, Response


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def open_form(client, ru):
    page = client.get(reverse("surveys:public_form", args=[ru.key]))
    assert page.status_code == 200
    return page, re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def test_form_page_is_small_plain_html_with_labels_and_no_script(client, survey):
    page, _ = open_form(client, survey["units"]["justice"])
    html = page.content.decode()
    assert "Sở Tư pháp" in html and "Câu 1/24. Nơi ngồi chờ" in html
    assert '<html lang="vi">' in html and "http" not in html.split("</head>")[0]
    # one small inline script (the progress line; the form works without it), nothing loaded
    assert html.count("<script") == 1 and "<script src" not in html and "<link" not in html
    assert html.count('type="radio"') == 24 * 6 + 5 + 3 + 6 + 7 + 3  # rated questions + respondent choices
    assert len(page.content) < 60_000


def test_submission_is_stored_anonymously_and_counted_once(client, survey):
    ru = survey["units"]["justice"]
    _, token = open_form(client, ru)
    data = {"token": token, "TC.1": "5", "TC.2": "0", "CC.1": "3", "R6": "2", "R4": "1"}
    first = client.post(reverse("surveys:public_form", args=[ru.key]), data)
    assert first.status_code == 200 and "đã được ghi nhận" in first.content.decode()
    again = client.post(reverse("surveys:public_form", args=[ru.key]), data)
    assert "lần gửi lại không được tính thêm" in again.content.decode()
    response = Response.objects.get()
    assert (response.round_unit, response.channel, response.group, response.contact) == (ru, "2", "1", "")
    assert dict(AnswerRow.objects.values_list("question", "answer")) == {
        "TC.1": "5", "TC.2": "0", "CC.1": "3", "R6": "2", "R4": "1"}


def test_answer_outside_the_scale_is_refused_with_a_vietnamese_message(client, survey):
    ru = survey["units"]["justice"]
    _, token = open_form(client, ru)
    page = client.post(reverse("surveys:public_form", args=[ru.key]), {"token": token, "TC.1": "9"})
    assert page.status_code == 400
    assert "Câu TC.1" in page.content.decode() and "không có trong thang đo" in page.content.decode()
    assert not Response.objects.exists()


def test_nothing_answered_forged_token_and_other_unit_token_are_refused(client, survey):
    justice, home = survey["units"]["justice"], survey["units"]["home_affairs"]
    _, token = open_form(client, justice)
    url = reverse("surveys:public_form", args=[justice.key])
    assert "chưa trả lời câu hỏi đánh giá nào" in client.post(url, {"token": token, "R2": "1"}).content.decode()
    assert client.post(url, {"token": token + "x", "TC.1": "5"}).status_code == 400
    _, other = open_form(client, home)
    page = client.post(url, {"token": other, "TC.1": "5"})
    assert "không thuộc đơn vị này" in page.content.decode()
    assert not Response.objects.exists()


def test_a_form_opened_before_the_design_changed_is_refused(client, survey):
    ru = survey["units"]["justice"]
    _, token = open_form(client, ru)
    round_ = survey["round"]
    round_.design = {**round_.design, "name": "Phiếu đã sửa"}
    round_.fingerprint = "changed"
    round_.save()
    page = client.post(reverse("surveys:public_form", args=[ru.key]), {"token": token, "TC.1": "5"})
    assert page.status_code == 409 and "Bộ câu hỏi đã thay đổi" in page.content.decode()


def test_closed_round_takes_no_more_forms(client, survey):
    ru = survey["units"]["justice"]
    _, token = open_form(client, ru)
    survey["round"].status = "closed"
    survey["round"].save()
    assert client.get(reverse("surveys:public_form", args=[ru.key])).status_code == 410
    page = client.post(reverse("surveys:public_form", args=[ru.key]), {"token": token, "TC.1": "5"})
    assert page.status_code == 409 and not Response.objects.exists()


def test_unknown_link_is_404(client, survey):
    assert client.get(reverse("surveys:public_form", args=["khong-co"])).status_code == 404


def test_rate_limit_per_address(client, survey, settings):
    settings.SURVEYS_RATE_LIMIT = 3
    ru = survey["units"]["justice"]
    url = reverse("surveys:public_form", args=[ru.key])
    statuses = []
    for _ in range(5):
        _, token = open_form(client, ru)
        statuses.append(client.post(url, {"token": token, "TC.1": "4"}).status_code)
    assert statuses == [200, 200, 200, 429, 429]
    assert Response.objects.count() == 3
    other = client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and Response.objects.count() == 4
