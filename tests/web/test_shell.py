"""The web shell speaks Vietnamese with Vietnamese formats, and serves vendored assets."""

import datetime

from django import forms
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation


def test_login_page_is_vietnamese_and_uses_no_cdn(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page and "Mật khẩu" in page and 'lang="vi"' in page
    assert "cdn" not in page.lower() and "https://" not in page
    for asset in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "vendor/chartjs/chart.umd.min.js"):
        assert finders.find(asset), asset


def test_wrong_password_says_so_in_vietnamese(client, make_user):
    make_user("someone")
    page = client.post(reverse("login"), {"username": "someone", "password": "sai"}).content.decode()
    assert "Đăng nhập" in page and "mật khẩu" in page.lower()


def test_dates_and_numbers_the_vietnamese_way():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2022, 6, 30), "SHORT_DATE_FORMAT") == "30/06/2022"
        assert formats.localize(517417, use_l10n=True) == "517.417"
        assert formats.number_format(99.65, decimal_pos=2, use_l10n=True, force_grouping=True) == "99,65"
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ n }}").render(
            Context({"d": datetime.date(2022, 6, 30), "n": 238144})
        )
        assert rendered == "30/06/2022 238.144"


def test_forms_accept_vietnamese_dates_and_numbers():
    with translation.override("vi"):
        assert forms.DateField().clean("30/06/2022") == datetime.date(2022, 6, 30)
        assert forms.DecimalField(localize=True).clean("99,65") == __import__("decimal").Decimal("99.65")
        assert forms.IntegerField(localize=True).clean("517.417") == 517417


def test_pages_render_for_a_signed_in_user(client, registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    client.force_login(make_user("c", registry["home_affairs"], "coordinator"))
    for url in (reverse("home"), reverse("units:list"), reverse("units:detail", args=[registry["new_a"].pk]),
                reverse("plans:list"), plan.get_absolute_url(), plan.tasks.get().get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="viewport"' in response.content.decode()
    tree = client.get(reverse("units:list"), {"ngay": "01/01/2026"}).content.decode()
    assert "Kiên Thọ" in tree and "Hoằng Hải" not in tree


def test_openapi_schema_and_docs(client, make_user):
    client.force_login(make_user("api-user"))
    schema = client.get("/api/schema/?format=json").json()
    assert {"/api/units/", "/api/plans/", "/api/obligations/", "/api/plans/{id}/"} <= set(schema["paths"])
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower() and "https://" not in docs


def test_no_template_prints_an_id_through_number_localisation():
    """With thousands grouping on, {{ obj.pk }} renders 12345 as "12.345" and breaks ids, hx-targets
    and query strings: every printed id must go through stringformat."""
    import re
    from pathlib import Path

    import cchc

    offenders = []
    for template in (Path(cchc.__file__).parent / "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\{\{\s*[\w.]*(\.pk|\.id|_line)\s*(\|default[^}|]*)?\}\}", line):
                offenders.append(f"{template.name}:{number}")
    assert offenders == []


def test_large_ids_render_plainly_in_the_review_rows(registry, plan_factory):
    from django.template.loader import render_to_string

    from cchc.plans.models import Task

    plan = plan_factory(registry["province"], tasks={"1": []})
    task = Task.objects.get(plan=plan)
    Task.objects.filter(pk=task.pk).update(source_first_line=1234, source_last_line=1240)
    task = Task.objects.get(pk=task.pk)
    task.pk = 123456  # only rendered, never saved
    html = render_to_string("plans/_review_task.html", {"task": task, "plan": plan})
    assert 'id="task-123456"' in html and 'data-first="1234"' in html and 'data-last="1240"' in html


def test_unit_page_lists_the_plans_it_issued_that_the_user_may_see(client, registry, plan_factory, make_user):
    """The plans app contributes the unit page's plan list (plans sit above units, so the units app
    cannot query them itself); a draft stays invisible to a user outside the issuing unit."""
    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    url = reverse("units:detail", args=[registry["province"].pk])
    client.force_login(make_user("c", registry["home_affairs"], "coordinator"))
    assert plan.title in client.get(url).content.decode()
    client.force_login(make_user("j", registry["justice"], "officer"))
    plan.status = plan.Status.DRAFT
    plan.save()
    assert plan.title not in client.get(url).content.decode()
