"""Dashboards count statuses per area and unit; a commune builds its plan from the province's."""

import datetime

from django.urls import reverse

from cchc.plans.models import Obligation, Plan, Task
from cchc.plans.services import issue_plan
from cchc.tracking.models import ProgressUpdate
from cchc.tracking.services import record_progress


def test_province_dashboard_counts_by_area_and_ranks_units(client, registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], 2026, tasks={"1": [("lead", registry["communes"])],
                                                         "2": [("lead", registry["justice"])]})
    for task in plan.tasks.all():
        task.milestones.create(kind="date", due=datetime.date(2026, 3, 31))
    issue_plan(plan, today=datetime.date(2026, 4, 10))  # everything due 31/3 is overdue
    done = Obligation.objects.get(task__plan=plan, unit=registry["new_b"])
    record_progress(ProgressUpdate(obligation=done, author=make_user("o", registry["new_b"]), state="done",
                                   completed_on=datetime.date(2026, 3, 20)), [], today=datetime.date(2026, 4, 10))
    coordinator = make_user("coordinator", registry["home_affairs"], "coordinator")
    client.force_login(coordinator)
    response = client.get(reverse("tracking:dashboard"), {"nam": "2026"})
    context = response.context
    assert context["total"].counts["overdue"] == 2 and context["total"].counts["done_on_time"] == 1
    institutions = next(a for a in context["areas"] if a.key == "institutions")
    assert institutions.total == 3
    ranking = [u.label for u in context["units"]]
    assert ranking[0] == "UBND xã Kiên Thọ"  # 100% on time, first
    page = response.content.decode()
    assert 'id="area-chart-data"' in page and "chart.umd.min.js" in page and "Quá hạn" in page


def test_unit_dashboard_is_refused_outside_scope_and_officers_land_on_their_own(client, registry, make_user):
    officer = make_user("officer", registry["new_a"], "officer")
    client.force_login(officer)
    response = client.get(reverse("tracking:dashboard"))
    assert response.status_code == 302 and response["Location"].endswith(f"/don-vi/{registry['new_a'].pk}/")
    assert client.get(reverse("tracking:unit_dashboard", args=[registry["new_b"].pk])).status_code == 404
    assert client.get(reverse("tracking:unit_dashboard", args=[registry["new_a"].pk])).status_code == 200


def test_commune_builds_its_plan_from_the_provinces_and_lineage_shows_both_ways(
    client, registry, plan_factory, make_user
):
    province_plan = plan_factory(registry["province"], 2026, tasks={
        "1": [("lead", registry["communes"])], "2": [("lead", registry["justice"])]})
    issue_plan(province_plan)
    manager = make_user("manager", registry["new_b"], "manager")
    client.force_login(manager)
    form = client.get(reverse("plans:cascade", args=[province_plan.pk]))
    province_task_1 = province_plan.tasks.get(number="1")
    province_task_2 = province_plan.tasks.get(number="2")
    assert form.context["obliged"] == {province_task_1.pk}
    response = client.post(reverse("plans:cascade", args=[province_plan.pk]), {"task": [province_task_1.pk]})
    commune_plan = Plan.objects.get(issuer=registry["new_b"])
    assert response["Location"] == reverse("plans:review", args=[commune_plan.pk])
    commune_task = commune_plan.tasks.get()
    assert commune_task.parent == province_task_1 and commune_plan.parent == province_plan
    assert commune_task.assignments.get().unit == registry["new_b"]
    assert not Task.objects.filter(plan=commune_plan, parent=province_task_2).exists()

    added = client.post(reverse("plans:task_add", args=[commune_plan.pk]),
                        {"section": commune_plan.sections.get().pk})
    assert added.status_code == 200 and commune_plan.tasks.count() == 2

    coordinator = make_user("coordinator", registry["home_affairs"], "coordinator")
    client.force_login(coordinator)
    page = client.get(province_task_1.get_absolute_url()).content.decode()
    assert "0/2</strong> đơn vị đã hoàn thành" in page and "UBND xã Kiên Thọ: 1." in page
    client.force_login(manager)
    own = client.get(commune_task.get_absolute_url()).content.decode()
    assert province_task_1.get_absolute_url() in own


def test_recording_an_event_gives_the_milestone_a_deadline(client, registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], 2026, tasks={"1": [("lead", registry["justice"])]})
    task = plan.tasks.get()
    milestone = task.milestones.create(kind="event", deadline_text="Khi có văn bản chỉ đạo của Trung ương")
    issue_plan(plan)
    obligation = Obligation.objects.get(task=task)
    assert obligation.status == "not_applicable"
    url = reverse("plans:milestone_event", args=[milestone.pk])
    client.force_login(make_user("officer", registry["justice"], "officer"))
    assert client.post(url, {"event_on": "01/02/2026", "due": "28/02/2026"}).status_code == 403
    client.force_login(make_user("coordinator", registry["home_affairs"], "coordinator"))
    assert "Ghi nhận sự kiện" in client.get(task.get_absolute_url()).content.decode()
    client.post(url, {"event_on": "01/02/2026", "due": "28/02/2026"})
    milestone.refresh_from_db()
    obligation.refresh_from_db()
    assert (milestone.event_on, milestone.due) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert obligation.status == "overdue" and obligation.next_due == datetime.date(2026, 2, 28)
    response = client.post(url, {"event_on": "hôm qua"}, follow=True)
    assert "Ngày không hợp lệ" in response.content.decode()


def _queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_pages_and_api_make_the_same_number_of_queries_whatever_the_data_size(
    client, registry, plan_factory, make_user
):
    coordinator = make_user("coordinator", registry["home_affairs"], "coordinator")
    officer = make_user("officer", registry["new_b"], "officer")

    def add_plan(tasks):
        plan = plan_factory(registry["province"], 2026, tasks={
            str(n): [("lead", registry["communes"]), ("coordinating", registry["justice"])] for n in range(1, tasks + 1)})
        for task in plan.tasks.all():
            task.milestones.create(kind="quarter", due=datetime.date(2026, 6, 30))
        issue_plan(plan, today=datetime.date(2026, 5, 1))

    add_plan(1)
    pages = [
        (officer, reverse("tracking:my_work"), {"nam": "2026"}),
        (coordinator, reverse("tracking:dashboard"), {"nam": "2026"}),
        (coordinator, "/api/obligations/", {"year": "2026"}),
        (officer, "/api/obligations/", {"as_of": "2026-07-01"}),
    ]
    small = []
    for user, url, params in pages:
        client.force_login(user)
        small.append(_queries(client, url, params))
    add_plan(12)
    large = []
    for user, url, params in pages:
        client.force_login(user)
        large.append(_queries(client, url, params))
    assert large == small


def test_a_target_records_its_result_and_is_assessed(client, registry, plan_factory, make_user):
    from cchc.plans.models import Target

    plan = plan_factory(registry["province"], 2026)
    target = Target.objects.create(plan=plan, text="Tỷ lệ hồ sơ đúng hạn từ 98% trở lên", op=">=", value=98, unit="%")
    client.force_login(make_user("coordinator", registry["home_affairs"], "coordinator"))
    url = reverse("plans:target_result", args=[target.pk])
    client.post(url, {"actual": "97,5"})
    target.refresh_from_db()
    assert str(target.actual) == "97.50"
    assert target.assessment(datetime.date(2026, 11, 1)) == "at_risk"
    assert target.assessment(datetime.date(2027, 1, 5)) == "missed"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Có nguy cơ không đạt" in page or "Không đạt" in page
    client.post(url, {"actual": "99,65%"})
    target.refresh_from_db()
    assert target.assessment(datetime.date(2026, 11, 1)) == "met"
    response = client.post(url, {"actual": "nhiều"}, follow=True)
    assert "không phải là số" in response.content.decode()
    client.force_login(make_user("officer", registry["justice"], "officer"))
    assert client.post(url, {"actual": "1"}).status_code in (403, 404)


def test_offices_count_for_their_commune_in_the_ranking(client, registry, plan_factory, make_user):
    from cchc.units.models import Unit

    office = Unit.objects.create(code="38102/tu-phap", name="Công chức Tư pháp - Hộ tịch", kind="office",
                                 parent=registry["new_b"])
    plan = plan_factory(registry["new_b"], 2026, tasks={"1": [("lead", office)], "2": [("lead", registry["new_b"])]})
    issue_plan(plan)
    client.force_login(make_user("coordinator", registry["home_affairs"], "coordinator"))
    units = {u.label: u.total for u in client.get(reverse("tracking:dashboard"), {"nam": "2026"}).context["units"]}
    assert units == {"UBND xã Kiên Thọ": 2}


def test_my_work_of_a_merged_commune_carries_its_predecessors_work(client, registry, plan_factory, make_user):
    plan = plan_factory(registry["old_a"], 2022, tasks={"1": [("lead", registry["old_a"])]})
    issue_plan(plan)
    client.force_login(make_user("officer", registry["new_a"], "officer"))
    page = client.get(reverse("tracking:my_work"), {"nam": "2022"}).content.decode()
    assert "1 nhiệm vụ" in page and "Nhiệm vụ 1" in page


def test_the_province_dashboard_shows_the_provinces_own_targets_only(client, registry, plan_factory, make_user):
    from cchc.plans.models import Target

    province_plan = plan_factory(registry["province"], 2026)
    commune_plan = plan_factory(registry["new_b"], 2026)
    for plan, text in ((province_plan, "Chỉ tiêu của tỉnh"), (commune_plan, "Chỉ tiêu của xã")):
        Target.objects.create(plan=plan, text=text, op=">=", value=90, unit="%")
        plan.status = "issued"
        plan.save()
    client.force_login(make_user("coordinator", registry["home_affairs"], "coordinator"))
    page = client.get(reverse("tracking:dashboard"), {"nam": "2026"}).content.decode()
    assert "Chỉ tiêu của tỉnh" in page and "Chỉ tiêu của xã" not in page
