"""The coordinator's results page reads the same number of queries whatever the number of units."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.par import services
from cchc.units.models import Unit

from .conftest import definition, fill


def _page_queries(client, registry, make_user, extra: int, year: int) -> int:
    for n in range(extra):
        Unit.objects.get_or_create(code=f"39{year}{n:03d}", defaults={"name": f"UBND xã Thử {year} {n}", "kind": "commune", "parent": registry["province"]})
    templates = [services.store_template(definition("commune")), services.store_template(definition("department"))]
    rnd = services.open_round(registry["province"], year, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2025, 12, 14), templates=templates)
    for a in rnd.assessments.select_related("template"):
        fill(a, {"1.3": "2"})
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("par:results", args=[rnd.pk])).status_code == 200
    return len(few.captured_queries), rnd.assessments.count()


def test_results_page_queries_do_not_grow_with_the_units(client, registry, make_user):
    client.force_login(make_user("snv", registry["home_affairs"], role="coordinator"))
    small, small_units = _page_queries(client, registry, make_user, 0, 2030)
    large, large_units = _page_queries(client, registry, make_user, 12, 2032)
    assert large_units >= small_units + 12
    assert small == large
