"""IDOR sweep generated from the URL configuration: every page and API endpoint that takes an
object id (a new URL is swept without writing a test) is requested with the ids of another
province's objects by the users of a commune and by the province's coordinator — each must be
refused (404, or 403/405), never answered — and by an anonymous visitor, who is sent to the login
(pages) or refused (API), except the pages public by design.

The other province's objects are made after every table's id sequence has been moved a million
above every id in use: any id above that belongs to them only, so a 200 on it can only be a leak."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OFFSET = 1_000_000
#: Public by design: the PAR Index results once published (pages, annexes, API), a survey's form by key.
PUBLIC = {"par:public_results", "par:annex_xlsx", "par:annex_docx", "api:par-round-results", "surveys:public_form"}
#: The unit registry is shared reference data: every signed-in user may read any unit.
SHARED = {"units:detail", "api:unit-detail"}
#: So are approved PAR criteria sets (a draft answers only its importing province: tests/par/test_template_import.py).
SHARED |= {"par:template_review", "par:template_confirm", "par:template_approve"}


def object_patterns():
    """(name, [int parameters], [other parameters]) of every routed URL taking an id, admin aside."""
    out = []

    def walk(resolver, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or str(p.pattern).startswith("admin/"):
                    continue
                walk(p, ":".join(filter(None, [namespace, p.namespace])))
            elif isinstance(p, URLPattern) and p.name:
                params = list(p.pattern.regex.groupindex)
                converters = getattr(p.pattern, "converters", {})
                ids = [n for n in params if n in ("pk", "unit_pk", "ru_pk") or
                       type(converters.get(n)).__name__ == "IntConverter"]
                if ids:
                    out.append((f"{namespace}:{p.name}" if namespace else p.name, ids,
                                [n for n in params if n not in ids]))

    walk(get_resolver(), "")
    return sorted(set((n, tuple(i), tuple(o)) for n, i, o in out))


def url_for(name, ids, others, values):
    kwargs = dict(zip(ids, values, strict=True))
    kwargs |= {n: ("json" if n == "format" else "1") for n in others}
    return reverse(name, kwargs=kwargs)


def move_sequences(start: int) -> None:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in tables:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
        else:
            cursor.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                           "AND table_schema = current_schema()")
            for (table,) in cursor.fetchall():
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [connection.ops.quote_name(table)])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, start])


def max_id() -> int:
    top = 0
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            if "id" in columns:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
                top = max(top, cursor.fetchone()[0] or 0)
    return top


def province_world(prefix, province, department, commune, users, make_user, plan_factory):
    """Objects of every app for one province: plans issued to its commune, progress with an
    evidence file, a notification, a report submission, a PAR round, a survey round."""
    from cchc.notifications.models import Notification
    from cchc.plans.models import Obligation
    from cchc.plans.services import issue_plan
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod, Submission
    from cchc.tracking.models import Evidence, ProgressUpdate
    from cchc.units.models import UnitClass

    communes = UnitClass.objects.get_or_create(key="communes", defaults={
        "name": "UBND cấp xã", "member_kinds": ["commune"]})[0]
    plan = plan_factory(province, 2026, tasks={"1": [("lead", communes)], "2": [("lead", department)]})
    issue_plan(plan, today=datetime.date(2026, 1, 5))
    own = plan_factory(commune, 2026, tasks={"1": [("lead", commune)]})
    issue_plan(own, today=datetime.date(2026, 1, 6))
    plan_factory(commune, 2027)  # a draft
    for obligation in Obligation.objects.filter(unit=commune):
        update = ProgressUpdate.objects.create(obligation=obligation, author=users["officer"], state="in_progress")
        evidence = Evidence(update=update, reference="Báo cáo số 1/BC-UBND", file_kind="txt")
        evidence.file.save("bao-cao.txt", ContentFile("Báo cáo".encode()))
        Notification.objects.create(user=users["officer"], kind="reminder", obligation=obligation,
                                    title="Nhắc việc", day=datetime.date(2026, 3, 1),
                                    dedupe_key=f"{prefix}-{obligation.pk}")
    period = ReportingPeriod.objects.create(province=province, kind="h1", year=2024, form_set=current_version(2024))
    Submission.objects.create(period=period, unit=commune)
    try:
        from cchc.par import services as par
        from tests.par.conftest import definition

        template = par.store_template(definition("commune") | {"key": f"{prefix}-commune"})
        par.open_round(province, 2025, deadline=datetime.date(2099, 12, 31), cutoff=datetime.date(2025, 12, 14),
                       templates=[template])
    except ImportError:
        pass
    from cchc.core.surveys import load_design
    from cchc.surveys.models import Round, RoundUnit

    rnd = Round(province=province, year=2025, title="Khảo sát 2025", start=datetime.date(2025, 9, 1),
                end=datetime.date(2025, 11, 30))
    rnd.set_design(load_design("sipas-2023"))
    rnd.save()
    RoundUnit.objects.create(round=rnd, unit=commune, quota=4)


@pytest.fixture
def worlds(registry, make_user, plan_factory, settings, tmp_path):
    from cchc.units.models import Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ours = {
        "officer": make_user("xa-canbo", registry["new_a"], "officer"),
        "manager": make_user("xa-lanhdao", registry["new_a"], "manager"),
        "coordinator": make_user("snv", registry["home_affairs"], "coordinator"),
    }
    province_world("ours", registry["province"], registry["justice"], registry["new_a"], ours, make_user,
                   plan_factory)
    # PostgreSQL's sequences survive the rollback of earlier tests: start above every id in use.
    global OFFSET
    OFFSET = max_id() + 1_000_000
    move_sequences(OFFSET)
    province = Unit.objects.create(code="40", name="UBND tỉnh Nghệ An", kind="province")
    department = Unit.objects.create(code="nan-so-noi-vu", name="Sở Nội vụ", kind="department", parent=province)
    commune = Unit.objects.create(code="40101", name="UBND xã Nghi Lộc", kind="commune", parent=province)
    theirs = {"officer": make_user("na-canbo", commune, "officer"),
              "coordinator": make_user("na-snv", department, "coordinator")}
    province_world("theirs", province, department, commune, theirs, make_user, plan_factory)
    return ours


def their_ids(count: int = 4, ours: bool = False) -> list[int]:
    """Ids of the other province's first objects. Every table's sequence restarted at OFFSET, so
    the first ids name the first object of every model (plan, task, obligation, update, file,
    notification, period, submission, round…) at once."""
    ids = set()
    with connection.cursor() as cursor:
        for table in ("plans_plan", "plans_task", "plans_obligation", "tracking_progressupdate",
                      "tracking_evidence", "notifications_notification", "reporting_reportingperiod",
                      "reporting_submission", "surveys_round", "surveys_roundunit", "par_assessmentround",
                      "par_assessment"):
            cursor.execute(f"SELECT id FROM {table} WHERE id {'<' if ours else '>'} %s ORDER BY id", [OFFSET])
            ids.update(row[0] for row in cursor.fetchall()[:count])
    return sorted(ids)


def combinations(ids, arity):
    if arity == 1:
        return [(i,) for i in ids]
    return sorted({(i,) * arity for i in ids} | {(i, j) for i in ids for j in ids[:2]})


REFUSED = {403, 404, 405}


def test_no_object_of_another_province_is_answered(worlds):
    from django.test import Client

    client = Client(raise_request_exception=False)  # a crash is a finding too, not the end of the sweep
    patterns = object_patterns()
    assert len(patterns) >= 40  # pages and API detail routes of every app
    ids = their_ids()
    assert len(ids) >= 3
    leaks = []
    for role in ("manager", "coordinator"):
        client.force_login(worlds[role])
        for name, id_params, others in patterns:
            for values in combinations(ids, len(id_params)):
                url = url_for(name, id_params, others, values)
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code in REFUSED or name in SHARED:  # (the unit page ignores a POST)
                        continue
                    leaks.append((role, method.upper(), url, response.status_code))
    real = [leak for leak in leaks if leak[3] != 500]
    assert not real, f"{len(real)} answers on another province's objects: {real[:20]}"
    assert not leaks, f"{len(leaks)} crashes: {leaks[:20]}"


def test_anonymous_is_sent_to_login_on_every_object_url(client, worlds):
    ids = their_ids()[:2] + [1, 2]
    wrong = []
    for name, id_params, others in object_patterns():
        if name in PUBLIC:
            continue
        for value in ids:
            url = url_for(name, id_params, others, [value] * len(id_params))
            response = client.get(url)
            if name.startswith("api:"):
                ok = response.status_code in (401, 403)
            else:
                ok = response.status_code == 302 and re.search(r"/dang-nhap/\?next=", response["Location"])
            if not ok:
                wrong.append((url, response.status_code))
    assert not wrong, wrong[:20]


def test_our_own_objects_are_answered(client, worlds):
    """The other side of the sweep: the same routes answer the commune's and the province's own
    objects (ids below the offset), so the refusals above are not a route that never answers."""
    answered = set()
    candidates = their_ids(ours=True)  # (PostgreSQL's sequences do not restart between tests)
    for role in ("officer", "coordinator"):
        client.force_login(worlds[role])
        for name, id_params, others in object_patterns():
            if name in answered:
                continue
            for values in itertools.product(candidates, repeat=len(id_params)) if len(id_params) == 1 else \
                    combinations(candidates, len(id_params)):
                if client.get(url_for(name, id_params, others, values)).status_code == 200:
                    answered.add(name)
                    break
    core = {"plans:detail", "plans:task", "tracking:obligation", "tracking:evidence_file", "reporting:period",
            "reporting:submission", "surveys:round_detail", "api:plan-detail", "api:obligation-detail",
            "api:progressupdate-detail", "api:submission-detail", "api:notification-detail"}
    assert core <= answered, core - answered
