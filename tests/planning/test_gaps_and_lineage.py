"""Gaps of a plan against the plan above and last year's, the units × tasks matrix with counts,
and the lineage confirm screen: HTTP in, pages out, permissions refused."""

from __future__ import annotations

from django.urls import reverse

from cchc.planning import lineage
from cchc.planning.models import TaskLineage
from cchc.plans.models import Task


def kinds(gaps):
    return sorted(g.kind for g in gaps)


def test_commune_plan_gaps_name_the_duties_left_out_the_later_deadline_and_the_weaker_target(world):
    gaps = lineage.plan_gaps_for(world["kien_tho_2026"])
    messages = [g.message for g in gaps]
    # 1.3 names the communes as coordinating bodies and is not in the commune's plan; 1.2 is Sở Tư pháp's.
    assert "Chưa đưa nhiệm vụ 1.3 của kế hoạch cấp trên vào kế hoạch." in messages
    assert not any("nhiệm vụ 1.2 của kế hoạch cấp trên" in m for m in messages)
    assert "Nhiệm vụ 1.1 hạn 30/09/2026, muộn hơn hạn 30/06/2026 của nhiệm vụ 1.1 cấp trên." in messages
    assert ("Chỉ tiêu “95% hồ sơ giải quyết đúng hạn” (≥ 95%) thấp hơn chỉ tiêu của kế hoạch cấp trên (≥ 98%)."
            in messages)
    assert kinds(gaps).count("empty_area") == 6  # only institutions has a task
    assert "not_carried_over" not in kinds(gaps)


def test_unfinished_task_of_last_year_not_carried_over_is_a_gap_until_lineage_links_it(world):
    from tests.planning.conftest import add_task, make_plan

    plan_2027 = make_plan(world["home_affairs"], 2027)
    task = add_task(plan_2027, "direction", "1", "Theo dõi, đôn đốc thực hiện kế hoạch cải cách hành chính năm 2027",
                    [("lead", world["home_affairs"])], "Thường xuyên")
    gaps = [g for g in lineage.plan_gaps_for(plan_2027) if g.kind == "not_carried_over"]
    # The recurring and the unfinished tasks of 2026 are not finished; the one done is not listed.
    assert {g.other for g in gaps} == {world["recurring"].pk, world["unfinished"].pk}
    assert ("Nhiệm vụ 4.1 của kế hoạch năm 2026 chưa hoàn thành và chưa được chuyển sang kế hoạch năm 2027."
            in [g.message for g in gaps])
    lineage.propose(world["department_2026"], plan_2027)
    row = TaskLineage.objects.get(child=task)
    assert row.parent == world["recurring"] and row.relation == "year" and row.status == "proposed"
    left = {g.other for g in lineage.plan_gaps_for(plan_2027) if g.kind == "not_carried_over"}
    assert left == {world["unfinished"].pk}


def test_matrix_counts_units_that_left_out_each_duty(world):
    matrix = lineage.gap_matrix(world["province_2026"], kind="commune")
    assert [u.name for u in matrix.units] == ["UBND xã Hoằng Tiến Mới", "UBND xã Kiên Thọ"]
    rows = {r.label: r for r in matrix.rows}
    assert set(rows) == {"1.1", "1.3"}  # 1.2 concerns no commune
    assert rows["1.1"].message == "1/2 xã chưa đưa nhiệm vụ 1.1 vào kế hoạch"
    assert rows["1.3"].message == "2/2 xã chưa đưa nhiệm vụ 1.3 vào kế hoạch"
    assert rows["1.1"].units_missing == [world["new_a"].pk]
    kien_tho, hoang_tien = world["new_b"].pk, world["new_a"].pk
    assert matrix.cell(kien_tho, world["t1"].pk) == "taken"
    assert matrix.cell(kien_tho, world["t3"].pk) == "missing"
    assert matrix.cell(hoang_tien, world["t2"].pk) == ""


def test_matrix_page_for_the_coordinator(client, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("planning:matrix", args=[world["province_2026"].pk]), {"loai": "commune"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1/2 xã chưa đưa nhiệm vụ 1.1 vào kế hoạch" in page
    assert "2/2 xã chưa đưa nhiệm vụ 1.3 vào kế hoạch" in page
    assert "2/2 đơn vị còn thiếu nhiệm vụ." in page
    assert "Chưa có" in page  # Hoằng Tiến Mới has no plan
    grid = {unit.name: (plan, cells, missing) for unit, plan, cells, missing in response.context["grid"]}
    assert grid["UBND xã Kiên Thọ"][2] == 1 and grid["UBND xã Hoằng Tiến Mới"][2] == 2
    assert grid["UBND xã Hoằng Tiến Mới"][0] is None


def test_plan_page_shows_gaps_panel_and_gaps_page_lists_them(client, world):
    client.force_login(world["kt_manager"])
    plan = world["kien_tho_2026"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="plan-gaps"' in page and "Chưa đưa nhiệm vụ 1.3 của kế hoạch cấp trên vào kế hoạch." in page
    full = client.get(reverse("planning:gaps", args=[plan.pk]))
    assert full.status_code == 200
    text = full.content.decode()
    assert 'data-kind="later_deadline"' in text and 'data-kind="weaker_target"' in text
    assert "Thời hạn muộn hơn cấp trên" in text
    client.force_login(world["coordinator"])
    province_page = client.get(world["province_2026"].get_absolute_url()).content.decode()
    # counted per kind of unit: the communes, and Sở Tư pháp (lead of 1.2 and 1.3, no plan of its own)
    assert "2/2 xã chưa đưa nhiệm vụ 1.3 vào kế hoạch" in province_page
    assert "1/1 sở, ngành chưa đưa nhiệm vụ 1.2 vào kế hoạch" in province_page


def test_gap_pages_refused_outside_scope(client, world):
    client.force_login(world["other_manager"])  # Hoằng Tiến Mới: a sibling commune
    plan = world["kien_tho_2026"]
    assert client.get(reverse("planning:gaps", args=[plan.pk])).status_code == 404
    assert client.get(reverse("planning:lineage", args=[plan.pk])).status_code == 404
    assert client.get(reverse("planning:docx", args=[plan.pk])).status_code == 404
    # the commune sees the province's issued plan but its matrix lists only the units it may see
    response = client.get(reverse("planning:matrix", args=[world["province_2026"].pk]))
    assert response.status_code == 200
    assert [row[0].name for row in response.context["grid"]] == ["UBND xã Hoằng Tiến Mới"]
    client.logout()
    assert client.get(reverse("planning:gaps", args=[plan.pk])).status_code == 302


def test_confirm_screen_proposes_then_remembers_corrections(client, world):
    from tests.planning.conftest import add_task

    plan = world["kien_tho_2026"]
    own = add_task(plan, "institutions", "2", "Tổ chức tuyên truyền, phổ biến giáo dục pháp luật về cải cách hành chính "
                   "trên địa bàn xã", [("lead", world["new_b"])], "Trước ngày 31/12/2026")
    client.force_login(world["kt_manager"])
    url = reverse("planning:lineage", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.context["parent"] == world["province_2026"]
    items = {item["task"].pk: item for item in response.context["items"]}
    cascaded = plan.tasks.get(number="1")
    assert items[cascaded.pk]["cascaded"] and items[cascaded.pk]["chosen"] == world["t1"].pk
    assert items[own.pk]["chosen"] == world["t3"].pk  # proposed by text similarity
    assert TaskLineage.objects.get(child=own).status == "proposed"
    page = response.content.decode()
    assert "Đối chiếu" in page and f'name="cha-{own.pk}"' in page
    assert [t.pk for t, _ in response.context["untaken"]] == [world["t2"].pk]

    # the person says the commune's task is not 1.3 but 1.2
    response = client.post(url, {"voi": world["province_2026"].pk, f"cha-{own.pk}": str(world["t2"].pk),
                                 f"cha-{cascaded.pk}": str(world["t1"].pk)})
    assert response.status_code == 302
    rows = {(r.parent_id, r.status) for r in TaskLineage.objects.filter(child=own)}
    assert rows == {(world["t3"].pk, "rejected"), (world["t2"].pk, "confirmed")}
    confirmed = TaskLineage.objects.get(child=own, status="confirmed")
    assert confirmed.decided_by == world["kt_manager"] and confirmed.decided_at is not None
    # proposing again keeps people's decisions: the rejected pair is never proposed back
    lineage.propose(world["province_2026"], plan)
    assert {(r.parent_id, r.status) for r in TaskLineage.objects.filter(child=own)} == rows
    again = client.get(url)
    assert {i["task"].pk: i["chosen"] for i in again.context["items"]}[own.pk] == world["t2"].pk
    # the duty 1.3 is now not taken up
    assert "Chưa đưa nhiệm vụ 1.3 của kế hoạch cấp trên vào kế hoạch." in [
        g.message for g in lineage.plan_gaps_for(plan)]

    # "none": the commune task implements nothing of the province's
    client.post(url, {"voi": world["province_2026"].pk, f"cha-{own.pk}": ""})
    assert not TaskLineage.objects.standing().filter(child=own).exists()


def test_confirm_refused_to_a_viewer_and_foreign_tasks_rejected(client, world):
    plan = world["kien_tho_2026"]
    url = reverse("planning:lineage", args=[plan.pk])
    cascaded = plan.tasks.get()
    client.force_login(world["kt_viewer"])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_change"]
    # a viewer sees the proposals, computed; nothing is stored on their behalf
    assert {i["task"].pk: i["chosen"] for i in page.context["items"]} == {cascaded.pk: world["t1"].pk}
    assert not TaskLineage.objects.filter(child__plan=plan).exists()
    assert client.post(url, {f"cha-{cascaded.pk}": str(world["t3"].pk)}).status_code == 403
    assert not TaskLineage.objects.filter(child=cascaded, status="confirmed").exists()
    client.force_login(world["kt_manager"])
    foreign = Task.objects.filter(plan=world["department_2026"]).first()
    response = client.post(url, {"voi": world["province_2026"].pk, f"cha-{cascaded.pk}": str(foreign.pk)},
                           follow=True)
    assert "không thuộc hai kế hoạch đang đối chiếu" in response.content.decode()
    assert not TaskLineage.objects.filter(child=cascaded, status="confirmed").exists()


def test_confirm_screen_on_the_real_seed_plans(client, seed_plans, make_user):
    """Commune Hoằng Tiến's 2022 plan against the province's: the annotated pairs are proposed."""
    import json
    from pathlib import Path

    annotation = json.loads((Path(__file__).parents[1] / "fixtures" / "lineage" / "000-001.json").read_text())
    province, commune = seed_plans["province"], seed_plans["commune"]
    admin = make_user("admin", is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("planning:lineage", args=[commune.pk]), {"voi": province.pk})
    assert response.status_code == 200
    child_labels = {t.pk: label for t, label in ((i["task"], i["label"]) for i in response.context["items"])}
    parent_labels = dict(lineage.labels(lineage.plan_tasks(province)))
    found = {(parent_labels[r.parent_id], child_labels[r.child_id])
             for r in TaskLineage.objects.filter(child__plan=commune, parent__plan=province)}
    truth = {tuple(p) for p in annotation["pairs"]}
    precision, recall = len(found & truth) / len(found), len(found & truth) / len(truth)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert response.context["relation"] == "level"
