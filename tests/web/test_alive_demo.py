"""The demo's current year (cchc/demo/alive.py) and the pinned business date (CCHC_TODAY)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.demo import DEMO_PASSWORD, DEMO_USERS, alive
from cchc.plans.models import Obligation
from cchc.reporting.services import period_overview
from cchc.today import today

PINNED = datetime.date(2026, 3, 15)


def test_cchc_today_pins_the_business_date(settings):
    settings.CCHC_TODAY = "15/03/2026"
    assert today() == PINNED
    settings.CCHC_TODAY = "2026-03-15"
    assert today() == PINNED
    settings.CCHC_TODAY = "15-03"
    with pytest.raises(ImproperlyConfigured, match="CCHC_TODAY"):
        today()


def test_the_plan_moves_to_the_current_year_but_not_its_programme():
    text = " ".join(alive.current_year_text(2026).split())  # periods cut across lines: "2022 - \n\n2026"
    assert "2022" not in text.replace("2022 - 2025", "").replace("2022 - 2026", "").replace("2022 - 2030", "")
    assert "2021 - 2030" in text and "năm 2026" in text


def test_the_current_year_is_alive_for_every_demo_login(db, client, settings):
    from cchc.front.management.commands.load_demo import Command
    from cchc.units.registry import load_province

    settings.CCHC_TODAY = PINNED.isoformat()
    load_province("thanh-hoa")
    Command().create_users()
    plan = alive.import_current_year_plan(today())
    assert plan.year == 2026 and plan.status == "issued"
    mix = alive.simulate_current_year(today())
    assert all(mix[k] > 0 for k in ("on_time", "late", "overdue", "in_progress")), mix
    assert alive.simulate_current_year(today()) == {}  # twice changes nothing
    statuses = set(Obligation.objects.filter(task__plan=plan).values_list("status", flat=True))
    assert {"done_on_time", "done_late", "overdue", "pending"} <= statuses

    for username, _name, _unit, _role in DEMO_USERS:
        assert client.login(username=username, password=DEMO_PASSWORD)
        page = client.get("/viec/")
        open_rows = sum(len(g["rows"]) for g in page.context["groups"] if g["key"] != "done")
        assert open_rows > 0, username
        counts = client.get("/").context["counts"]  # where a login lands: the year is under way
        assert 0 < counts["done"] < counts["total"], (username, counts)
        client.logout()

    period = alive.current_reporting(today())
    assert (period.kind, period.year) == ("year", 2025)  # the Q1 2026 report is due on 20/03/2026
    from django.contrib.auth import get_user_model

    states = [row.state for row in period_overview(period, get_user_model().objects.get(username="admin"), today())]
    assert states.count("submitted") == 17 and states.count("late") > 100
