"""Survey-derived leaves take the surveys app's closed rounds as inputs, at the cut-off: a later
answer does not move the score until the explicit, change-logged recomputation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cchc.core.surveys import load_design
from cchc.history.models import ObjectChange
from cchc.par import services
from cchc.par.inputs import survey_key
from cchc.par.models import LeafScore

from .conftest import definition

pytestmark = pytest.mark.django_db


def with_survey_area(unit_type="commune") -> dict:
    data = definition(unit_type)
    data["key"] += "-survey"
    data["total_max"] = "24"
    data["nodes"].append({
        "code": "4", "name": "MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN", "max": "4", "children": [
            {"code": "4.1", "name": "Chỉ số hài lòng về sự phục vụ hành chính", "max": "4", "source": "survey",
             "rule": {"kind": "survey", "survey": "sipas", "indicator": "sipas-overall"}},
        ],
    })
    return data


@pytest.fixture
def surveyed(registry, make_user):
    from cchc.surveys.models import Round, RoundUnit

    survey = Round(province=registry["province"], year=2025, title="Khảo sát SIPAS 2025",
                   start=datetime.date(2025, 9, 1), end=datetime.date(2025, 11, 30))
    survey.set_design(load_design("sipas-2023"))
    survey.save()
    commune = RoundUnit.objects.create(round=survey, unit=registry["new_b"], quota=4)
    template = services.store_template(with_survey_area())
    rnd = services.open_round(registry["province"], 2025, deadline=datetime.date(2099, 12, 31),
                              cutoff=datetime.date(2025, 12, 14), templates=[template])
    return {"survey": survey, "round_unit": commune, "round": rnd, "assessment": rnd.assessments.get(unit=registry["new_b"]),
            "coordinator": make_user("snv", registry["home_affairs"], role="coordinator")}


def enter(surveyed, rows):
    from cchc.surveys.services import enter_paper_forms

    outcome = enter_paper_forms(surveyed["round_unit"], rows, surveyed["coordinator"])
    assert not outcome.errors


def test_survey_key_maps_template_sources_to_the_surveys_app():
    assert survey_key("survey.xhh-2.5.1") == "xhh.2.5.1"
    assert survey_key("survey.sipas-overall") == "sipas.overall"
    assert survey_key("survey.sipas.TC") == "sipas.TC"


def test_a_survey_leaf_is_scored_from_the_closed_round_and_frozen_until_recomputed(surveyed):
    assessment, survey = surveyed["assessment"], surveyed["survey"]
    enter(surveyed, [{"TC.1": "5", "TT.1": "4"}, {"TC.1": "1", "TT.1": "4"}])
    services.take_inputs(assessment)
    score = LeafScore.objects.get(assessment=assessment, code="4.1")
    assert score.auto and score.self_points is None  # the round is still open: no index yet
    snapshot = assessment.inputs.get(source="survey.sipas-overall")
    assert snapshot.value is None and "Chưa có đợt khảo sát năm 2025 nào kết thúc" in snapshot.origin
    survey.status = "closed"
    survey.save()
    services.take_inputs(assessment)
    # TC.1: 1 of 2 = 50; TT.1: 2 of 2 = 100; overall (50 + 100) / 2 = 75 → 75% × 4 = 3
    score.refresh_from_db()
    assert score.self_points == Decimal("3.00")
    snapshot = assessment.inputs.get(source="survey.sipas-overall")
    assert snapshot.value == Decimal("75.00") and snapshot.as_of == datetime.date(2025, 12, 14)
    assert "Khảo sát SIPAS 2025" in snapshot.origin
    # a later answer does not move the score by itself
    survey.status = "open"
    survey.save()
    enter(surveyed, [{"TC.1": "5", "TT.1": "5"}, {"TC.1": "5", "TT.1": "5"}])
    survey.status = "closed"
    survey.save()
    services.ensure_inputs(assessment)
    score.refresh_from_db()
    assert score.self_points == Decimal("3.00")
    # the explicit recomputation takes it, and is change-logged
    before = ObjectChange.objects.count()
    services.take_inputs(assessment)
    score.refresh_from_db()
    assert score.self_points == Decimal("3.50")  # TC.1 3 of 4, TT.1 4 of 4 → 87,5% × 4
    assert ObjectChange.objects.count() > before


def test_a_survey_leaf_is_never_self_scored(surveyed):
    with pytest.raises(services.ParError, match=r"Tiêu chí 4.1 .*tự động"):
        services.save_self_score(surveyed["assessment"], "4.1", "4")
