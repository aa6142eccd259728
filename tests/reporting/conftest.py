"""A 6-month 2024 reporting period of the registry's province, and users in every role."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cchc.core.statforms import FORMS_DIR


@pytest.fixture(scope="session")
def seed003():
    with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as fh:
        return json.load(fh, parse_float=Decimal)


@pytest.fixture
def period(registry):
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod

    return ReportingPeriod.objects.create(
        province=registry["province"], kind="h1", year=2024, form_set=current_version(2024)
    )


@pytest.fixture
def people(registry, make_user):
    return {
        "coordinator": make_user("snv", registry["home_affairs"], role="coordinator"),
        "commune": make_user("hoangtien", registry["old_a"], role="officer"),
        "other_commune": make_user("hoanghai", registry["old_b"], role="officer"),
        "viewer": make_user("xem", registry["old_a"], role="viewer"),
        "justice": make_user("stp", registry["justice"], role="officer"),
    }


@pytest.fixture
def client_for(client):
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
