"""The django-q2 schedules of the reminder jobs, created after every `migrate`.

Run the worker with `cchc qcluster`: it enqueues each schedule when its `next_run` passes and
runs the job. The schedules can be edited in the admin (Django Q → Scheduled tasks); this module
only creates what is missing and never moves a `next_run` someone has set.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DAILY_FUNC = "cchc.notifications.jobs.run_daily"
WEEKLY_FUNC = "cchc.notifications.jobs.run_weekly"
MONDAY = 0


def next_local_time(now: datetime.datetime, hour: int, weekday: int | None = None) -> datetime.datetime:
    """The first moment after `now` that is `hour`:00 in Việt Nam (on `weekday`, if given)."""
    local = now.astimezone(TIME_ZONE)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if weekday is not None:
        candidate += datetime.timedelta(days=(weekday - candidate.weekday()) % 7)
    if candidate <= local:
        candidate += datetime.timedelta(days=1 if weekday is None else 7)
    return candidate


def ensure_schedules(using: str = DEFAULT_DB_ALIAS, now: datetime.datetime | None = None) -> int:
    """Create the daily (06:00) and weekly (Monday 07:00) schedules if they do not exist.
    Idempotent; returns how many were created."""
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return 0  # django_q not migrated yet (a partial migrate): the next migrate will do it
    now = now or timezone.now()
    wanted = [
        (DAILY_FUNC, "Nhắc việc hằng ngày (06:00)", Schedule.DAILY, next_local_time(now, 6)),
        (WEEKLY_FUNC, "Tổng hợp tuần gửi điều phối CCHC (thứ Hai, 07:00)", Schedule.WEEKLY,
         next_local_time(now, 7, MONDAY)),
    ]
    created = 0
    schedules = Schedule.objects.using(using)
    for func, name, schedule_type, next_run in wanted:
        if schedules.filter(func=func).exists():
            continue
        schedules.create(
            func=func, name=name, schedule_type=schedule_type, repeats=-1, next_run=next_run,
            intended_date_kwarg="scheduled_for",
        )
        created += 1
    return created
