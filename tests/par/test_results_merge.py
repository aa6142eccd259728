"""Year-over-year change of a commune formed by a merger: measured against its predecessors' results
of last year taken together (Σ points / Σ max × 100), named on the results page."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from cchc.par import services
from cchc.par.models import AssessmentRound
from cchc.par.results import round_results

from .conftest import fill


def _last_year(par, registry):
    templates = list(par["round"].templates.all())
    before = services.open_round(
        registry["province"], 2024, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2024, 12, 14), templates=templates
    )
    assessments = {a.unit.code: a for a in before.assessments.select_related("unit", "template")}
    assert {"38001", "38002"} <= assessments.keys() and "38101" not in assessments  # the old communes, not the new
    fill(assessments["38001"], {"1.3": "3", "2.2": "2"})  # 5 / 20 = 25%
    fill(assessments["38002"], {"1.2": "2", "1.3": "1"})  # 3 / 20 = 15%
    fill(assessments["tha-so-tu-phap"], {"1.3": "2"})  # 2 / 20 = 10%
    AssessmentRound.objects.filter(pk=before.pk).update(status=AssessmentRound.Status.PUBLISHED, published_on=datetime.date(2025, 3, 1))
    return before


def test_merged_commune_is_compared_with_its_predecessors_weighted_by_their_maxima(par, registry):
    _last_year(par, registry)
    fill(par["assessments"]["38101"], {"1.3": "3", "2.2": "2", "3.2": "2"})  # 7 / 20 = 35%
    fill(par["assessments"]["tha-so-tu-phap"], {"1.3": "3"})  # 3 / 20 = 15%
    rows = {r.unit_id: r for t in round_results(par["round"]) for r in t.rows}
    merged = rows[registry["new_a"].pk]
    assert merged.index == Decimal("35.00")
    assert merged.change == Decimal("15.00")  # against (5 + 3) / (20 + 20) = 20%
    assert merged.compared_with == ["UBND xã Hoằng Hải", "UBND xã Hoằng Tiến"]
    justice = rows[registry["justice"].pk]
    assert justice.change == Decimal("5.00") and justice.compared_with == []  # its own result of last year
    assert rows[registry["new_b"].pk].change is None  # no result of its own nor of a predecessor


def test_results_page_says_what_the_merged_commune_is_compared_with(client, par, registry):
    _last_year(par, registry)
    fill(par["assessments"]["38101"], {"1.3": "3", "2.2": "2", "3.2": "2"})
    client.force_login(par["users"]["coordinator"])
    page = client.get(reverse("par:results", args=[par["round"].pk])).content.decode()
    assert 'title="so với UBND xã Hoằng Hải, UBND xã Hoằng Tiến (trước sáp nhập)"' in page
    assert "+15</td>" not in page and "+15<span" in page  # the change cell, with the comparison for screen readers


def test_predecessors_are_read_in_one_query_whatever_the_units(par, registry, django_assert_num_queries):
    from cchc.units.models import Unit

    ids = {registry["new_a"].pk, registry["new_b"].pk, registry["justice"].pk}
    with django_assert_num_queries(1):
        found = Unit.objects.predecessors_of(ids)
    assert found == {registry["new_a"].pk: {registry["old_a"].pk, registry["old_b"].pk}, registry["new_b"].pk: set(), registry["justice"].pk: set()}
