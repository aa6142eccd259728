"""The PAR Index workflow through its services: self-scores checked against the leaf's rule,
auto inputs at the cut-off, submit by a manager, appraisal rounds, explanations, results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.history.models import ObjectChange
from cchc.par import services
from cchc.par.models import AppraisalEntry, AssessmentRound, LeafScore, ParTemplate
from cchc.par.results import round_results
from cchc.par.tree import fmt

from .conftest import fill

pytestmark = pytest.mark.django_db

FULL = {"1.2": "2", "1.3": "2,5", "2.1": "4", "2.2": "1,5", "3.2": "2"}


def test_open_round_creates_an_assessment_per_unit_of_each_template_type(par, registry):
    rnd = par["round"]
    # the communes valid at the cut-off and the two departments; the merged communes and the district are out
    assert sorted(a.unit.code for a in rnd.assessments.all()) == ["38101", "38102", "tha-so-noi-vu", "tha-so-tu-phap"]
    commune = par["commune"]
    assert commune.template.unit_type == "commune"
    assert sorted(commune.scores.values_list("code", flat=True)) == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2"]
    assert set(commune.scores.filter(auto=True).values_list("code", flat=True)) == {"1.1", "3.1"}
    with pytest.raises(services.ParError, match="đã có đợt"):
        services.open_round(registry["province"], 2025, datetime.date(2099, 1, 1), datetime.date(2025, 12, 14), [])


@pytest.mark.parametrize(
    ("code", "points", "message"),
    [
        ("1.3", "3,5", "Tiêu chí 1.3 (Sáng kiến, giải pháp mới trong CCHC): điểm 3,5 vượt điểm tối đa 3,00."),
        ("1.2", "1", "Tiêu chí 1.2 (Ban hành kế hoạch CCHC năm đúng hạn): điểm 1 không thuộc các mức cho phép (2; 0)."),
        ("2.1", "3", "Tiêu chí 2.1 (Kiểm tra, rà soát văn bản quy phạm pháp luật): điểm 3 không thuộc các mức cho phép (4; 2; 0)."),
        ("1.3", "0,1", "Tiêu chí 1.3 (Sáng kiến, giải pháp mới trong CCHC): điểm 0,1 phải là bội số của 0,25."),
        ("1.1", "3", "Tiêu chí 1.1 (Thực hiện kế hoạch CCHC): điểm được tính tự động từ số liệu của hệ thống, không nhập tay."),
        ("2.2", "hai", "Tiêu chí 2.2 (Theo dõi thi hành pháp luật): “hai” không phải là số điểm."),
    ],
)
def test_a_score_the_rule_does_not_allow_is_refused_naming_the_leaf(par, code, points, message):
    with pytest.raises(services.ParError) as refused:
        services.save_self_score(par["commune"], code, points)
    assert refused.value.message == message
    assert LeafScore.objects.get(assessment=par["commune"], code=code).self_points is None


def test_self_score_with_evidence_is_parsed_and_change_logged(par):
    score = services.save_self_score(par["commune"], "1.2", "2", note="Ban hành ngày 05/01/2025")
    evidence = services.add_evidence(score, reference="Kế hoạch số 12/KH-UBND ngày 05/01/2025", link="https://xa.example/kh12")
    assert (evidence.doc_kind, evidence.doc_number, evidence.doc_symbol, evidence.doc_date) == (
        "Kế hoạch", "12", "KH-UBND", datetime.date(2025, 1, 5)
    )
    change = ObjectChange.objects.filter(object_type__model="leafscore", object_id=str(score.pk)).first()
    assert change.prechange_data["self_points"] is None and change.postchange_data["self_points"] == "2"


def test_officer_prepares_manager_submits_and_submit_twice_is_harmless(par):
    commune, users = par["commune"], par["users"]
    fill(commune, FULL)
    with pytest.raises(services.ParError, match="Chỉ lãnh đạo đơn vị"):
        services.submit(commune, users["officer"])
    services.submit(commune, users["manager"])
    again = services.submit(commune, users["manager"])
    assert again.status == "submitted" and again.submitted_by == users["manager"]
    with pytest.raises(services.ParError, match="đã gửi"):
        services.save_self_score(commune, "2.2", "2")


def test_submit_lists_every_leaf_without_a_score(par):
    fill(par["commune"], {"1.2": "2"})
    with pytest.raises(services.ParError) as refused:
        services.submit(par["commune"], par["users"]["manager"])
    assert refused.value.details == [
        "Tiêu chí 1.3 (Sáng kiến, giải pháp mới trong CCHC) chưa có điểm tự đánh giá.",
        "Tiêu chí 2.1 (Kiểm tra, rà soát văn bản quy phạm pháp luật) chưa có điểm tự đánh giá.",
        "Tiêu chí 2.2 (Theo dõi thi hành pháp luật) chưa có điểm tự đánh giá.",
        "Tiêu chí 3.2 (Công khai thủ tục hành chính) chưa có điểm tự đánh giá.",
    ]


def test_appraiser_body_changes_only_the_leaves_it_appraises(par):
    rnd, commune, users = par["round"], par["commune"], par["users"]
    fill(commune, FULL)
    services.advance(rnd, users["coordinator"])
    commune.round.refresh_from_db()
    entry = services.appraise(commune, "2.1", users["justice"], points="2", reason="Thiếu báo cáo rà soát quý IV")
    assert (entry.appraiser, entry.points, entry.round) == ("Sở Tư pháp", Decimal("2"), 1)
    with pytest.raises(services.ParError, match="do Sở Nội vụ thẩm định"):
        services.appraise(commune, "1.3", users["justice"], accept=True)
    with pytest.raises(services.ParError, match="phải nêu lý do"):
        services.appraise(commune, "1.3", users["coordinator"], points="1")
    with pytest.raises(services.ParError, match="Chỉ Sở Nội vụ"):
        services.advance(rnd, users["justice"])


def test_rounds_explanations_and_results(par):
    rnd, commune, other, users = par["round"], par["commune"], par["other_commune"], par["users"]
    fill(commune, FULL)
    fill(other, {"1.2": "0", "1.3": "1", "2.1": "2", "2.2": "1", "3.2": "2"})
    services.advance(rnd, users["coordinator"])  # round 1
    commune.round.refresh_from_db()
    assert not services.appraisal_visible(commune, users["manager"])
    services.appraise(commune, "1.3", users["coordinator"], points="1", reason="Sáng kiến chưa được công nhận")
    services.appraise(commune, "2.1", users["justice"], accept=True)
    with pytest.raises(services.ParError, match="Chỉ giải trình"):
        services.explain(commune, "1.3", users["officer"], "Đã có quyết định công nhận")
    services.advance(rnd, users["coordinator"])  # explanations; round 1 released
    commune.round.refresh_from_db()
    assert services.appraisal_visible(commune, users["manager"])
    services.explain(commune, "1.3", users["officer"], "Đã có quyết định công nhận", reference="Quyết định số 45/QĐ-UBND ngày 20/11/2025")
    services.advance(rnd, users["coordinator"])  # round 2
    commune.round.refresh_from_db()
    services.appraise(commune, "1.3", users["coordinator"], points="2", reason="Giải trình hợp lệ")
    services.advance(rnd, users["coordinator"])  # final
    services.advance(rnd, users["coordinator"], decision="Quyết định số 300/QĐ-UBND ngày 20/01/2026", today=datetime.date(2026, 1, 20))
    rnd.refresh_from_db()
    assert rnd.status == AssessmentRound.Status.PUBLISHED and rnd.published_on == datetime.date(2026, 1, 20)
    history = AppraisalEntry.objects.filter(score__assessment=commune, score__code="1.3").values_list("round", "points", "reason")
    assert list(history) == [(1, Decimal("1.00"), "Sáng kiến chưa được công nhận"), (2, Decimal("2.00"), "Giải trình hợp lệ")]
    communes = next(t for t in round_results(rnd) if t.unit_type == "commune")
    # 1.1: no tasks in the plan, full 3; + 2 + 1.3 appraised 2 = 7 | 4 + 1,5 | 3.1 without figures 0 + 2 → 14,5 / 20
    first, second = communes.rows
    assert (first.unit_name, first.points, first.index, first.rank, first.group["code"]) == (
        "UBND xã Kiên Thọ", Decimal("14.5"), Decimal("72.50"), 1, "C"
    )
    assert first.areas == {"1": Decimal("7"), "2": Decimal("5.5"), "3": Decimal("2")}
    assert (second.unit_name, second.points, second.index, second.rank, second.group["code"]) == (
        "UBND xã Hoằng Tiến Mới", Decimal("9"), Decimal("45.00"), 2, "C"
    )


def test_results_summed_in_the_database_equal_the_tree_walk(par, monkeypatch):
    """An additive template's area points come from one SQL SUM; they equal the leaf-by-leaf walk."""
    from cchc.par import results

    rnd, commune, other, users = par["round"], par["commune"], par["other_commune"], par["users"]
    fill(commune, FULL)
    fill(other, {"1.2": "0", "1.3": "1", "2.1": "2", "2.2": "1", "3.2": "2"})
    services.advance(rnd, users["coordinator"])
    services.appraise(commune, "1.3", users["coordinator"], points="1", reason="Sáng kiến chưa được công nhận")
    summed = [(t.unit_type, [(r.unit_name, r.areas, r.points, r.index, r.rank) for r in t.rows]) for t in round_results(rnd)]
    monkeypatch.setattr(results, "_additive", lambda tree: False)
    walked = [(t.unit_type, [(r.unit_name, r.areas, r.points, r.index, r.rank) for r in t.rows]) for t in round_results(rnd)]
    assert summed == walked
    assert any(r[2] > 0 for _, rows in summed for r in rows)


def test_year_over_year_change_against_last_year_s_round(par, client):
    """A unit's index minus its index in the province's previous year's round, on the results page."""
    rnd, commune = par["round"], par["commune"]
    before = services.open_round(rnd.province, 2024, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2024, 12, 14),
                                 templates=list(ParTemplate.objects.filter(key__startswith="test-2025")))
    both = before.assessments.filter(unit__in=[a.unit_id for a in par["assessments"].values()]).select_related("unit").first()
    assert both is not None, list(before.assessments.values_list("unit__code", flat=True))
    commune = par["assessments"][both.unit.code]
    fill(both, {"1.2": "0", "2.1": "2"})
    fill(commune, FULL)
    last = {r.unit_id: r.index for t in round_results(before, previous=False) for r in t.rows}
    rows = {r.unit_id: r for t in round_results(rnd) for r in t.rows}
    assert rows[commune.unit_id].change == rows[commune.unit_id].index - last[commune.unit_id] > 0
    client.force_login(par["users"]["coordinator"])
    html = client.get(reverse("par:results", args=[rnd.pk])).content.decode()
    assert f'<td class="text-end">+{fmt(rows[commune.unit_id].change)}</td>' in html
