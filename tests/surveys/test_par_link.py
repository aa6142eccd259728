"""The survey-derived PAR Index criteria take their figures from the closed round's results:
"sipas-8.1.1" is the SIPAS factor «Tiếp cận dịch vụ», "xhh-2.5.1" the XHH factor 2.5.1; pending
(absent) while the round is open."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from cchc.core.surveys import load_design
from cchc.par.inputs import figures_for
from cchc.par.tree import evaluate, tree_of
from cchc.surveys.models import Round, RoundUnit
from cchc.surveys.results import indicator_values
from cchc.surveys.services import enter_paper_forms

PROVINCE_SET = "cchc/data/par/bnv-1187-2025-province.json"
DAY = datetime.date(2025, 12, 31)


def fill(survey):
    # SIPAS: TC.1 = 5, 4, 2 → 66.67; TC.2 = 5 → 100 → TC (8.1.1) = 83.34 (mean of rounded parts: 83.335)
    for key, rows in (("justice", [{"TC.1": "5", "TC.2": "5"}, {"TC.1": "4"}]), ("home_affairs", [{"TC.1": "2"}])):
        assert not enter_paper_forms(survey["units"][key], rows, survey["coordinator"]).errors


def test_par_survey_criteria_are_pending_until_the_round_closes_then_take_its_figures(survey):
    fill(survey)
    province = survey["province"]
    sources = {"survey.sipas-8.1.1", "survey.sipas-8.1.3", "tracking.tasks_total"}
    pending = figures_for(province.pk, province.pk, 2025, DAY, sources)["survey.sipas-8.1.1"]
    assert pending.value is None and "Chưa có đợt khảo sát năm 2025 nào kết thúc" in pending.origin
    survey["round"].status = Round.Status.CLOSED
    survey["round"].save()
    figures = figures_for(province.pk, province.pk, 2025, DAY, sources)
    assert figures["survey.sipas-8.1.1"].value == Decimal("83.34")
    assert figures["survey.sipas-8.1.3"].value is None  # no answer on «Công chức»: still pending
    assert "chưa có câu trả lời hợp lệ" in figures["survey.sipas-8.1.3"].origin
    assert "đã kết thúc" in figures["survey.sipas-8.1.1"].origin
    # a department's own assessment takes its own responses: justice TC.1 = 5, 4 → 100; TC.2 → 100
    own = figures_for(survey["justice"].pk, province.pk, 2025, DAY, {"survey.sipas-8.1.1"})
    assert own["survey.sipas-8.1.1"].value == Decimal("100.00")


def test_the_province_template_asks_for_the_survey_figures_and_scores_them(survey):
    fill(survey)
    survey["round"].status = Round.Status.CLOSED
    survey["round"].save()
    with open(PROVINCE_SET, encoding="utf-8") as handle:
        tree = tree_of(json.load(handle))
    leaf = next(n for n in tree.leaves if n.code == "8.1.1")
    assert leaf.computed and leaf.sources == ["survey.sipas-8.1.1"]
    values = {s: f.value for s, f in figures_for(survey["province"].pk, survey["province"].pk, 2025, DAY,
                                                 set(leaf.sources)).items()}
    assert leaf.max == Decimal("1.50")
    assert evaluate(leaf, values) == Decimal("1.25")  # (a × max points) / 100 = 83.34 × 1.5 / 100, to 2 places
    assert evaluate(next(n for n in tree.leaves if n.code == "8.1.3"), values) is None  # pending


def test_xhh_factors_are_named_after_their_criterion(survey):
    round_ = Round(province=survey["province"], year=2025, title="XHH", start=DAY, end=DAY, status="open")
    round_.set_design(load_design("xhh-2025"))
    round_.save()
    ru = RoundUnit.objects.create(round=round_, unit=survey["justice"], quota=2)
    first = round_.parsed_design().factors["2.5.1"].questions[0]
    assert not enter_paper_forms(ru, [{"G": "1", first: "5"}, {"G": "1", first: "1"}], survey["coordinator"]).errors
    round_.status = "closed"
    round_.save()
    assert indicator_values(survey["province"], 2025)["xhh-2.5.1"] == Decimal("50.00")
