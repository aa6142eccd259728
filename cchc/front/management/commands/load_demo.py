from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.accounts.models import Membership
from cchc.demo import DEMO_PASSWORD, DEMO_USERS, SEED_PLANS, SEEDS_DIR
from cchc.history.context import change_context
from cchc.par.demo import load as par_demo
from cchc.planning.demo import load as planning_demo
from cchc.surveys.demo import demo_surveys
from cchc.today import today as business_today
from cchc.units.models import Unit
from cchc.units.registry import load_province


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: đơn vị tỉnh Thanh Hóa, tài khoản mẫu và các kế hoạch mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--no-plans", action="store_true", help="không nạp kế hoạch mẫu")

    def handle(self, *args, no_plans=False, **options):
        with change_context(origin="cchc load-demo"):
            load_province("thanh-hoa")
            self.create_users()
            if not no_plans:
                self.import_plans()
                simulate_progress(business_today())
                demo_reporting()
                demo_surveys()
                alive_demo(business_today(), self.stdout)
                par_demo(business_today(), self.stdout)
                planning_demo(self.stdout)

    @transaction.atomic
    def create_users(self):
        User = get_user_model()
        admin, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        for username, full_name, unit_code, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": full_name, "email": f"{username}@demo.cchc.local"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(
                user=user, unit=Unit.objects.get(code=unit_code), defaults={"role": role}
            )

    def import_plans(self):
        from cchc.plans.importing import import_plan_file
        from cchc.plans.services import issue_plan

        for file_name, year, issuer_code in SEED_PLANS:
            issuer = Unit.objects.get(code=issuer_code)
            outcome = import_plan_file(SEEDS_DIR / file_name, issuer=issuer, year=year)
            if outcome.duplicate:
                continue
            result = issue_plan(outcome.plan)
            self.stdout.write(
                f"Kế hoạch {year} của {issuer}: {outcome.plan.tasks.count()} nhiệm vụ, "
                f"{result.created} nghĩa vụ, {len(outcome.unresolved)} cơ quan chưa xác định."
            )



def alive_demo(today, stdout):
    """The current year: its plan, its mix of progress, its reporting period (cchc/demo/alive.py)."""
    from cchc.demo import alive

    alive.import_current_year_plan(today, stdout)
    alive.simulate_current_year(today)
    alive.current_reporting(today)


def simulate_progress(today):
    """Progress on the demo's past plans, so that dashboards have something to show: a fixed
    pseudo-random share of obligations done on time, done late, or left undone. Written in bulk
    (demo data, not a person's change, so it has no change history)."""
    import datetime
    import random

    from django.contrib.auth import get_user_model

    from cchc.dbutils import update_grouped
    from cchc.plans.models import Obligation
    from cchc.tracking.models import ProgressUpdate
    from cchc.tracking.status import evaluate, refresh, with_status_data

    author = get_user_model().objects.get(username="admin")
    rng = random.Random(2022)
    obligations = list(with_status_data(Obligation.objects.filter(task__plan__year__lt=today.year).order_by("pk")))
    updates, done = [], []
    for obligation in obligations:
        roll = rng.random()
        if roll > 0.85:
            continue
        year_end = datetime.date(obligation.task.plan.year, 12, 31)
        due = evaluate(obligation, datetime.date(obligation.task.plan.year, 1, 1)).next_due or year_end
        if roll > 0.7:
            completed = due + datetime.timedelta(days=rng.randint(1, 40))
        else:
            completed = due - datetime.timedelta(days=rng.randint(0, 60))
        obligation.completed_on = min(completed, today)
        done.append(obligation)
        updates.append(ProgressUpdate(
            obligation=obligation, author=author, state=ProgressUpdate.State.DONE, percent=100,
            completed_on=obligation.completed_on, narrative="Đã hoàn thành (dữ liệu mẫu).",
        ))
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    update_grouped(Obligation, done, ["completed_on"])
    refresh(obligations, today)


def demo_reporting():
    """The province's 6-month report of 2024 (seed 003) entered, explained and accepted, so a
    coordinator can open the period, see the units' states and download the report."""
    import json
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from cchc.core.statforms import FORMS_DIR
    from cchc.reporting import services
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod

    admin = get_user_model().objects.get(username="admin")
    province = Unit.objects.get(code="38")
    period, created = ReportingPeriod.objects.get_or_create(
        province=province, kind="h1", year=2024, defaults={"form_set": current_version(2024)}
    )
    if not created:
        return
    seed = json.loads((FORMS_DIR / "seed-003-values.json").read_text(encoding="utf-8"), parse_float=Decimal)
    submission = services.open_submission(period, province, admin)
    services.save_values(submission, {code: Decimal(str(v)) for code, v in seed["inputs"].items()}, seed["notes"])
    for finding in services.pending_warnings(submission, services.findings_for(submission)):
        services.acknowledge(submission, finding.rule, "Số liệu theo báo cáo của các đơn vị; đang rà soát lại.", admin)
    services.submit(submission, admin)
    services.accept(submission, admin)
