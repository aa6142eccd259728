"""The demo's PAR Index: last year's round of Thanh Hóa, published, every unit ranked."""

from __future__ import annotations

import datetime

import pytest

from cchc.demo import DEMO_PASSWORD
from cchc.par import demo
from cchc.par.models import AppraisalEntry, Assessment, AssessmentRound, LeafScore, ScoreEvidence
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

    # every typed score is one its rule allows; appraisal takes points away, round 2 gives them back
    for score in LeafScore.objects.filter(assessment__round=rnd, auto=False).select_related("assessment__template")[:3000]:
        node = template_tree(score.assessment.template).node(score.code)
        assert score.self_points is not None and check_points(node, score.self_points) is None
        if score.appraised_round == 1:
            assert score.appraised_points < score.self_points
        elif score.appraised_round == 2:
            assert score.appraised_points == score.self_points

    # with evidence, both appraisal rounds and the units' explanations in between
    assert ScoreEvidence.objects.filter(score__assessment__round=rnd, doc_number__gt="").count() > 5000
    cut = AppraisalEntry.objects.filter(score__assessment__round=rnd, round=1)
    given_back = AppraisalEntry.objects.filter(score__assessment__round=rnd, round=2)
    assert cut.count() > 1000 and 0 < given_back.count() < cut.count()
    assert all(e.score.reply and e.points == e.score.self_points for e in given_back.select_related("score")[:200])

    tables = round_results(rnd, previous=False)
    indices = [row.index for table in tables for row in table.rows]
    assert len(indices) == len(assessments)
    assert all(0 < i < 100 for i in indices) and len(set(indices)) > 10  # a real spread to rank
    communes = next(t for t in tables if t.unit_type == "commune")
    assert [r.rank for r in communes.rows][:3] == [1, 2, 3]

    page = client.get(f"/chi-so-cchc/cong-bo/{rnd.pk}/")  # the published results are public
    assert page.status_code == 200
    assert communes.rows[0].unit_name in page.content.decode()

    # this year's round is open, and the demo commune is half way through its self-assessment
    current = AssessmentRound.objects.get(year=2026)
    assert current.status == "open" and current.deadline == datetime.date(2026, 12, 15)
    own = current.assessments.get(unit__code=demo.DEMO_COMMUNE)
    typed = own.scores.filter(auto=False)
    assert 0 < typed.filter(self_points__isnull=False).count() < typed.count()
    assert client.login(username="kientho", password=DEMO_PASSWORD)
    page = client.get(f"/chi-so-cchc/tu-danh-gia/{own.pk}/")
    assert page.status_code == 200 and "Báo cáo số" in page.content.decode()
    client.logout()

    assert demo.load(TODAY) is None  # loading twice changes nothing
    assert AssessmentRound.objects.count() == 2


def test_no_current_round_before_october(thanh_hoa):
    demo.load(datetime.date(2026, 3, 15))
    assert list(AssessmentRound.objects.values_list("year", "status")) == [(2025, "published")]
