"""The reminder jobs, as plain functions of the day they run for.

* `daily_reminders(today)` (06:00 every day, `cchc send-reminders`): refresh stored statuses, then
  tell the officers and managers of each unit about its obligations that fall due within
  `DUE_SOON_DAYS` days or are overdue (in-app), and e-mail the users who want a daily mail.
* `weekly_digest(today)` (Monday 07:00, `cchc send-digest`): tell the province's PAR coordinators
  which units are late and by how much, and e-mail the users who want a weekly mail their
  reminders of the week.

Re-running a job is harmless (cf. Healthchecks' `sendreports`, which claims a report before
sending it): every notification has a unique `dedupe_key`, so it is created once, and a mail is
sent only for notifications this run has claimed by setting their `emailed_at`; a failed send
rolls the claim back so that the next run retries it.

Who answers for an obligation: the members with role officer or manager of its unit and, when
the unit is an office of a commune or a department (a "Phòng", a "Công chức ..." post, which
usually has no accounts of its own), of the unit it belongs to. Only active obligations of
issued plans of this year and the previous one are chased (`PLAN_YEARS_BACK`).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from cchc.accounts.models import Membership, Role
from cchc.core.status import DONE, OVERDUE, PENDING
from cchc.history.context import change_context
from cchc.plans.models import Obligation, Plan
from cchc.today import today as business_today
from cchc.tracking.status import refresh_due
from cchc.units.models import Unit, UnitKind

from .models import EmailFrequency, Kind, Notification, NotificationPreference

logger = logging.getLogger(__name__)

TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DUE_SOON_DAYS = 7
# Reminders not mailed yet are mailed while they are at most this many days old (a failed send
# is retried; a user who switches from "off" to a mail gets at most a week of backlog).
MAIL_WINDOW_DAYS = 7
RECIPIENT_ROLES = (Role.OFFICER, Role.MANAGER)
# Only plans of this year and the previous one are chased: last year's plan still has its year-end
# report due in January, while a 2021 plan's unfinished tasks are history, not reminders.
PLAN_YEARS_BACK = 1
REMINDER_KINDS = (Kind.DUE_SOON, Kind.OVERDUE)
_CHUNK = 500


# --- small helpers ----------------------------------------------------------------------------

def vn_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_label(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{week:02d}/{year}"


def site_url() -> str:
    """Where links in mails point (settings.SITE_URL, from $CCHC_SITE_URL)."""
    return settings.SITE_URL


def number(value: int) -> str:
    """An integer written the Vietnamese way (2.013)."""
    return formats.number_format(value, force_grouping=True)


def chased(obligations, today: datetime.date):
    """Active obligations of issued plans recent enough to chase (see PLAN_YEARS_BACK)."""
    return obligations.active().filter(
        task__plan__status=Plan.Status.ISSUED, year__gte=today.year - PLAN_YEARS_BACK,
        next_due__isnull=False,
    )


def reminder_key(kind: str, obligation_id: int, due: datetime.date, user_id: int) -> str:
    return f"{kind}:{obligation_id}:{due.isoformat()}:{user_id}"


def digest_key(day: datetime.date, user_id: int) -> str:
    return f"digest:{iso_week(day)}:{user_id}"


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def responsible_units(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each unit, the units whose members answer for its work, starting with itself: an
    office is answered for by its own members and those of the unit it belongs to, up to the
    first unit that is not an office. The last unit of each chain is the one reports name."""
    unit_ids = set(unit_ids)
    info: dict[int, tuple[int | None, str]] = {}
    wanted = set(unit_ids)
    while wanted:
        info.update({pk: (parent, kind) for pk, parent, kind in
                     Unit.objects.filter(pk__in=wanted).values_list("pk", "parent_id", "kind")})
        wanted = {
            info[pk][0] for pk in wanted
            if pk in info and info[pk][1] == UnitKind.OFFICE and info[pk][0] and info[pk][0] not in info
        }
    chains = {}
    for unit_id in unit_ids:
        chain = [unit_id]
        parent, kind = info.get(unit_id, (None, ""))
        while kind == UnitKind.OFFICE and parent and parent not in chain:
            chain.append(parent)
            parent, kind = info.get(parent, (None, ""))
        chains[unit_id] = chain
    return chains


def unit_label(unit: Unit) -> str:
    """"Phòng Văn hóa - Xã hội (UBND xã Kiên Thọ)" for an office, else the unit's name."""
    if unit.kind == UnitKind.OFFICE and unit.parent_id:
        return f"{unit.name} ({unit.parent.name})"
    return unit.name


def task_label(obligation: Obligation) -> str:
    task = obligation.task
    number = f"{task.number}. " if task.number else ""
    return f"Nhiệm vụ {number}{task.content}".strip()


def _truncate(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def delta_text(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days > 0:
        return f"còn {number(days)} ngày"
    if days == 0:
        return "đến hạn hôm nay"
    return f"quá hạn {number(-days)} ngày"


def _create_new(wanted: dict[str, Notification]) -> int:
    """Insert the notifications whose dedupe key is not taken yet; returns how many."""
    keys = list(wanted)
    existing: set[str] = set()
    for chunk in _chunks(keys):
        existing.update(Notification.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    new = [notification for key, notification in wanted.items() if key not in existing]
    # A concurrent run may have inserted some meanwhile: the unique key makes those no-ops.
    Notification.objects.bulk_create(new, batch_size=_CHUNK, ignore_conflicts=True)
    return len(new)


def frequencies(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's e-mail frequency (daily when never chosen)."""
    user_ids = list(user_ids)
    chosen: dict[int, str] = {}
    for chunk in _chunks(user_ids):
        chosen.update(
            NotificationPreference.objects.filter(user_id__in=chunk).values_list("user_id", "email_frequency")
        )
    return {user_id: chosen.get(user_id, EmailFrequency.DAILY) for user_id in user_ids}


# --- the daily job -----------------------------------------------------------------------------

def _reminder(obligation: Obligation, kind: str, user_id: int, today: datetime.date) -> Notification:
    due = obligation.next_due
    plan = obligation.task.plan
    label = task_label(obligation)
    if kind == Kind.OVERDUE:
        title = f"Quá hạn (hạn {vn_date(due)}): {label}"
    else:
        title = f"Sắp đến hạn {vn_date(due)}: {label}"
    body = "\n".join(
        line for line in [
            f"Đơn vị: {unit_label(obligation.unit)} — {obligation.get_role_display()}",
            f"Kế hoạch: {plan}",
            f"Hạn: {vn_date(due)}",
            f"Thời gian hoàn thành theo kế hoạch: {_truncate(obligation.task.deadline_text, 200)}"
            if obligation.task.deadline_text else "",
        ] if line
    )
    return Notification(
        user_id=user_id, kind=kind, obligation=obligation, title=_truncate(title, 300), body=body,
        url=obligation.get_absolute_url(), due=due, day=today,
        dedupe_key=reminder_key(kind, obligation.pk, due, user_id),
    )


def _recipients_of(chains: dict[int, list[int]]) -> dict[int, set[int]]:
    """Active members with a recipient role of every unit in the responsibility chains, by unit."""
    members: dict[int, set[int]] = defaultdict(set)
    units = sorted({unit for chain in chains.values() for unit in chain})
    for chunk in _chunks(units):
        for unit_id, user_id in Membership.objects.filter(
            unit_id__in=chunk, role__in=RECIPIENT_ROLES, user__is_active=True
        ).values_list("unit_id", "user_id"):
            members[unit_id].add(user_id)
    return members


def daily_reminders(today: datetime.date) -> dict[str, int]:
    """The daily job; see the module docstring. Returns counts: obligations whose status was
    refreshed, obligations due soon and overdue, notifications created, mails sent, mails failed."""
    counts = {"refreshed": refresh_due(today), "due_soon": 0, "overdue": 0, "created": 0, "emails": 0, "errors": 0}
    soon_until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    obligations = list(
        chased(Obligation.objects, today)
        .filter(Q(status=PENDING, next_due__gte=today, next_due__lte=soon_until) | Q(status=OVERDUE))
        .select_related("task__plan__issuer", "unit__parent")
        .order_by("next_due", "pk")
    )
    chains = responsible_units(o.unit_id for o in obligations)
    members = _recipients_of(chains)

    wanted: dict[str, Notification] = {}
    for obligation in obligations:
        kind = Kind.OVERDUE if obligation.status == OVERDUE else Kind.DUE_SOON
        counts[kind] += 1
        for user_id in sorted(set().union(*(members[unit] for unit in chains[obligation.unit_id]))):
            notification = _reminder(obligation, kind, user_id, today)
            wanted[notification.dedupe_key] = notification
    counts["created"] = _create_new(wanted)
    counts["emails"], counts["errors"] = send_mails(today, weekly=False)
    return counts


# --- the weekly job ----------------------------------------------------------------------------

def late_units(province: Unit, today: datetime.date) -> list[dict]:
    """The province's units with overdue obligations, worst first: most overdue obligations,
    then the oldest missed deadline. An office's obligations count for the unit it belongs to."""
    unit_ids = list(Unit.objects.subtree_ids(province))
    overdue: list[tuple[int, datetime.date]] = []
    for chunk in _chunks(unit_ids):
        overdue += chased(Obligation.objects, today).filter(status=OVERDUE, unit_id__in=chunk).values_list(
            "unit_id", "next_due"
        )
    chains = responsible_units({unit_id for unit_id, _ in overdue})
    by_unit: dict[int, list[datetime.date]] = defaultdict(list)
    for unit_id, due in overdue:
        by_unit[chains[unit_id][-1]].append(due)
    names = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    rows = []
    for unit_id, dues in by_unit.items():
        oldest = min(dues)
        rows.append({
            "unit_id": unit_id, "unit": names.get(unit_id, ""), "overdue": len(dues),
            "oldest_due": oldest.isoformat(), "oldest_due_display": vn_date(oldest),
            "days_late": (today - oldest).days,
        })
    return sort_worst_first(rows)


def sort_worst_first(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["overdue"], -row["days_late"], row["unit"]))


def digest_body(rows: list[dict]) -> str:
    return "\n".join(
        f"{index}. {row['unit']}: {number(row['overdue'])} nhiệm vụ quá hạn; hạn chưa hoàn thành sớm nhất "
        f"{row['oldest_due_display']} (quá hạn {number(row['days_late'])} ngày)."
        for index, row in enumerate(rows, 1)
    )


#: Extra parts of the coordinators' weekly digest, appended by other apps in their AppConfig.ready
#: (this app imports none of them): ``section(province, today) -> list of dicts`` with at least
#: "text" (one line) and "url" (a path); shown under the late units, and a digest is sent for them
#: even when no unit is late. The planning app adds the gaps of draft plans.
DIGEST_SECTIONS: list[Callable[[Unit, datetime.date], list[dict]]] = []

#: Unit-level parts of the weekly digest, appended the same way: ``section(today) -> {unit id:
#: list of dicts}`` (same dicts as above), computed once per run; each unit's lines go to the
#: officers and managers who answer for it (`responsible_units`), in the one digest of the week
#: of each (a member of two units gets both units' lines). The planning app adds each unit's own
#: draft plans with gaps.
UNIT_DIGEST_SECTIONS: list[Callable[[datetime.date], dict[int, list[dict]]]] = []


def unit_digest_extras(today: datetime.date) -> dict[int, list[dict]]:
    """The lines of UNIT_DIGEST_SECTIONS for each user who answers for a unit that has some."""
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for section in UNIT_DIGEST_SECTIONS:
        for unit_id, items in section(today).items():
            by_unit[unit_id] += items
    chains = responsible_units(unit_id for unit_id, items in by_unit.items() if items)
    members = _recipients_of(chains)
    extras: dict[int, list[dict]] = defaultdict(list)
    for unit_id in sorted(chains):
        for user_id in sorted(set().union(*(members[unit] for unit in chains[unit_id]))):
            extras[user_id] += by_unit[unit_id]
    return extras


def weekly_digest(today: datetime.date) -> dict[str, int]:
    """The weekly job; see the module docstring. Returns counts: obligations refreshed, late
    units found, digests created, mails sent, mails failed."""
    counts = {"refreshed": refresh_due(today), "late_units": 0, "digests": 0, "emails": 0, "errors": 0}
    coordinators: dict[int, set[int]] = defaultdict(set)
    provinces: dict[int, Unit] = {}
    for membership in Membership.objects.filter(role=Role.COORDINATOR, user__is_active=True).select_related("unit"):
        province = membership.unit.province() or membership.unit
        provinces[province.pk] = province
        coordinators[membership.user_id].add(province.pk)
    rows_of = {pk: late_units(province, today) for pk, province in provinces.items()}
    counts["late_units"] = sum(len(rows) for rows in rows_of.values())
    extras_of = {pk: [item for section in DIGEST_SECTIONS for item in section(province, today)]
                 for pk, province in provinces.items()}

    own = unit_digest_extras(today)

    wanted: dict[str, Notification] = {}
    for user_id in sorted(set(coordinators) | set(own)):
        province_ids = coordinators.get(user_id, set())
        rows = sort_worst_first([row for pk in sorted(province_ids) for row in rows_of[pk]])
        extras = [item for pk in sorted(province_ids) for item in extras_of[pk]]
        seen = {(item.get("plan"), item["text"]) for item in extras}
        extras += [item for item in own.get(user_id, []) if (item.get("plan"), item["text"]) not in seen]
        if not rows and not extras:
            continue
        key = digest_key(today, user_id)
        title = (f"Tổng hợp tuần {week_label(today)}: {number(len(rows))} đơn vị có nhiệm vụ quá hạn" if rows else
                 f"Tổng hợp tuần {week_label(today)}: {number(len(extras))} dự thảo kế hoạch còn thiếu sót")
        wanted[key] = Notification(
            user_id=user_id, kind=Kind.DIGEST, day=today, dedupe_key=key, title=title,
            body="\n".join([digest_body(rows)] * bool(rows) + [item["text"] for item in extras]),
            data={"week": iso_week(today), "as_of": today.isoformat(), "rows": rows, "extras": extras},
        )
    counts["digests"] = _create_new(wanted)
    counts["emails"], counts["errors"] = send_mails(today, weekly=True)
    return counts


# --- mail --------------------------------------------------------------------------------------

def _unmailed(today: datetime.date, kinds: Iterable[str], window_days: int) -> dict[int, list[int]]:
    """Ids of notifications of these kinds not mailed yet and at most `window_days` old, by user."""
    found: dict[int, list[int]] = defaultdict(list)
    for user_id, pk in Notification.objects.filter(
        kind__in=list(kinds), emailed_at__isnull=True,
        day__gte=today - datetime.timedelta(days=window_days), day__lte=today,
    ).values_list("user_id", "pk"):
        found[user_id].append(pk)
    return found


def send_mails(today: datetime.date, *, weekly: bool) -> tuple[int, int]:
    """Mail every user what is due to them. Daily: their reminders, to users who want a daily
    mail. Weekly: their reminders to users who want a weekly mail, and this week's digest to
    coordinators who want any mail. Returns (mails sent, mails failed)."""
    reminders = _unmailed(today, REMINDER_KINDS, MAIL_WINDOW_DAYS)
    digests = _unmailed(today, [Kind.DIGEST], 6) if weekly else {}
    wanted_frequency = EmailFrequency.WEEKLY if weekly else EmailFrequency.DAILY
    frequency = frequencies(set(reminders) | set(digests))
    plan: dict[int, list[int]] = {}
    for user_id, freq in frequency.items():
        if freq == EmailFrequency.OFF:
            continue
        ids = list(digests.get(user_id, []))
        if freq == wanted_frequency:
            ids += reminders.get(user_id, [])
        if ids:
            plan[user_id] = ids
    users = get_user_model().objects.filter(pk__in=list(plan), is_active=True).exclude(email="").order_by("pk")
    sent = failed = 0
    connection = get_connection()
    for user in users:
        try:
            if _deliver(user, plan[user.pk], today, weekly=weekly, connection=connection):
                sent += 1
        except Exception:  # one bad address or a dropped connection must not stop the others
            logger.exception("Could not mail notifications to user %s", user.pk)
            failed += 1
    return sent, failed


def _deliver(user, ids: list[int], today: datetime.date, *, weekly: bool, connection) -> bool:
    """Claim the notifications (set `emailed_at`), then mail them; a failure rolls the claim back."""
    with transaction.atomic():
        stamp = timezone.now()
        if not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=stamp):
            return False  # another run got there first
        claimed = list(
            Notification.objects.filter(pk__in=ids, emailed_at=stamp)
            .select_related("obligation__task__plan__issuer", "obligation__unit__parent")
            .order_by("due", "pk")
        )
        items = open_items([n for n in claimed if n.kind in REMINDER_KINDS], today)
        digest = max((n for n in claimed if n.kind == Kind.DIGEST), key=lambda n: n.day, default=None)
        if not items and digest is None:
            return False  # everything claimed was done meanwhile: nothing worth a mail
        subject, body = compose(user, items, digest, today, weekly=weekly)
        EmailMessage(subject, body, to=[user.email], connection=connection).send()
    return True


def open_items(notifications: list[Notification], today: datetime.date) -> list[dict]:
    """One line per obligation still open, from its latest reminder, with the days left or late
    counted from `today` (a reminder of last Tuesday may be overdue by Monday)."""
    latest: dict[int, Notification] = {}
    for notification in notifications:
        kept = latest.get(notification.obligation_id)
        if kept is None or (notification.due, notification.day, notification.pk) > (kept.due, kept.day, kept.pk):
            latest[notification.obligation_id] = notification
    items = []
    base = site_url()
    for notification in latest.values():
        obligation = notification.obligation
        if obligation is None or obligation.withdrawn_on is not None or obligation.status in DONE:
            continue
        due = notification.due
        items.append({
            "overdue": due < today,
            "unit": unit_label(obligation.unit),
            "task": _truncate(task_label(obligation), 220),
            "plan": str(obligation.task.plan),
            "due": vn_date(due),
            "due_date": due,
            "delta": delta_text(due, today),
            "url": base + notification.url if notification.url.startswith("/") else notification.url,
        })
    return sorted(items, key=lambda item: (item["due_date"], item["unit"], item["task"]))


def compose(user, items: list[dict], digest: Notification | None, today: datetime.date, *, weekly: bool):
    overdue = [item for item in items if item["overdue"]]
    soon = [item for item in items if not item["overdue"]]
    base = site_url()
    context = {
        "name": user.get_full_name() or user.get_username(),
        "today": vn_date(today), "week": week_label(today), "weekly": weekly,
        "overdue": overdue, "soon": soon, "due_soon_days": DUE_SOON_DAYS,
        "digest_rows": digest.data.get("rows", []) if digest else [],
        "digest_extras": digest.data.get("extras", []) if digest else [],
        "site": base, "work_url": base + reverse("tracking:my_work"),
        "settings_url": base + reverse("notifications:list"),
    }
    parts = []
    if overdue:
        parts.append(f"{number(len(overdue))} nhiệm vụ quá hạn")
    if soon:
        parts.append(f"{number(len(soon))} nhiệm vụ sắp đến hạn")
    if digest and context["digest_rows"]:
        parts.append(f"{number(len(context['digest_rows']))} đơn vị có nhiệm vụ quá hạn")
    if digest and context["digest_extras"]:
        parts.append(f"{number(len(context['digest_extras']))} dự thảo kế hoạch còn thiếu sót")
    if weekly:
        subject = f"[CCHC] Tổng hợp tuần {week_label(today)} ({vn_date(today)}): " + ", ".join(parts)
    else:
        subject = f"[CCHC] Nhắc việc ngày {vn_date(today)}: " + ", ".join(parts)
    return subject, render_to_string("notifications/email/reminders.txt", context)


# --- entry points for the scheduler -------------------------------------------------------------

def _job_day(today, scheduled_for: str | None) -> datetime.date:
    if isinstance(today, str):
        return datetime.date.fromisoformat(today)
    if today is not None:
        return today
    if scheduled_for:  # django-q passes the run's intended time (UTC): a late worker keeps its day
        return datetime.datetime.fromisoformat(scheduled_for).astimezone(TIME_ZONE).date()
    return business_today()


def run_daily(today: datetime.date | str | None = None, scheduled_for: str | None = None) -> dict[str, int]:
    """The daily schedule's function (django-q2): `daily_reminders` for today."""
    with change_context(origin="cchc send-reminders"):
        return daily_reminders(_job_day(today, scheduled_for))


def run_weekly(today: datetime.date | str | None = None, scheduled_for: str | None = None) -> dict[str, int]:
    """The weekly schedule's function (django-q2): `weekly_digest` for today."""
    with change_context(origin="cchc send-digest"):
        return weekly_digest(_job_day(today, scheduled_for))
