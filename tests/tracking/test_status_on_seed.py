"""Statuses of real obligations of the Kiên Thọ 2026 plan at chosen dates."""

import datetime

from cchc.plans.models import Obligation
from cchc.tracking.models import ProgressUpdate
from cchc.tracking.services import record_progress
from cchc.tracking.status import evaluate, with_status_data

D = datetime.date


def obligation_with(plan, kind, **milestone_filter):
    ids = Obligation.objects.filter(task__plan=plan, task__milestones__kind=kind, **milestone_filter).values("pk")
    return with_status_data(Obligation.objects.filter(pk__in=ids)).order_by("pk").first()


def test_a_quarter_task_is_pending_then_overdue_then_done_late(kien_tho_plan, make_user):
    obligation = obligation_with(kien_tho_plan, "quarter")
    due = max(m.due for m in obligation.task.milestones.all() if m.due)
    assert evaluate(obligation, due).status == "pending"
    assert evaluate(obligation, due + datetime.timedelta(days=1)).status == "overdue"
    user = make_user("officer", obligation.unit, "officer")
    record_progress(
        ProgressUpdate(obligation=obligation, author=user, state="done", completed_on=due + datetime.timedelta(days=3)),
        [], today=due + datetime.timedelta(days=5),
    )
    refreshed = with_status_data(Obligation.objects.filter(pk=obligation.pk)).get()
    assert evaluate(refreshed, due + datetime.timedelta(days=10)).status == "done_late"
    assert evaluate(refreshed, due + datetime.timedelta(days=2)).status == "overdue"  # not yet done that day
    assert refreshed.status == "done_late" and refreshed.status_on == due + datetime.timedelta(days=5)


def test_a_recurring_task_has_one_occurrence_per_period(kien_tho_plan):
    obligation = obligation_with(kien_tho_plan, "recurring")
    result = evaluate(obligation, D(2026, 7, 1))
    occurrences = [occ for row in result.milestones for occ, _ in row.occurrences]
    assert len(occurrences) >= 1
    statuses = {occ.period_key: status for row in result.milestones for occ, status in row.occurrences}
    assert all(status in {"pending", "overdue", "not_applicable"} for status in statuses.values())


def test_an_event_task_is_not_applicable_until_the_event_is_recorded(kien_tho_plan):
    ids = Obligation.objects.filter(task__plan=kien_tho_plan, task__milestones__kind="event").values("pk")
    candidates = with_status_data(Obligation.objects.filter(pk__in=ids)).order_by("pk")
    # One whose milestones are all events: nothing else decides its status.
    obligation = next(o for o in candidates if {m.kind for m in o.task.milestones.all()} == {"event"})
    assert evaluate(obligation, D(2026, 6, 1)).status == "not_applicable"
    milestone = obligation.task.milestones.all()[0]
    milestone.event_on, milestone.due = D(2026, 3, 1), D(2026, 4, 30)
    milestone.save()
    obligation = with_status_data(Obligation.objects.filter(pk=obligation.pk)).get()
    assert evaluate(obligation, D(2026, 2, 1)).status == "not_applicable"
    assert evaluate(obligation, D(2026, 4, 1)).status == "pending"
    assert evaluate(obligation, D(2026, 6, 1)).status == "overdue"


def test_issue_stores_todays_status_for_sql_counts(kien_tho_plan):
    statuses = set(Obligation.objects.filter(task__plan=kien_tho_plan).values_list("status", flat=True))
    assert statuses <= {"pending", "overdue", "not_applicable"}
    assert not Obligation.objects.filter(task__plan=kien_tho_plan, status_on__isnull=True).exists()


def test_refresh_statuses_command_turns_passed_dues_overdue(kien_tho_plan, capsys):
    from django.core.management import call_command

    pending = Obligation.objects.filter(task__plan=kien_tho_plan, status="pending", next_due__isnull=False)
    due = pending.order_by("next_due").values_list("next_due", flat=True).first()
    call_command("refresh_statuses", "--today", (due + datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    assert "Đã cập nhật tình trạng của" in capsys.readouterr().out
    assert not Obligation.objects.filter(task__plan=kien_tho_plan, status="pending", next_due__lte=due).exists()
