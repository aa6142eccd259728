"""Issuing a plan creates one obligation per obliged unit and task; re-issuing reconciles."""

import datetime

import pytest

from cchc.plans.models import Assignment, Obligation
from cchc.plans.services import issue_plan


def obligations(plan):
    return {
        (o.task.number, o.unit.code): (o.role, o.withdrawn_on)
        for o in Obligation.objects.filter(task__plan=plan).select_related("task", "unit")
    }


def test_class_fans_out_to_the_units_that_existed_at_the_plan_date(registry, plan_factory):
    before = plan_factory(registry["province"], 2022, tasks={"1": [("lead", registry["communes"])]})
    after = plan_factory(registry["province"], 2026, tasks={"1": [("lead", registry["communes"])]})
    issue_plan(before)
    issue_plan(after)
    assert {code for _, code in obligations(before)} == {"38001", "38002"}
    assert {code for _, code in obligations(after)} == {"38101", "38102"}


def test_lead_wins_over_coordinating_and_monitoring_creates_no_obligation(registry, plan_factory):
    plan = plan_factory(
        registry["province"],
        tasks={
            "1": [
                ("coordinating", registry["departments"]),
                ("lead", registry["justice"]),
                ("monitoring", registry["home_affairs"]),
            ]
        },
    )
    result = issue_plan(plan)
    assert obligations(plan) == {
        ("1", "tha-so-tu-phap"): ("lead", None),
        ("1", "tha-so-noi-vu"): ("coordinating", None),
    }
    assert result.created == 2
    plan.refresh_from_db()
    assert plan.status == "issued"


def test_unresolved_bodies_are_reported_not_obliged(registry, plan_factory):
    plan = plan_factory(registry["province"], tasks={"1": [("lead", "Các cơ quan liên quan")]})
    result = issue_plan(plan)
    assert result.unresolved == ["Các cơ quan liên quan"]
    assert not Obligation.objects.filter(task__plan=plan).exists()


def test_reissue_keeps_progress_withdraws_and_restores(registry, plan_factory):
    plan = plan_factory(
        registry["province"], tasks={"1": [("lead", registry["justice"]), ("coordinating", registry["home_affairs"])]}
    )
    issue_plan(plan)
    kept = Obligation.objects.get(task__plan=plan, unit=registry["justice"])
    kept.completed_on = datetime.date(2022, 5, 1)
    kept.save()

    Assignment.objects.filter(task__plan=plan, unit=registry["home_affairs"]).delete()
    result = issue_plan(plan, today=datetime.date(2022, 6, 1))
    assert (result.created, result.kept, result.withdrawn) == (0, 1, 1)
    kept.refresh_from_db()
    assert kept.completed_on == datetime.date(2022, 5, 1)
    withdrawn = Obligation.objects.get(task__plan=plan, unit=registry["home_affairs"])
    assert withdrawn.withdrawn_on == datetime.date(2022, 6, 1)

    task = plan.tasks.get()
    Assignment.objects.create(task=task, role="lead", text="Sở Nội vụ", unit=registry["home_affairs"])
    result = issue_plan(plan)
    assert result.restored == 1
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_on is None and withdrawn.role == "lead"


def test_issue_is_idempotent(registry, plan_factory):
    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["communes"])]})
    first = issue_plan(plan)
    second = issue_plan(plan)
    assert first.created == 2 and second.created == 0 and second.kept == 2


def test_an_issued_task_with_obligations_cannot_be_deleted(registry, plan_factory):
    from django.db.models import ProtectedError

    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    issue_plan(plan)
    with pytest.raises(ProtectedError):
        plan.tasks.get().delete()
