"""The demo's current year: a province plan for this year, a realistic mix of progress on it
(done on time, done late, overdue, due soon, waiting on an event), and the current reporting
period with some units submitted and the rest late. "This year" and "today" are the business
date (cchc/today.py), which CCHC_TODAY pins for reproducible pages and screenshots.

Demo data, not a person's work: progress is written in bulk without change history, like the
past years' progress in load_demo.simulate_progress.
"""

from __future__ import annotations

import datetime
import json
import random
import re
from decimal import Decimal

from . import SEEDS_DIR

# The province's 2022 plan, moved to the current year: its years and dates shift, the 2021-2030
# programme it implements does not.
TEMPLATE_PLAN = ("000_2e2ce113b0e961ad.txt", 2022, "38")
_YEAR = re.compile(r"(?<!\d)(2021|2022)(?!\d)(?!\s*[-–]\s*20[23]\d)")


def current_year_text(year: int) -> str:
    text = (SEEDS_DIR / TEMPLATE_PLAN[0]).read_text(encoding="utf-8")
    shift = year - TEMPLATE_PLAN[1]
    return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def import_current_year_plan(today: datetime.date, stdout=None):
    """The province's plan for today's year, issued; None when the seeds already hold that year."""
    from cchc.plans.importing import import_plan_document
    from cchc.plans.services import issue_plan
    from cchc.units.models import Unit

    year = today.year
    if year == TEMPLATE_PLAN[1]:
        return None
    issuer = Unit.objects.get(code=TEMPLATE_PLAN[2])
    name = f"ke-hoach-cchc-{year}.txt"
    outcome = import_plan_document(current_year_text(year).encode("utf-8"), name, issuer=issuer, year=year)
    if outcome.duplicate:
        return outcome.plan
    result = issue_plan(outcome.plan)
    if stdout is not None:
        stdout.write(
            f"Kế hoạch {year} của {issuer} (năm hiện tại): {outcome.plan.tasks.count()} nhiệm vụ, "
            f"{result.created} nghĩa vụ."
        )
    outcome.plan.refresh_from_db()
    return outcome.plan


def simulate_current_year(today: datetime.date) -> dict[str, int]:
    """Progress on this year's obligations as it stands today. Returns the mix written."""
    from django.contrib.auth import get_user_model

    from cchc.dbutils import update_grouped
    from cchc.plans.models import Obligation
    from cchc.tracking.models import ProgressUpdate
    from cchc.tracking.status import evaluate, refresh, with_status_data

    author = get_user_model().objects.get(username="admin")
    this_year = ProgressUpdate.objects.filter(obligation__task__plan__year=today.year)
    if this_year.filter(narrative__endswith="(dữ liệu mẫu).").exists():
        return {}  # simulated already: loading the demo twice changes nothing
    rng = random.Random(today.year)
    obligations = list(with_status_data(
        Obligation.objects.filter(task__plan__year=today.year, completed_on__isnull=True, updates__isnull=True)
        .order_by("pk")
    ))
    start = datetime.date(today.year, 1, 1)
    mix = dict.fromkeys(("on_time", "late", "overdue", "in_progress", "waiting"), 0)
    updates, done = [], []
    for obligation in obligations:
        due = evaluate(obligation, start).next_due
        roll = rng.random()
        completed = None
        if due is None:
            mix["waiting"] += 1  # a deadline counted from an event that has not happened
            continue
        if due < today:
            if roll < 0.55:
                completed, kind = max(start, due - datetime.timedelta(days=rng.randint(0, 30))), "on_time"
            elif roll < 0.75:
                completed, kind = min(today, due + datetime.timedelta(days=rng.randint(1, 25))), "late"
            else:
                kind = "overdue"
        elif roll < 0.12:
            completed, kind = max(start, today - datetime.timedelta(days=rng.randint(0, 20))), "on_time"
        elif roll < (0.5 if due <= today + datetime.timedelta(days=30) else 0.3):
            kind = "in_progress"
        else:
            continue
        mix[kind] += 1
        if completed is not None:
            obligation.completed_on = completed
            done.append(obligation)
            updates.append(ProgressUpdate(
                obligation=obligation, author=author, state=ProgressUpdate.State.DONE, percent=100,
                completed_on=completed, narrative="Đã hoàn thành (dữ liệu mẫu).",
            ))
        elif kind == "in_progress" or rng.random() < 0.5:
            updates.append(ProgressUpdate(
                obligation=obligation, author=author, state=ProgressUpdate.State.IN_PROGRESS,
                percent=rng.choice((20, 40, 50, 60, 80)), narrative="Đang triển khai (dữ liệu mẫu).",
            ))
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    update_grouped(Obligation, done, ["completed_on"])
    refresh(obligations, today)
    return mix


def current_period_kind(today: datetime.date) -> tuple[str, int]:
    """The latest regular period whose report was due by today: (kind, year)."""
    from cchc.core.status import reporting_period

    for kind in ("year", "q3", "h1", "q1"):
        if reporting_period(kind, today.year).due < today:
            return kind, today.year
    return "year", today.year - 1


def current_reporting(today: datetime.date, submitted_communes: int = 12, submitted_departments: int = 4):
    """The current period open, the province and some departments and communes submitted
    (with the seed report's figures), every other unit late."""
    from django.contrib.auth import get_user_model

    from cchc.core.statforms import FORMS_DIR
    from cchc.reporting import services
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod
    from cchc.units.models import Unit

    admin = get_user_model().objects.get(username="admin")
    province = Unit.objects.get(code=TEMPLATE_PLAN[2])
    kind, year = current_period_kind(today)
    period, created = ReportingPeriod.objects.get_or_create(
        province=province, kind=kind, year=year, defaults={"form_set": current_version(year)}
    )
    if not created:
        return period
    seed = json.loads((FORMS_DIR / "seed-003-values.json").read_text(encoding="utf-8"), parse_float=Decimal)
    values = {code: Decimal(str(v)) for code, v in seed["inputs"].items()}
    expected = services.expected_units(period)
    units = [province]
    units += list(expected.filter(kind="department").order_by("code")[:submitted_departments])
    units += list(expected.filter(kind="commune").order_by("code")[:submitted_communes])
    when = datetime.datetime.combine(period.due - datetime.timedelta(days=3), datetime.time(9, 0))
    for unit in units:
        submission = services.open_submission(period, unit, admin)
        services.save_values(submission, values, seed["notes"])
        for finding in services.pending_warnings(submission, services.findings_for(submission)):
            services.acknowledge(submission, finding.rule, "Số liệu theo báo cáo của các bộ phận (dữ liệu mẫu).", admin)
        services.submit(submission, admin, now=_aware(when))
    return period


def _aware(moment: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(moment)
