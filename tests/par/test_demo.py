"""The demo's PAR Index: last year's round of Thanh Hóa, published, every unit ranked."""

from __future__ import annotations

import datetime

import pytest

from cchc.par import demo
from cchc.par.models import Assessment, AssessmentRound, LeafScore
from cchc.par.results import round_results
from cchc.par.tree import check_points, template_tree

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def thanh_hoa(db):
    from cchc.front.management.commands.load_demo import Command
    from cchc.units.registry import load_province

    load_province("thanh-hoa")
    Command().create_users()


def test_last_year_is_published_with_every_unit_ranked(thanh_hoa, client):
    rnd = demo.load(TODAY)
    assert (rnd.year, rnd.status, rnd.published_on) == (2025, "published", datetime.date(2026, 3, 20))
    assessments = list(rnd.assessments.select_related("template", "unit"))
    kinds = {a.unit.kind for a in assessments}
    assert kinds == {"department", "commune"}
    assert sum(a.unit.kind == "commune" for a in assessments) == 166
    assert {a.status for a in assessments} == {Assessment.Status.SUBMITTED}

    # every typed score is one its rule allows, and appraisal only ever takes points away
    for score in LeafScore.objects.filter(assessment__round=rnd, auto=False).select_related("assessment__template")[:3000]:
        node = template_tree(score.assessment.template).node(score.code)
        assert score.self_points is not None and check_points(node, score.self_points) is None
        if score.appraised_round:
            assert score.appraised_points < score.self_points

    tables = round_results(rnd, previous=False)
    indices = [row.index for table in tables for row in table.rows]
    assert len(indices) == len(assessments)
    assert all(0 < i < 100 for i in indices) and len(set(indices)) > 10  # a real spread to rank
    communes = next(t for t in tables if t.unit_type == "commune")
    assert [r.rank for r in communes.rows][:3] == [1, 2, 3]

    page = client.get(f"/chi-so-cchc/cong-bo/{rnd.pk}/")  # the published results are public
    assert page.status_code == 200
    assert communes.rows[0].unit_name in page.content.decode()

    assert demo.load(TODAY) is None  # loading twice changes nothing
    assert AssessmentRound.objects.count() == 1
