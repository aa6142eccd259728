"""The demo surveys: closed 2025 rounds whose results the PAR Index takes; each XHH respondent
answered only the form of their group."""

from __future__ import annotations

from cchc.surveys.demo import demo_surveys
from cchc.surveys.models import AnswerRow, Response, Round
from cchc.surveys.results import indicator_values


def test_demo_rounds_are_closed_filled_and_feed_the_indicators(registry):
    demo_surveys()
    demo_surveys()  # a second run adds nothing
    rounds = {(r.design_key, r.year): r for r in Round.objects.all()}
    assert set(rounds) == {("sipas-2023", 2025), ("xhh-2025", 2025), ("sipas-2023", 2026)}
    sipas, xhh = rounds[("sipas-2023", 2025)], rounds[("xhh-2025", 2025)]
    assert sipas.status == xhh.status == "closed" and rounds[("sipas-2023", 2026)].status == "open"
    assert Response.objects.filter(round_unit__round=sipas).count() >= 0.9 * sum(u.quota for u in sipas.units.all())
    design = xhh.parsed_design()
    finance = [q.code for q in design.scored if q.aspect == "TAICHINH"]
    assert Response.objects.filter(round_unit__round=xhh, group="1").exists()
    assert not AnswerRow.objects.filter(response__round_unit__round=xhh, response__group="3", question__in=finance).exists()
    values = indicator_values(registry["province"], 2025)
    assert 0 < values["sipas.overall"] <= 100 and "xhh.2.5.1" in values


def test_demo_library_holds_thanh_hoa_own_design_with_an_extra_question(registry):
    from cchc.surveys.models import QuestionnaireDesign

    demo_surveys()
    demo_surveys()
    design = QuestionnaireDesign.objects.get(key="sipas-thanh-hoa-2026")
    v1, v2 = design.versions.order_by("number")
    assert len(v2.parsed().scored) == len(v1.parsed().scored) + 1 and design.versions.count() == 2
