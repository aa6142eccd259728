"""A template holding every rule kind the engine has beyond the small fixture's — percentage bands,
count bands, a capped sum of parts, a penalty leaf, a bonus area and a survey-derived leaf —
taken through the whole web path: the commune's self-assessment over HTTP, the coordinator's
appraisal, publication, ranking; each leaf's final score worked out by hand from its printed rule."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from cchc.core.surveys import load_design
from cchc.par import services
from cchc.par.models import AssessmentRound, LeafScore
from cchc.par.results import round_results

from .conftest import fill

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "par" / "commune-all-kinds.json"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def all_kinds(registry, make_user):
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod, Submission, SubmissionValue
    from cchc.surveys.models import Round, RoundUnit
    from cchc.surveys.services import enter_paper_forms

    coordinator = make_user("snv", registry["home_affairs"], role="coordinator")
    commune = registry["new_b"]
    # the commune's accepted year report: 85% of dossiers on time, 4 initiatives recognised
    period = ReportingPeriod.objects.create(province=registry["province"], kind="year", year=2025, form_set=current_version(2025))
    report = Submission.objects.create(period=period, unit=commune, status=Submission.Status.ACCEPTED)
    SubmissionValue.objects.create(submission=report, code="3:3.1", value=Decimal("85"))
    SubmissionValue.objects.create(submission=report, code="1:9", value=Decimal("4"))
    # the SIPAS round: TC.1 1 of 2 satisfied = 50, TT.1 2 of 2 = 100 → overall 75, closed before the cut-off
    survey = Round(province=registry["province"], year=2025, title="Khảo sát SIPAS 2025",
                   start=datetime.date(2025, 9, 1), end=datetime.date(2025, 11, 30))
    survey.set_design(load_design("sipas-2023"))
    survey.save()
    outcome = enter_paper_forms(RoundUnit.objects.create(round=survey, unit=commune, quota=4),
                                [{"TC.1": "5", "TT.1": "4"}, {"TC.1": "1", "TT.1": "4"}], coordinator)
    assert not outcome.errors
    survey.status = "closed"
    survey.save()
    template = services.store_template(json.loads(FIXTURE.read_text(encoding="utf-8")))
    rnd = services.open_round(registry["province"], 2025, deadline=datetime.date(2099, 12, 31),
                              cutoff=datetime.date(2025, 12, 14), templates=[template])
    return {
        "round": rnd, "commune": rnd.assessments.get(unit=commune), "other": rnd.assessments.get(unit=registry["new_a"]),
        "coordinator": coordinator,
        "officer": make_user("xa-canbo", commune, role="officer"), "manager": make_user("xa-lanhdao", commune, role="manager"),
    }


def test_every_rule_kind_through_self_assessment_appraisal_and_publication(client, all_kinds):
    rnd, commune, coordinator = all_kinds["round"], all_kinds["commune"], all_kinds["coordinator"]
    client.force_login(all_kinds["officer"])
    page = client.get(reverse("par:assessment", args=[commune.pk])).content.decode()
    # band, count and survey leaves take their figures from the system: no points box for them
    for code in ("1.1", "1.2", "2.1"):
        assert f'aria-label="Điểm tự đánh giá {code}"' not in page
    for code in ("1.3.1", "1.3.2", "1.4", "3.1"):
        assert f'aria-label="Điểm tự đánh giá {code}"' in page
    # the survey-derived leaf and the count-band leaf cannot be typed over
    refused = client.post(reverse("par:score", args=[commune.pk, "2.1"]), {"points": "4"}, **HTMX).content.decode()
    assert "leaf-error" in refused and "Tiêu chí 2.1 (Chỉ số hài lòng về sự phục vụ hành chính): điểm được tính tự động" in refused
    refused = client.post(reverse("par:score", args=[commune.pk, "1.2"]), {"points": "1"}, **HTMX).content.decode()
    assert "Tiêu chí 1.2 (Sáng kiến, giải pháp mới trong CCHC được công nhận): điểm được tính tự động" in refused
    # a part outside its choices and a penalty above its block's maximum are refused
    refused = client.post(reverse("par:score", args=[commune.pk, "1.3.2"]), {"points": "1"}, **HTMX).content.decode()
    assert "điểm 1 không thuộc các mức cho phép (1,5; 0,5; 0)" in refused
    refused = client.post(reverse("par:score", args=[commune.pk, "1.4"]), {"points": "2"}, **HTMX).content.decode()
    assert "Tiêu chí 1.4 (Bị phê bình vì chậm báo cáo CCHC): điểm 2 vượt điểm tối đa 1,00." in refused
    typed = {"1.3.1": "1,5", "1.3.2": "1,5", "1.4": "1", "3.1": "1"}
    for code, points in typed.items():
        response = client.post(reverse("par:score", args=[commune.pk, code]),
                               {"points": points, "reference": "Kế hoạch số 12/KH-UBND ngày 05/01/2025"}, **HTMX)
        assert response.status_code == 200 and "leaf-error" not in response.content.decode(), code
    scores = {s.code: s for s in LeafScore.objects.filter(assessment=commune)}
    assert {c: scores[c].self_points for c in typed} == {"1.3.1": Decimal("1.5"), "1.3.2": Decimal("1.5"), "1.4": Decimal("1"), "3.1": Decimal("1")}
    assert scores["2.1"].auto and scores["1.1"].auto and scores["1.2"].auto
    client.force_login(all_kinds["manager"])
    client.post(reverse("par:submit", args=[commune.pk]))
    commune.refresh_from_db()
    assert commune.status == "submitted"
    fill(all_kinds["other"], {"1.3.1": "0", "1.3.2": "0,5", "1.4": "0", "3.1": "0"})

    # appraisal: round 1 the coordinator halves the bonus, then explanation, round 2, final, published
    client.force_login(coordinator)
    client.post(reverse("par:advance", args=[rnd.pk]))
    ok = client.post(reverse("par:appraise", args=[commune.pk, "3.1"]), {"points": "0,5", "reason": "Mô hình mới nhân rộng ở 1 xã"}, **HTMX)
    assert ok.status_code == 200
    for code in ("1.3.1", "1.3.2", "1.4"):
        client.post(reverse("par:appraise", args=[commune.pk, code]), {"accept": "1"}, **HTMX)
    for _ in range(3):  # explanation (round 1 released), round 2, final
        client.post(reverse("par:advance", args=[rnd.pk]))
    assert LeafScore.objects.get(assessment=commune, code="2.1").self_points == Decimal("3")  # the POST above changed nothing
    client.post(reverse("par:advance", args=[rnd.pk]), {"decision": "Quyết định số 300/QĐ-UBND ngày 20/01/2026"})
    rnd.refresh_from_db()
    assert rnd.status == AssessmentRound.Status.PUBLISHED

    final = {s.code: s.points for s in LeafScore.objects.filter(assessment=commune)}
    inputs = {i.source: i.value for i in commune.inputs.all()}
    assert inputs["forms.3:3.1"] == Decimal("85") and inputs["forms.1:9"] == Decimal("4")
    assert inputs["survey.sipas-overall"] == Decimal("75")
    assert final == {
        "1.1": Decimal("1.5"),   # 85%: "từ 70% đến dưới 90%: 1,5"
        "1.2": Decimal("1.5"),   # 4 initiatives: "từ 3 sáng kiến trở lên: 1,5"
        "1.3.1": Decimal("1.5"),
        "1.3.2": Decimal("1.5"),
        "1.4": Decimal("1"),     # penalised: "trừ 1 điểm"
        "2.1": Decimal("3"),     # SIPAS 75% × 4
        "3.1": Decimal("0.5"),   # appraised down from 1
    }
    communes = next(t for t in round_results(rnd) if t.unit_type == "commune")
    first, second = communes.rows
    # area 1: 1,5 + 1,5 + min(1,5 + 1,5, 2) = 5, less the penalty 1 = 4 | area 2: 3 | bonus 0,5 → 7,5 of 10
    assert first.unit_name == "UBND xã Kiên Thọ"
    assert first.areas == {"1": Decimal("4"), "2": Decimal("3"), "3": Decimal("0.5")}
    assert (first.points, first.index, first.rank, first.group["code"]) == (Decimal("7.5"), Decimal("75.00"), 1, "B")
    # the other commune: no report, no survey answers → 0 for 1.1, 1.2 and 2.1; 1.3.2 0,5
    assert (second.unit_name, second.points, second.index, second.rank) == ("UBND xã Hoằng Tiến Mới", Decimal("0.5"), Decimal("5.00"), 2)
    client.logout()
    public = client.get(reverse("par:public_results", args=[rnd.pk])).content.decode()
    assert "Quyết định số 300/QĐ-UBND ngày 20/01/2026" in public
    assert public.index("UBND xã Kiên Thọ") < public.index("UBND xã Hoằng Tiến Mới")
    assert '<td class="text-end fw-semibold">7,5</td><td class="text-end">75</td>' in public


def test_band_leaves_whose_figures_the_unit_holds_admit_only_their_bands_points(registry, make_user, client):
    """In the built-in sets most band leaves count what the unit itself knows (no system source):
    the unit types the points, and only a band's points are accepted."""
    definition = json.loads(FIXTURE.read_text(encoding="utf-8"))
    definition["key"] += "-typed"
    bands = definition["nodes"][0]["children"][1]
    bands["rule"]["inputs"][0].pop("source")
    template = services.store_template(definition)
    rnd = services.open_round(registry["province"], 2025, deadline=datetime.date(2099, 12, 31),
                              cutoff=datetime.date(2025, 12, 14), templates=[template])
    commune = rnd.assessments.get(unit=registry["new_b"])
    client.force_login(make_user("xa-canbo", registry["new_b"], role="officer"))
    url = reverse("par:score", args=[commune.pk, "1.2"])
    refused = client.post(url, {"points": "1,2"}, **HTMX).content.decode()
    assert ("Tiêu chí 1.2 (Sáng kiến, giải pháp mới trong CCHC được công nhận): "
            "điểm 1,2 không thuộc các mức cho phép (1,5; 1; 0,5; 0).") in refused
    assert LeafScore.objects.get(assessment=commune, code="1.2").self_points is None
    # 4 initiatives: "từ 3 sáng kiến trở lên: 1,5"
    assert "leaf-error" not in client.post(url, {"points": "1,5"}, **HTMX).content.decode()
    assert LeafScore.objects.get(assessment=commune, code="1.2").self_points == Decimal("1.5")
