"""The province's figures from its units' accepted submissions: sums, ratios recomputed (never
averaged), yes/no counts, choice distributions, drill-down, mergers, figures from tracking."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cchc.reporting import services
from cchc.reporting.aggregation import period_aggregate
from cchc.reporting.formsets import current_version
from cchc.reporting.models import ReportingPeriod

from .helpers import enter


def _accepted(period, unit, values, user, coordinator):
    submission = services.open_submission(period, unit, user)
    services.save_values(submission, {k: Decimal(str(v)) for k, v in values.items()})
    services.submit(submission, user)
    services.accept(submission, coordinator)
    return submission


def test_two_communes_and_a_department_ratios_recomputed(registry, period, people, client_for):
    coordinator = people["coordinator"]
    _accepted(period, registry["old_a"], {"3:3.1.1": 100, "3:3.1.2": 50, "1:6": 1, "1:6.2": 0, "1:1": 2}, people["commune"], coordinator)
    _accepted(period, registry["old_b"], {"3:3.1.1": 300, "3:3.1.2": 300, "1:6": 0, "1:1": 1}, people["other_commune"], coordinator)
    _accepted(period, registry["justice"], {"3:3.1.1": 600, "3:3.1.2": 540, "1:6": 1, "1:6.2": 2, "1:1": 5}, people["justice"], coordinator)
    # Sent but not accepted: not counted.
    pending = services.open_submission(period, registry["district"], coordinator)
    services.save_values(pending, {"1:1": 1000})
    services.submit(pending, coordinator)
    # The province's own figures count once sent.
    own = services.open_submission(period, registry["province"], coordinator)
    services.save_values(own, {"1:1": 36})
    services.submit(own, coordinator)

    agg = period_aggregate(period)
    assert agg.values["3:3.1.1"] == 1000 and agg.values["3:3.1.2"] == 890
    assert agg.values["3:3.1"] == Decimal(89)  # 890 / 1000, not (50 + 100 + 90) / 3 = 80
    assert agg.display("3:3.1") == "89,00"
    assert agg.values["1:1"] == 44
    assert agg.values["1:6"] == 2 and agg.values["1:6=0"] == 1
    assert (agg.values["1:6.2=0"], agg.values["1:6.2=1"], agg.values["1:6.2=2"]) == (1, 0, 1)
    assert agg.display("1:6.2") == "Trực tuyến: 1; Phát phiếu: 0; Kết hợp: 1"
    assert len(agg.contributions) == 4

    client = client_for(coordinator)
    page = client.get(f"/bao-cao/ky/{period.pk}/tong-hop/").content.decode()
    assert f'/bao-cao/ky/{period.pk}/tong-hop/3:3.1/' in page and ">89,00<" in page
    drill = client.get(f"/bao-cao/ky/{period.pk}/tong-hop/3:3.1/").content.decode()
    for name, value in (("UBND xã Hoằng Tiến", "50,00"), ("UBND xã Hoằng Hải", "100,00"), ("Sở Tư pháp", "90,00")):
        assert name in drill and f">{value}<" in drill
    assert "UBND huyện Hoằng Hóa" not in drill  # not accepted
    assert 'id="drilldown-total">89,00<' in drill
    assert ">540<" in drill and ">1.000<" in drill  # numerators and denominators shown

    # A commune officer cannot see the province's figures.
    assert client_for(people["commune"]).get(f"/bao-cao/ky/{period.pk}/tong-hop/").status_code == 404
    # The aggregated forms download in the official layout.
    xlsx = client.get(f"/bao-cao/ky/{period.pk}/bieu-mau.xlsx")
    assert xlsx.status_code == 200


def test_merged_commune_counts_in_its_successor(registry, people, client_for):
    coordinator = people["coordinator"]
    period = ReportingPeriod.objects.create(
        province=registry["province"], kind="h1", year=2025, form_set=current_version(2025)
    )
    _accepted(period, registry["old_a"], {"3:3.1.1": 40, "3:3.1.2": 40}, people["commune"], coordinator)
    _accepted(period, registry["old_b"], {"3:3.1.1": 60, "3:3.1.2": 30}, people["other_commune"], coordinator)

    successor = period_aggregate(period, registry["new_a"], on=datetime.date(2025, 12, 31))
    assert successor.values["3:3.1.1"] == 100 and successor.values["3:3.1"] == 70
    assert {c.counted_as for c in successor.contributions} == {registry["new_a"]}
    before = period_aggregate(period, registry["new_a"], on=datetime.date(2025, 6, 30))
    assert {c.counted_as for c in before.contributions} == {registry["old_a"], registry["old_b"]}
    other = period_aggregate(period, registry["new_b"])
    assert other.contributions == []

    drill = client_for(coordinator).get(f"/bao-cao/ky/{period.pk}/tong-hop/3:3.1.1/").content.decode()
    assert drill.count("đã sáp nhập vào UBND xã Hoằng Tiến Mới") == 2
    # The successor's own officer sees its predecessors' figures.
    from cchc.accounts.models import Membership

    Membership.objects.create(user=people["viewer"], unit=registry["new_a"], role="viewer")
    page = client_for(people["viewer"]).get(f"/bao-cao/ky/{period.pk}/tong-hop/?don_vi={registry['new_a'].pk}")
    assert page.status_code == 200 and ">100<" in page.content.decode()


def test_plan_completion_rows_come_from_tracking(registry, period, people, client_for, plan_factory):
    from cchc.plans.models import Milestone, Obligation
    from cchc.plans.services import issue_plan

    commune = registry["old_a"]
    plan = plan_factory(
        commune, year=2024,
        tasks={"1": [("lead", commune)], "2": [("lead", commune)], "3": [("coordinating", commune)]},
    )
    task2 = plan.tasks.get(number="2")
    Milestone.objects.create(task=task2, kind="date", due=datetime.date(2024, 4, 30))
    issue_plan(plan, today=datetime.date(2024, 1, 5))
    Obligation.objects.filter(task__plan=plan, task__number="1").update(completed_on=datetime.date(2024, 3, 1))
    Obligation.objects.filter(task__plan=plan, task__number="3").update(completed_on=datetime.date(2024, 7, 1))

    client = client_for(people["commune"])
    submission, _ = enter(client, period, commune, {"1:2.1": 99, "1:2.2": 99, "1:1": 3})
    values = services.stored_values(submission)
    assert values["1:2.1"] == 3 and values["1:2.2"] == 1  # typed numbers ignored: from tracking
    assert submission.values.get(code="1:2.1").source == "tracking"
    submission.refresh_from_db()
    assert submission.tracking["counts"] == {
        "done_on_time": 1, "done_late": 0, "pending": 0, "overdue": 1, "not_applicable": 1,
    }
    page = client.get(f"/bao-cao/so-lieu/{submission.pk}/").content.decode()
    assert "từ theo dõi nhiệm vụ" in page and ">33,33<" in page

    services.submit(submission, people["commune"])
    services.accept(submission, people["coordinator"])
    agg = period_aggregate(period)
    assert agg.values["1:2.1"] == 3 and agg.values["1:2.2"] == 1
    assert agg.tracking["overdue"] == 1

    from cchc.reporting.report import build_report
    from cchc.tracking.models import ProgressUpdate

    update = ProgressUpdate.objects.create(
        obligation=Obligation.objects.get(task__plan=plan, task__number="1"), author=people["commune"],
        state="done", narrative="Đã rà soát 12 văn bản quy phạm pháp luật.",
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=datetime.datetime(2024, 5, 2, 9, tzinfo=datetime.UTC))
    report = build_report(period)
    institutions = report["sections"][1]["subsections"][0]
    assert institutions["heading"] == "1. Cải cách thể chế"
    assert "- UBND xã Hoằng Tiến: Đã rà soát 12 văn bản quy phạm pháp luật." in institutions["paragraphs"]
    first = " ".join(report["sections"][0]["paragraphs"])
    assert "Số nhiệm vụ được giao trong kỳ: 3; đã hoàn thành: 1 (đạt 33,33%)" in first
    assert "chưa hoàn thành, quá hạn: 1" in first
