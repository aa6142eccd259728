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
    # one small same-origin script (the progress line; the form works without it) and one stylesheet,
    # nothing inline (the CSP allows neither) and nothing from elsewhere
    assert html.count("<script") == 1 and html.count('<script src="/static/') == 1
    assert html.count("<link") == 1 and "<style" not in html
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


def xhh_unit(survey):
    import datetime

    from cchc.core.surveys import load_design
    from cchc.surveys.models import Round, RoundUnit

    round_ = Round(province=survey["province"], year=2025, title="Điều tra XHH 2025",
                   start=datetime.date(2025, 9, 1), end=datetime.date(2025, 11, 30))
    round_.set_design(load_design("xhh-2025"))
    round_.save()
    return RoundUnit.objects.create(round=round_, unit=survey["justice"], quota=8)


def test_sociological_survey_has_one_form_per_respondent_group(client, survey):
    ru = xhh_unit(survey)
    design = ru.round.parsed_design()
    url = reverse("surveys:public_form", args=[ru.key])
    chooser = client.get(url).content.decode()
    assert "Anh/chị trả lời với tư cách nào?" in chooser
    assert [g.name for g in design.groups.values()] == [
        "Phiếu dành cho lãnh đạo cấp sở, ban, ngành", "Phiếu dành cho lãnh đạo UBND cấp xã",
        "Phiếu dành cho đại biểu HĐND tỉnh"]
    assert all(f'href="?nhom={g}"' in chooser for g in design.groups)
    # deputies get no question on public finance (aspect TAICHINH) and are not asked their group
    deputies = client.get(url, {"nhom": "3"}).content.decode()
    finance = [q.code for q in design.scored if q.aspect == "TAICHINH"]
    shown = len(design.group_scored("3"))
    assert shown == len(design.scored) - len(finance) and f"Câu 1/{shown}." in deputies
    assert "Phiếu dành cho đại biểu HĐND tỉnh" in deputies
    assert f'name="{finance[0]}"' not in deputies and 'name="G"' not in deputies
    leaders = client.get(url, {"nhom": "1"}).content.decode()
    assert f'name="{finance[0]}"' in leaders and f"Câu 1/{len(design.scored)}." in leaders


def test_group_form_records_its_group_and_refuses_questions_of_another_group(client, survey):
    ru = xhh_unit(survey)
    design = ru.round.parsed_design()
    url = reverse("surveys:public_form", args=[ru.key])
    finance = next(q.code for q in design.scored if q.aspect == "TAICHINH")
    first = design.group_scored("3")[0].code
    token = re.search(r'name="token" value="([^"]+)"', client.get(url, {"nhom": "3"}).content.decode()).group(1)
    refused = client.post(url, {"token": token, first: "5", finance: "4"})
    assert refused.status_code == 400
    assert f"Câu {finance}: không thuộc «Phiếu dành cho đại biểu HĐND tỉnh»." in refused.content.decode()
    assert "Câu 1/" in refused.content.decode() and f'name="{finance}"' not in refused.content.decode()
    # the group comes from the signed form, whatever the post says
    accepted = client.post(url, {"token": token, first: "5", "G": "1"})
    assert accepted.status_code == 200
    response = Response.objects.get()
    assert response.group == "3" and dict(AnswerRow.objects.values_list("question", "answer")) == {first: "5", "G": "3"}


def test_paper_form_of_a_group_may_not_answer_another_groups_questions(survey):
    from cchc.surveys.services import enter_paper_forms

    ru = xhh_unit(survey)
    design = ru.round.parsed_design()
    finance = next(q.code for q in design.scored if q.aspect == "TAICHINH")
    outcome = enter_paper_forms(ru, [{"G": "1", finance: "5"}, {"G": "3", finance: "5"}], survey["coordinator"])
    assert outcome.errors == [f"Dòng 2: Câu {finance}: không thuộc «Phiếu dành cho đại biểu HĐND tỉnh»."]
    assert not Response.objects.exists()


def test_rate_limit_counts_each_citizen_behind_the_trusted_proxy_and_ignores_forged_headers(client, survey, settings):
    settings.SURVEYS_RATE_LIMIT = 2
    settings.SURVEYS_TRUSTED_PROXIES = "127.0.0.1"
    ru = survey["units"]["justice"]
    url = reverse("surveys:public_form", args=[ru.key])

    def send(**meta):
        return client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"}, **meta).status_code

    # through the proxy (127.0.0.1): one citizen is limited, another is not
    behind = [send(HTTP_X_FORWARDED_FOR=f"203.0.113.7, {hop}") for hop in ("127.0.0.1", "127.0.0.1", "127.0.0.1")]
    assert behind == [200, 200, 429]
    assert send(HTTP_X_FORWARDED_FOR="198.51.100.2") == 200
    # a client that is not the proxy cannot pick its own address with the header
    direct = [send(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}") for i in range(3)]
    assert direct == [200, 200, 429]
    assert Response.objects.count() == 5


def test_rate_limit_is_counted_in_the_database_shared_by_every_worker(client, survey, settings):
    from django.core.cache import caches

    from cchc.surveys.models import RateCounter

    settings.SURVEYS_RATE_LIMIT = 2
    ru = survey["units"]["justice"]
    url = reverse("surveys:public_form", args=[ru.key])
    assert client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"}).status_code == 200
    assert client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"}).status_code == 200
    # the count lives in a table every process reads, not in this process's memory cache
    assert RateCounter.objects.get(address="127.0.0.1").count == 2
    for alias in settings.CACHES:
        caches[alias].clear()
    refused = client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"})
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    page = refused.content.decode()
    assert "Gửi quá nhiều phiếu" in page and "Vui lòng thử lại sau ít phút" in page
    assert Response.objects.count() == 2
    # a new window starts the count again
    RateCounter.objects.filter(address="127.0.0.1").update(slot=0)
    assert client.post(url, {"token": open_form(client, ru)[1], "TC.1": "4"}).status_code == 200
    assert RateCounter.objects.get(address="127.0.0.1").count == 1


def test_thank_you_page_sets_no_cookie(client, survey):
    ru = survey["units"]["justice"]
    page = client.post(reverse("surveys:public_form", args=[ru.key]), {"token": open_form(client, ru)[1], "TC.1": "5"})
    assert page.status_code == 200 and "đã được ghi nhận" in page.content.decode()
    assert not page.cookies


def test_every_post_counts_once_and_a_refused_one_stores_nothing(client, survey, settings):
    """The same rules on both paths (one SQL statement on PostgreSQL, the ORM elsewhere): an
    invalid form, a duplicate and a stored form each count one submission of the address; past
    the limit a valid form stores neither the response nor any answer."""
    from cchc.surveys.models import RateCounter

    settings.SURVEYS_RATE_LIMIT = 3
    ru = survey["units"]["justice"]
    url = reverse("surveys:public_form", args=[ru.key])
    _, token = open_form(client, ru)
    assert client.post(url, {"token": token, "TC.1": "9"}).status_code == 400
    assert client.post(url, {"token": token, "TC.1": "5", "TC.2": "4"}).status_code == 200
    again = client.post(url, {"token": token, "TC.1": "5", "TC.2": "4"})
    assert "lần gửi lại không được tính thêm" in again.content.decode()
    assert RateCounter.objects.get(address="127.0.0.1").count == 3
    over = client.post(url, {"token": open_form(client, ru)[1], "TC.1": "3", "TC.3": "3"})
    assert over.status_code == 429 and "Gửi quá nhiều phiếu" in over.content.decode()
    assert client.post(url, {"token": open_form(client, ru)[1], "TC.1": "7"}).status_code == 429
    assert RateCounter.objects.get(address="127.0.0.1").count == 5
    assert Response.objects.count() == 1
    assert sorted(AnswerRow.objects.values_list("question", "answer")) == [("TC.1", "5"), ("TC.2", "4")]
    assert AnswerRow.objects.get(question="TC.1").round_unit == ru


def test_a_round_closed_by_another_process_refuses_forms_though_this_one_kept_a_copy(client, survey):
    """The view keeps the unit and its round a few seconds per process; a round closed elsewhere
    (an UPDATE this process gets no signal of) still takes no form: the storing statement checks."""
    from cchc.surveys.models import RateCounter, Round

    ru = survey["units"]["justice"]
    url = reverse("surveys:public_form", args=[ru.key])
    _, token = open_form(client, ru)
    assert client.post(url, {"token": token, "TC.1": "5"}).status_code == 200  # the copy is in use
    _, token = open_form(client, ru)
    Round.objects.filter(pk=survey["round"].pk).update(status=Round.Status.CLOSED)
    page = client.post(url, {"token": token, "TC.1": "4"})
    assert page.status_code == 409 and "Đợt khảo sát đã kết thúc" in page.content.decode()
    assert Response.objects.count() == 1
    assert RateCounter.objects.get(address="127.0.0.1").count == 2  # each POST counted once
    # a unit removed from the round: its link is gone
    Round.objects.filter(pk=survey["round"].pk).update(status=Round.Status.OPEN)
    ru.delete()
    assert client.post(url, {"token": token, "TC.1": "4"}).status_code == 404
