"""The job commands and the django-q2 schedules."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_q.models import Schedule

from cchc.notifications.models import Notification
from cchc.notifications.schedules import DAILY_FUNC, WEEKLY_FUNC, ensure_schedules, next_local_time

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_send_reminders_prints_counts(kien_tho, officer, mailoutbox):
    out = io.StringIO()
    call_command("send_reminders", "--today", "01/07/2026", stdout=out)
    created = Notification.objects.filter(user=officer).count()
    text = out.getvalue()
    assert text.startswith("Nhắc việc ngày 01/07/2026: cập nhật tình trạng ")
    assert f"tạo {created} thông báo mới; gửi 1 thư." in text and created > 0
    assert "0 nghĩa vụ sắp đến hạn" in text

    out = io.StringIO()
    call_command("send_reminders", "--today", "01/07/2026", stdout=out)
    assert "tạo 0 thông báo mới; gửi 0 thư." in out.getvalue() and len(mailoutbox) == 1


def test_send_digest_prints_counts(kien_tho, make_user):
    from cchc.units.models import Unit

    make_user("sonoivu", Unit.objects.get(code="tha-so-noi-vu"), "coordinator", email="cchc@sonoivu.vn")
    out = io.StringIO()
    call_command("send_digest", "--today", "29/06/2026", stdout=out)
    assert "Tổng hợp tuần ngày 29/06/2026" in out.getvalue() and "tạo 1 bản tổng hợp; gửi 1 thư." in out.getvalue()


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="DD/MM/YYYY"):
        call_command("send_reminders", "--today", "2026-07-01")


def test_schedules_exist_after_migrate_and_are_not_duplicated(db):
    # post_migrate created them when the test database was migrated.
    daily, weekly = Schedule.objects.get(func=DAILY_FUNC), Schedule.objects.get(func=WEEKLY_FUNC)
    assert daily.schedule_type == Schedule.DAILY and weekly.schedule_type == Schedule.WEEKLY
    assert daily.next_run.astimezone(VN).time() == datetime.time(6, 0)
    assert weekly.next_run.astimezone(VN).time() == datetime.time(7, 0) and weekly.next_run.astimezone(VN).weekday() == 0
    assert daily.repeats == -1 and daily.intended_date_kwarg == "scheduled_for"
    ours = Schedule.objects.filter(func__in=[DAILY_FUNC, WEEKLY_FUNC])  # ops adds its backup schedule
    assert ensure_schedules() == 0 and ours.count() == 2

    ours.delete()
    assert ensure_schedules() == 2 and ensure_schedules() == 0


def test_next_local_time():
    wednesday_noon = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=VN)
    assert next_local_time(wednesday_noon, 6) == datetime.datetime(2026, 7, 2, 6, 0, tzinfo=VN)
    assert next_local_time(wednesday_noon.replace(hour=5), 6) == datetime.datetime(2026, 7, 1, 6, 0, tzinfo=VN)
    assert next_local_time(wednesday_noon, 7, 0) == datetime.datetime(2026, 7, 6, 7, 0, tzinfo=VN)
    monday_seven = datetime.datetime(2026, 7, 6, 7, 0, tzinfo=VN)
    assert next_local_time(monday_seven, 7, 0) == datetime.datetime(2026, 7, 13, 7, 0, tzinfo=VN)
