"""Audit (issue 13 point 6), generated from the URL resolver and the management command modules: every URL
whose view accepts POST/PUT/PATCH/DELETE, and every management command, is either exercised here (the call
is made with valid data and a new ObjectChange with user, time and before/after must appear) or listed with
the reason it is not. A new write URL or command that is in neither list fails the test."""

from __future__ import annotations

import inspect
import json
import pkgutil
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.accounts.models import Membership
from cchc.history.models import ObjectChange
from tests.par import conftest as par_conftest
from tests.par.conftest import fill
from tests.par.test_workflow import FULL
from tests.planning import conftest as planning_conftest
from tests.reporting.test_install_form_set import installed_dir  # noqa: F401 (a fixture)
from tests.web import test_bodies_import as bodies_tests

User = get_user_model()
par = par_conftest.par  # the PAR tests' round, reused as a fixture here
planning_world = planning_conftest.world  # the planning tests' plans of 2026 and 2027, under another name
lam_dong = bodies_tests.lam_dong  # Lâm Đồng's registry and its coordinator
WRITE_METHODS = ("post", "put", "patch", "delete")
#: A function view is a write path when its own source (decorators included) reads POST data or the method.
_FUNCTION_WRITES = re.compile(r"require_POST|require_http_methods|request\.POST|request\.FILES|request\.method")


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name or ""), pattern.callback


def _write_methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)  # DRF viewset routes: {method: action}
    if actions is not None:
        return [m for m in actions if m in WRITE_METHODS]
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:  # class-based views (Django and DRF APIView): the handlers they define
        return [m for m in view_class.http_method_names if m in WRITE_METHODS and hasattr(view_class, m)]
    source = inspect.getsource(inspect.unwrap(callback))
    return ["post"] if _FUNCTION_WRITES.search(source) else []


def write_urls() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, callback in _walk(get_resolver()):
        if name.startswith("admin:"):
            continue
        methods = _write_methods(callback)
        if methods:
            found.setdefault(name, sorted(set(found.get(name, [])) | set(methods)))
    return found


#: Write URLs that record no history, and why.
EXEMPT_URLS = {
    "login": "signs a person in: a session, not a domain object (Django's auth log is the record)",
    "logout": "ends a session",
    "api:token": "hands out an API token for the caller's own account; no domain object changes",
    "accounts:set_password": "a person sets their own password; the hash is never kept in a history",
    "surveys:public_form": "anonymous citizen answers (surveys.Response keeps no history by design)",
    "surveys:entry": "officers type in paper answers of anonymous respondents (surveys.Response, no history)",
    "surveys:import": "imports anonymous responses from a file (surveys.Response, no history)",
    "notifications:read": "marks a message read: notifications are not part of the official record",
    "notifications:read_all": "as notifications:read",
    "notifications:preferences": "a person's own mail settings (NotificationPreference, not logged)",
    "api:notification-read": "as notifications:read",
    "api:notification-read-all": "as notifications:read",
    "par:filled_upload": "reads an uploaded self-assessment and shows what it would change; nothing is saved "
                         "until par:filled_confirm (test_par_filled_upload_preview_writes_nothing)",
    "reporting:compute": "htmx preview: recomputes the posted, unsaved grid for display and saves nothing "
                         "(test_report_compute_preview_writes_nothing)",
}

#: Write URLs that do record history but whose exercise is not written yet; each is a ChangeLoggedModel
#: write (covered model-by-model in test_audit_coverage.py). The list may only shrink.
PENDING: set[str] = set()


# --- exercises: URL name -> call with valid data -> the model whose change must be recorded ----------------

@pytest.fixture
def world(registry, plan_factory, make_user):
    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    return {
        "registry": registry, "plan": plan,
        "coordinator": make_user("coordinator", registry["home_affairs"], "coordinator"),
        "officer": make_user("officer", registry["justice"], "officer"),
    }


def _issue(client, w):
    client.force_login(w["coordinator"])
    return client.post(reverse("plans:issue", args=[w["plan"].pk])), w["coordinator"], "plans.Plan"


def _task_add(client, w):
    client.force_login(w["coordinator"])
    w["plan"].status = "review"
    w["plan"].save()
    section = w["plan"].sections.get()
    return (client.post(reverse("plans:task_add", args=[w["plan"].pk]), {"section": section.pk}),
            w["coordinator"], "plans.Task")


def _obligation(client, w):
    _issue(client, w)
    from cchc.plans.models import Obligation

    client.force_login(w["officer"])
    return Obligation.objects.get(task__plan=w["plan"], unit=w["registry"]["justice"])


def _progress_page(client, w):
    obligation = _obligation(client, w)
    response = client.post(reverse("tracking:update", args=[obligation.pk]),
                           {"state": "in_progress", "percent": "40", "narrative": "Đang dự thảo."})
    return response, w["officer"], "tracking.ProgressUpdate"


def _progress_api(client, w):
    obligation = _obligation(client, w)
    response = client.post("/api/progress-updates/", {"obligation": obligation.pk, "state": "in_progress",
                                                      "percent": 40})
    return response, w["officer"], "tracking.ProgressUpdate"


def _period(w):
    from cchc.reporting.formsets import current_version
    from cchc.reporting.models import ReportingPeriod

    return ReportingPeriod.objects.create(province=w["registry"]["province"], kind="h1", year=2024,
                                          form_set=current_version(2024))


def _period_create(client, w):
    from cchc.reporting.formsets import current_version

    client.force_login(w["coordinator"])
    response = client.post(reverse("reporting:period_create"), {
        "province": w["registry"]["province"].pk, "kind": "h1", "year": "2024", "title": "",
        "form_set": current_version(2024).pk, "status": "open"})
    return response, w["coordinator"], "reporting.ReportingPeriod"


def _api_submission(client, w, step):
    """Create, fill, submit, return and accept a report through the API, stopping after `step`."""
    period, commune = _period(w), w["registry"]["old_a"]
    clerk = User.objects.create_user("hoangtien")
    Membership.objects.create(user=clerk, unit=commune, role="officer")
    client.force_login(clerk)
    response = client.post("/api/submissions/", {"period": period.pk, "unit": commune.pk},
                           content_type="application/json")
    pk = response.json()["id"]
    steps = [
        (clerk, "patch", f"/api/submissions/{pk}/",
         {"values": {"3:3.1.1": 100, "3:3.1.2": 100, "3:3.2.1": 10, "3:3.2.2": 9}}),
        (clerk, "post", f"/api/submissions/{pk}/submit/", {}),
        (w["coordinator"], "post", f"/api/submissions/{pk}/return/", {"reason": "Kiểm tra lại 3.2"}),
        (clerk, "post", f"/api/submissions/{pk}/submit/", {}),
        (w["coordinator"], "post", f"/api/submissions/{pk}/accept/", {}),
    ]
    user = clerk
    for index, (user, method, url, data) in enumerate(steps[:step]):
        if index == step - 1:
            w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
        client.force_login(user)
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code < 400, (url, response.content[:300])
    return response, user, "reporting.SubmissionValue" if step == 1 else "reporting.Submission"


def _task_edit(client, w):
    client.force_login(w["coordinator"])
    w["plan"].status = "review"
    w["plan"].save()
    task = w["plan"].tasks.get()
    response = client.post(reverse("plans:task_edit", args=[task.pk]), {
        "number": "1", "content": "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "deadline_text": "Quý II",
        "notes": "", "lead_text": "Sở Tư pháp", "coordinating_text": "", "deliverables_text": "Báo cáo"})
    return response, w["coordinator"], "plans.Task"


def _survey_round_create(client, w):
    from cchc.core.surveys import design_keys

    client.force_login(w["coordinator"])
    response = client.post(reverse("surveys:round_create"), {
        "province": w["registry"]["province"].pk, "title": "Khảo sát SIPAS 2025", "year": "2025",
        "design_key": sorted(design_keys())[0], "start": "01/09/2025", "end": "30/11/2025", "quota": "50",
        "kinds": ["department", "commune"]})
    return response, w["coordinator"], "surveys.Round"


def _survey_library_create(client, w):
    client.force_login(w["coordinator"])
    response = client.post(reverse("surveys:library_create"), {
        "builtin": "sipas-2023", "province": w["registry"]["province"].pk, "name": "Phiếu SIPAS của tỉnh"})
    return response, w["coordinator"], "surveys.QuestionnaireDesign"


def _survey_library_edit(client, w):
    import json

    from cchc.core.surveys import load_design
    from cchc.surveys.models import QuestionnaireDesign

    _survey_library_create(client, w)
    design = QuestionnaireDesign.objects.get(name="Phiếu SIPAS của tỉnh")
    content = load_design("sipas-2023").raw | {"name": "Phiếu SIPAS của tỉnh, bản sửa"}
    response = client.post(reverse("surveys:library_edit", args=[design.pk]),
                           {"design": json.dumps(content, ensure_ascii=False), "note": "Đổi tên"})
    return response, w["coordinator"], "surveys.DesignVersion"


def _page_submission(client, w, step):
    """A report filled through the API, then submitted, returned and accepted through the pages."""
    _api_submission(client, w, 1)
    from cchc.reporting.models import Submission

    submission = Submission.objects.get()
    clerk = User.objects.get(username="hoangtien")
    steps = [(clerk, "reporting:submit", {}), (w["coordinator"], "reporting:return", {"reason": "Kiểm tra lại"}),
             (clerk, "reporting:submit", {}), (w["coordinator"], "reporting:accept", {})]
    for index, (user, name, data) in enumerate(steps[:step]):
        if index == step - 1:
            w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
        client.force_login(user)
        response = client.post(reverse(name, args=[submission.pk]), data)
    submission.refresh_from_db()
    assert submission.status == ["submitted", "returned", "submitted", "accepted"][step - 1]
    return response, user, "reporting.Submission"


def _accounts_import(client, w):
    """A membership's role changes from viewer to manager through the accounts import (preview, apply)."""
    from tests.web.test_accounts_import import upload, xlsx

    known = User.objects.create_user("an", email="an@stp.thanhhoa.gov.vn")
    Membership.objects.create(user=known, unit=w["registry"]["justice"], role="viewer")
    w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    client.force_login(w["coordinator"])
    data = xlsx([["Nguyễn Văn An", "an@stp.thanhhoa.gov.vn", "tha-so-tu-phap", "manager"]])
    preview = client.post(reverse("accounts:import"), {"file": upload(data)})
    response = client.post(reverse("accounts:import"), {"payload": preview.context["payload"], "apply": "1"})
    assert Membership.objects.get(user=known).role == "manager"
    return response, w["coordinator"], "accounts.Membership"


def _draft(client, w, unit=None, user=None):
    """An empty draft report of the period, opened through the API by `user` for `unit` (default: a
    commune clerk for the old commune A); the exercise that follows starts after it."""
    period = _period(w)
    if user is None:
        user = User.objects.create_user("hoangtien")
        Membership.objects.create(user=user, unit=w["registry"]["old_a"], role="officer")
    unit = unit or w["registry"]["old_a"]
    client.force_login(user)
    response = client.post("/api/submissions/", {"period": period.pk, "unit": unit.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    from cchc.reporting.models import Submission

    return Submission.objects.get(pk=response.json()["id"]), user


def _mark(w):
    w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()


def _submission_page(client, w):
    submission, clerk = _draft(client, w)
    _mark(w)
    response = client.post(reverse("reporting:submission", args=[submission.pk]),
                           {"v-3:3.1.1": "100", "v-3:3.1.2": "98", "n-3:3.1.2": "Tính đến ngày 11/6/2024"})
    assert response.status_code == 302
    return response, clerk, "reporting.SubmissionValue"


def _seed003_draft(client, w):
    """The province's report with the seed values, which raise the warning sum:6:2.1."""
    from cchc.core.statforms import FORMS_DIR

    with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as fh:
        inputs = json.load(fh)["inputs"]
    submission, user = _draft(client, w, w["registry"]["province"], w["coordinator"])
    response = client.patch(f"/api/submissions/{submission.pk}/", {"values": inputs},
                            content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    _mark(w)
    return submission, user


def _acknowledge_page(client, w):
    submission, user = _seed003_draft(client, w)
    response = client.post(reverse("reporting:acknowledge", args=[submission.pk]),
                           {"rule": "sum:6:2.1", "comment": "Số liệu đúng."})
    assert submission.acknowledgements.filter(rule="sum:6:2.1").exists()
    return response, user, "reporting.Acknowledgement"


def _acknowledge_api(client, w):
    submission, user = _seed003_draft(client, w)
    response = client.post(f"/api/submissions/{submission.pk}/acknowledge/",
                           {"rule": "sum:6:2.1", "comment": "Số liệu đúng."}, content_type="application/json")
    assert submission.acknowledgements.filter(rule="sum:6:2.1").exists()
    return response, user, "reporting.Acknowledgement"


def _submission_import(client, w):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission, clerk = _draft(client, w)
    _mark(w)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("reporting:export", args=[submission.pk])).content))
    sheet = workbook["Biểu mẫu 3"]
    rows = {str(sheet.cell(r, 1).value).rstrip("."): r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}
    sheet.cell(rows["3.1.1"], 4).value = 120
    sheet.cell(rows["3.1.2"], 4).value = 118
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("reporting:import", args=[submission.pk]),
                           {"file": SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue())})
    assert submission.values.filter(code="3:3.1.1", source="import").exists()
    return response, clerk, "reporting.SubmissionValue"


def _report_import(client, w):
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.core.test_report_reader import SEED_003

    submission, clerk = _draft(client, w)
    _mark(w)
    document = docx.Document()
    for line in SEED_003.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    response = client.post(reverse("reporting:report_import", args=[submission.pk]),
                           {"file": SimpleUploadedFile("bao-cao.docx", buffer.getvalue())})
    submission.refresh_from_db()
    assert submission.narrative["sections"]
    return response, clerk, "reporting.Submission"


def _period_edit(client, w):
    period = _period(w)
    _mark(w)
    client.force_login(w["coordinator"])
    response = client.post(reverse("reporting:period_edit", args=[period.pk]), {
        "province": period.province_id, "kind": "h1", "year": "2024", "title": "Báo cáo 6 tháng đầu năm 2024",
        "form_set": period.form_set_id, "status": "open"})
    period.refresh_from_db()
    assert period.title == "Báo cáo 6 tháng đầu năm 2024"
    return response, w["coordinator"], "reporting.ReportingPeriod"


def _report_edit(client, w):
    period = _period(w)
    _mark(w)
    client.force_login(w["coordinator"])
    response = client.post(reverse("reporting:report", args=[period.pk]), {
        "number": "125/BC-UBND", "signer_name": "Nguyễn Văn A", "signer_title": "Chủ tịch", "date": "15/06/2024"})
    period.refresh_from_db()
    assert period.report_text["number"] == "125/BC-UBND"
    return response, w["coordinator"], "reporting.ReportingPeriod"


def _round_status(client, w):
    from cchc.surveys.models import Round

    _survey_round_create(client, w)
    round_ = Round.objects.get(title="Khảo sát SIPAS 2025")
    _mark(w)
    before = round_.status
    response = client.post(reverse("surveys:round_status", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status != before
    return response, w["coordinator"], "surveys.Round"


def _cascade(client, w):
    """A commune's manager builds the commune's plan from the province's issued plan."""
    from cchc.plans.services import issue_plan

    plan = w["plan"]
    task = plan.tasks.get()
    task.assignments.create(role="coordinate", position=1, text="UBND xã", unit=w["registry"]["new_b"])
    issue_plan(plan)
    manager = User.objects.create_user("xa-lanhdao")
    Membership.objects.create(user=manager, unit=w["registry"]["new_b"], role="manager")
    _mark(w)
    client.force_login(manager)
    response = client.post(reverse("plans:cascade", args=[plan.pk]), {"task": [task.pk]})
    assert response.status_code == 302 and plan.children.filter(issuer=w["registry"]["new_b"]).exists()
    return response, manager, "plans.Plan"


def _milestone_event(client, w):
    from cchc.plans.services import issue_plan

    task = w["plan"].tasks.get()
    milestone = task.milestones.create(kind="event", deadline_text="Khi có văn bản chỉ đạo của Trung ương")
    issue_plan(w["plan"])
    _mark(w)
    client.force_login(w["coordinator"])
    response = client.post(reverse("plans:milestone_event", args=[milestone.pk]),
                           {"event_on": "01/02/2022", "due": "28/02/2022"})
    milestone.refresh_from_db()
    assert milestone.due is not None
    return response, w["coordinator"], "plans.Milestone"


def _target_result(client, w):
    from cchc.plans.models import Target

    target = Target.objects.create(plan=w["plan"], text="Tỷ lệ hồ sơ đúng hạn từ 98% trở lên", op=">=", value=98,
                                   unit="%")
    _mark(w)
    client.force_login(w["coordinator"])
    response = client.post(reverse("plans:target_result", args=[target.pk]), {"actual": "97,5"})
    target.refresh_from_db()
    assert str(target.actual) == "97.50"
    return response, w["coordinator"], "plans.Target"


def _pick_unit(client, w):
    task = w["plan"].tasks.get()
    assignment = task.assignments.create(role="coordinate", position=1, text="Cơ quan không có thật")
    _mark(w)
    client.force_login(w["coordinator"])
    response = client.post(reverse("plans:pick_unit", args=[assignment.pk]),
                           {"unit_code": w["registry"]["justice"].code})
    assignment.refresh_from_db()
    assert assignment.unit == w["registry"]["justice"]
    return response, w["coordinator"], "plans.Assignment"


def _plan_import(client, w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.demo import SEEDS_DIR
    from cchc.plans.models import Plan

    seed = SEEDS_DIR / "004_4c8b279deba99ff8.txt"
    client.force_login(w["coordinator"])
    response = client.post(reverse("plans:import"), {
        "document": SimpleUploadedFile(seed.name, seed.read_bytes()), "issuer": w["registry"]["province"].pk,
        "year": "2026"})
    assert response.status_code == 302, response.content[:500]
    plan = Plan.objects.get(year=2026)
    from django.contrib.contenttypes.models import ContentType

    from cchc.plans.models import Task

    tasks = ObjectChange.objects.filter(id__gt=w["last"], object_type=ContentType.objects.get_for_model(Task))
    assert tasks.count() == plan.tasks.count() > 0  # every imported task has its record
    assert {c.origin for c in tasks} == {f"nhập kế hoạch {seed.name}"}
    return response, w["coordinator"], "plans.Plan"


def _par_round_create(client, w):
    from cchc.par.models import AssessmentRound, LeafScore

    client.force_login(w["coordinator"])
    response = client.post(reverse("par:round_create"), {"year": "2025", "deadline": "31/12/2099",
                                                         "cutoff": "14/12/2025"})
    rnd = AssessmentRound.objects.get(year=2025)
    assert rnd.assessments.exists()
    assessments = ObjectChange.objects.filter(id__gt=w["last"], object_type__model="assessment")
    assert assessments.count() == rnd.assessments.count()  # the bulk-created assessments have their records
    assert {c.user for c in assessments} == {w["coordinator"]}
    scores = ObjectChange.objects.filter(id__gt=w["last"], object_type__model="leafscore")
    assert scores.count() == LeafScore.objects.filter(assessment__round=rnd).count() > 0  # and their leaf rows
    return response, w["coordinator"], "par.AssessmentRound"


def _survey_design(client, w):
    from cchc.core.surveys import load_design
    from cchc.surveys.models import Round

    _survey_round_create(client, w)
    round_ = Round.objects.get(title="Khảo sát SIPAS 2025")
    _mark(w)
    content = load_design("sipas-2023").raw | {"key": "sipas-tinh-2025", "name": "Phiếu SIPAS của tỉnh 2025"}
    response = client.post(reverse("surveys:design", args=[round_.pk]),
                           {"design": json.dumps(content, ensure_ascii=False)})
    round_.refresh_from_db()
    assert response.status_code == 302 and round_.design_key == "sipas-tinh-2025"
    return response, w["coordinator"], "surveys.Round"


EXERCISED = {
    "par:round_create": _par_round_create,
    "surveys:design": _survey_design,
    "plans:cascade": _cascade,
    "plans:milestone_event": _milestone_event,
    "plans:target_result": _target_result,
    "plans:pick_unit": _pick_unit,
    "plans:import": _plan_import,
    "reporting:submission": _submission_page,
    "reporting:acknowledge": _acknowledge_page,
    "api:submission-acknowledge": _acknowledge_api,
    "reporting:import": _submission_import,
    "reporting:report_import": _report_import,
    "reporting:period_edit": _period_edit,
    "reporting:report": _report_edit,
    "surveys:round_status": _round_status,
    "plans:issue": _issue,
    "plans:task_add": _task_add,
    "tracking:update": _progress_page,
    "api:progressupdate-list": _progress_api,
    "reporting:period_create": _period_create,
    "reporting:submit": lambda c, w: _page_submission(c, w, 1),
    "reporting:return": lambda c, w: _page_submission(c, w, 2),
    "reporting:accept": lambda c, w: _page_submission(c, w, 4),
    "plans:task_edit": _task_edit,
    "accounts:import": _accounts_import,
    "surveys:round_create": _survey_round_create,
    "surveys:library_create": _survey_library_create,
    "surveys:library_edit": _survey_library_edit,
    "api:submission-list": lambda c, w: _api_submission(c, w, 0),
    "api:submission-detail": lambda c, w: _api_submission(c, w, 1),
    "api:submission-submit": lambda c, w: _api_submission(c, w, 2),
    "api:submission-return-": lambda c, w: _api_submission(c, w, 3),
    "api:submission-accept": lambda c, w: _api_submission(c, w, 5),
}



# PAR Index: the self-assessment and appraisal pages, on the PAR tests' round (tests/par/conftest.py).
HTMX = {"HTTP_HX_REQUEST": "true"}


def _par_score(client, w):
    client.force_login(w["users"]["officer"])
    response = client.post(reverse("par:score", args=[w["commune"].pk, "1.3"]),
                           {"points": "2,5", "reference": "Quyết định số 45/QĐ-UBND ngày 20/11/2025"}, **HTMX)
    return response, w["users"]["officer"], "par.LeafScore"


def _par_submit(client, w):
    fill(w["commune"], FULL)
    w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    client.force_login(w["users"]["manager"])
    return client.post(reverse("par:submit", args=[w["commune"].pk])), w["users"]["manager"], "par.Assessment"


def _par_advance(client, w):
    client.force_login(w["users"]["coordinator"])
    return (client.post(reverse("par:advance", args=[w["round"].pk])), w["users"]["coordinator"],
            "par.AssessmentRound")


def _par_appraise(client, w):
    from cchc.par import services

    fill(w["commune"], FULL)
    services.advance(w["round"], w["users"]["coordinator"])
    w["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    client.force_login(w["users"]["justice"])
    response = client.post(reverse("par:appraise", args=[w["commune"].pk, "2.1"]),
                           {"points": "2", "reason": "Thiếu báo cáo"}, **HTMX)
    return response, w["users"]["justice"], "par.LeafScore"


def _par_score_api(client, w):
    client.force_login(w["users"]["officer"])
    response = client.post(f"/api/par/assessments/{w['commune'].pk}/scores/",
                           {"code": "1.3", "points": "2,5", "reference": "Quyết định số 45/QĐ-UBND ngày 20/11/2025"},
                           content_type="application/json")
    assert response.json()["self_points"] is not None
    return response, w["users"]["officer"], "par.LeafScore"


def _par_explain(client, w):
    from cchc.par import services

    rnd, commune, coordinator = w["round"], w["commune"], w["users"]["coordinator"]
    fill(commune, FULL)
    services.advance(rnd, coordinator)
    services.appraise(commune, "1.3", coordinator, points="1", reason="Chưa được công nhận")
    services.advance(rnd, coordinator)
    _mark(w)
    client.force_login(w["users"]["officer"])
    response = client.post(reverse("par:explain", args=[commune.pk, "1.3"]), {
        "reply": "Đã có quyết định công nhận", "reference": "Quyết định số 45/QĐ-UBND ngày 20/11/2025"}, **HTMX)
    assert commune.scores.get(code="1.3").reply == "Đã có quyết định công nhận"
    return response, w["users"]["officer"], "par.LeafScore"


def _par_recompute(client, w):
    client.force_login(w["users"]["coordinator"])
    response = client.post(reverse("par:recompute", args=[w["commune"].pk]))
    assert ObjectChange.objects.filter(id__gt=w["last"], origin__contains="Tính lại").exists()
    return response, w["users"]["coordinator"], "par.InputSnapshot"


def _filled_file(client, w, tmp_path):
    """The officer uploads a filled self-assessment .xlsx; the review page carries the confirmation token."""
    from tests.core.test_par_filled import write_xlsx
    from tests.par.test_filled_import import rows

    client.force_login(w["users"]["officer"])
    with write_xlsx(tmp_path / "tu-danh-gia.xlsx", rows()).open("rb") as f:
        response = client.post(reverse("par:filled_upload", args=[w["commune"].pk]), {"filled": f})
    assert response.status_code == 200
    return response, re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def _par_filled_confirm(client, w):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        _, token = _filled_file(client, w, Path(folder))
    _mark(w)
    response = client.post(reverse("par:filled_confirm", args=[w["commune"].pk]), {"token": token})
    changes = ObjectChange.objects.filter(id__gt=w["last"], object_type__model="leafscore")
    assert changes.count() == 5 and all("tu-danh-gia.xlsx" in c.origin for c in changes)
    return response, w["users"]["officer"], "par.LeafScore"


def _template_upload(client, w):
    from tests.par.test_template_import import PDF

    client.force_login(w["users"]["coordinator"])
    with PDF.open("rb") as f:
        response = client.post(reverse("par:template_upload"), {
            "document": f, "key": "snv-2026-commune", "unit_type": "commune", "year": "2026",
            "name": "Bộ tiêu chí cấp xã 2026", "appraiser": "Sở Nội vụ"})
    from cchc.par.models import ParTemplate

    assert ParTemplate.objects.filter(key="snv-2026-commune", status="draft").exists()
    return response, w["users"]["coordinator"], "par.ParTemplate"


def _template_confirm(client, w):
    from cchc.par.models import ParTemplate

    _template_upload(client, w)
    template = ParTemplate.objects.get(key="snv-2026-commune")
    _mark(w)
    response = client.post(reverse("par:template_confirm", args=[template.pk, "3.4.3"]), {"rule": '{"kind": "yes_no"}'})
    template.refresh_from_db()
    assert template.review["confirmed"] == ["3.4.3"]
    change = ObjectChange.objects.filter(id__gt=w["last"], object_type__model="partemplate").get()
    assert change.prechange_data["review"]["confirmed"] == []  # the replaced rule shows in the history
    assert change.postchange_data["review"]["replaced"] == {"3.4.3": {"kind": "yes_no"}}
    return response, w["users"]["coordinator"], "par.ParTemplate"


def _template_approve(client, w):
    from cchc.par import template_import
    from cchc.par.models import ParTemplate

    _template_upload(client, w)
    template = ParTemplate.objects.get(key="snv-2026-commune")
    for row in template_import.review_rows(template):
        template_import.confirm_leaf(template, row["code"])
    _mark(w)
    response = client.post(reverse("par:template_approve", args=[template.pk]))
    template.refresh_from_db()
    assert template.status != ParTemplate.Status.DRAFT
    return response, w["users"]["coordinator"], "par.ParTemplate"


PAR_EXERCISED = {"par:score": _par_score, "par:submit": _par_submit, "par:advance": _par_advance,
                 "par:appraise": _par_appraise, "api:par-assessment-scores": _par_score_api,
                 "par:explain": _par_explain, "par:recompute": _par_recompute,
                 "par:filled_confirm": _par_filled_confirm, "par:template_upload": _template_upload,
                 "par:template_confirm": _template_confirm, "par:template_approve": _template_approve}


# Exercises on the planning tests' world (tests/planning/conftest.py) and on Lâm Đồng's registry.

def _planning_draft(client, w):
    client.force_login(w["home_manager"])
    url = reverse("planning:draft")
    page = client.get(url, {"don_vi": w["home_affairs"].pk, "nam": "2027"})
    keep = [c.key for c in page.context["proposal"].candidates if c.origin != "recurring"]
    _mark(w)
    response = client.post(url, {"don_vi": w["home_affairs"].pk, "nam": "2027", "chon": keep,
                                 "token": page.context["token"]})
    assert response.status_code == 302
    origins = ObjectChange.objects.filter(id__gt=w["last"], object_type__model="draftorigin")
    assert origins.exists() and {c.origin for c in origins} == {"lập kế hoạch năm sau"}
    return response, w["home_manager"], "plans.Plan"


def _own_task(w):
    return planning_conftest.add_task(
        w["kien_tho_2026"], "institutions", "2", "Tổ chức tuyên truyền, phổ biến giáo dục pháp luật về cải cách "
        "hành chính trên địa bàn xã", [("lead", w["new_b"])], "Trước ngày 31/12/2026")


def _planning_propose(client, w):
    from cchc.planning.models import TaskLineage

    own = _own_task(w)
    _mark(w)
    client.force_login(w["kt_manager"])
    response = client.post(reverse("planning:propose", args=[w["kien_tho_2026"].pk]))
    assert TaskLineage.objects.filter(child=own, status="proposed").exists()
    return response, w["kt_manager"], "planning.TaskLineage"


def _planning_lineage(client, w):
    from cchc.planning.models import TaskLineage

    own, plan = _own_task(w), w["kien_tho_2026"]
    client.force_login(w["kt_manager"])
    url = reverse("planning:lineage", args=[plan.pk])
    client.get(url)  # stores the proposals
    _mark(w)
    response = client.post(url, {"voi": w["province_2026"].pk, f"cha-{own.pk}": str(w["t2"].pk)})
    assert TaskLineage.objects.get(child=own, status="confirmed").parent == w["t2"]
    return response, w["kt_manager"], "planning.TaskLineage"


def _planning_lineage_api(client, w):
    from cchc.planning.models import TaskLineage

    own, plan = _own_task(w), w["kien_tho_2026"]
    client.force_login(w["kt_manager"])
    client.get(f"/api/planning/plans/{plan.pk}/lineage/")
    _mark(w)
    response = client.post(f"/api/planning/plans/{plan.pk}/lineage/", {"choices": {str(own.pk): w["t2"].pk}},
                           content_type="application/json")
    assert TaskLineage.objects.get(child=own, status="confirmed").parent == w["t2"]
    return response, w["kt_manager"], "planning.TaskLineage"


def _bodies_import(client, w):
    from tests.web.test_bodies_import import NEW_ROW, edited_template, upload

    province, coordinator = w["lam_dong"]
    client.force_login(coordinator)
    template = client.get(f"/don-vi/nhap-co-quan/mau/?tinh={province.pk}")
    preview = client.post(reverse("units:bodies_import"),
                          {"tinh": province.pk, "file": upload(edited_template(template.content, [NEW_ROW]))})
    response = client.post(reverse("units:bodies_import"), {"tinh": province.pk, "payload": preview.context["payload"],
                                                            "apply": "1"})
    change = ObjectChange.objects.get(id__gt=w["last"], object_type__model="unit")
    assert change.object_repr == "Ban Quản lý các khu công nghiệp tỉnh"
    assert change.origin == "units.import_bodies co-quan.xlsx"
    return response, coordinator, "units.Unit"


FIXTURE_EXERCISED = {
    "planning:draft": ("planning_world", _planning_draft),
    "planning:propose": ("planning_world", _planning_propose),
    "planning:lineage": ("planning_world", _planning_lineage),
    "api:planning-lineage": ("planning_world", _planning_lineage_api),
    "units:bodies_import": ("lam_dong", _bodies_import),
}


def test_every_write_url_is_exercised_or_exempted_with_a_reason():
    urls = write_urls()
    assert len(urls) >= 50  # the walk reaches pages and API alike
    assert {"plans:issue", "api:progressupdate-list", "api:submission-detail", "login"} <= set(urls)
    exercised = set(EXERCISED) | set(PAR_EXERCISED) | set(FIXTURE_EXERCISED)
    listed = exercised | set(EXEMPT_URLS) | PENDING
    unlisted = sorted(set(urls) - listed)
    assert unlisted == [], f"write URLs neither exercised nor exempted: {unlisted}"
    stale = sorted(listed - set(urls))
    assert stale == [], f"listed write URLs that no longer exist or no longer write: {stale}"
    assert not (exercised & (set(EXEMPT_URLS) | PENDING) or set(EXEMPT_URLS) & PENDING), "a URL listed twice"
    assert all(reason.strip() for reason in EXEMPT_URLS.values())


@pytest.mark.parametrize("name", sorted(EXERCISED))
def test_each_exercised_write_url_records_who_when_and_before_after(client, world, name):
    _assert_recorded(client, world, name, EXERCISED[name])


@pytest.mark.parametrize("name", sorted(PAR_EXERCISED))
def test_each_exercised_par_url_records_who_when_and_before_after(db, client, request, name):
    _assert_recorded(client, request.getfixturevalue("par"), name, PAR_EXERCISED[name])


@pytest.mark.parametrize("name", sorted(FIXTURE_EXERCISED))
def test_each_exercised_url_on_its_own_fixture_records_who_when_and_before_after(db, client, request, name):
    fixture, exercise = FIXTURE_EXERCISED[name]
    value = request.getfixturevalue(fixture)
    _assert_recorded(client, value if isinstance(value, dict) else {fixture: value}, name, exercise)


def _assert_recorded(client, world, name, exercise):
    """Run the exercise; every change it records of the expected model carries the user, time, request
    and the data before/after. Exercises needing earlier steps set world["last"] past them."""
    world["last"] = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response, user, label = exercise(client, world)
    last = world["last"]
    assert response.status_code < 400, (name, response.status_code, response.content[:300])
    model = apps.get_model(label)
    from django.contrib.contenttypes.models import ContentType

    changes = ObjectChange.objects.filter(id__gt=last, object_type=ContentType.objects.get_for_model(model))
    assert changes.exists(), f"{name}: no change of {label} recorded"
    for change in changes:
        assert change.user == user and change.user_name == user.username
        assert change.time is not None and change.request_id is not None
        assert change.postchange_data if change.action != "delete" else change.prechange_data
        if change.action == "update":
            assert change.prechange_data and change.field_changes(), f"{name}: an update with no before/after"


# --- management commands ------------------------------------------------------------------------------------

def management_commands() -> set[str]:
    names = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("cchc."):
            continue
        try:
            package = import_module(f"{config.name}.management.commands")
        except ModuleNotFoundError:
            continue
        names |= {m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}
    return names


#: Commands that write nothing to the logged models, and why.
READ_ONLY_COMMANDS = {
    "serve": "runs the web server; writes happen in requests, which are covered above",
    "parse_deadline": "prints how a deadline text is read; writes nothing",
    "check_forms": "checks the report form sets; writes nothing",
    "backup": "copies the database out; writes no domain row",
    "restore": "replaces the whole database from a backup, history included; no single change to record",
    "sipas_index": "prints survey indices; writes nothing",
    "send_digest": "mails notifications (not part of the official record)",
    "send_reminders": "creates notifications (not part of the official record)",
    "par_templates": "lists the criteria sets; writes nothing",
    "par_score": "scores a self-assessment file against a criteria set and prints the card; writes nothing",
    "par_import_template": "proposes a criteria set from its document as JSON (stdout or --out); no database row",
    "sipas_designs": "lists the questionnaire designs; writes nothing",
    "import_form_set": "writes a proposed form-set definition to a JSON file for review; no database row",
    "plan_lineage": "prints the task pairs of two plans (documents or stored plans); stores no lineage",
    "refresh_statuses": "recomputes the derived status columns of obligations (status, next_due, status_on) from "
                        "the recorded milestones, completions and the date: a cache of cchc.core.status, not a "
                        "change anyone made (test_refresh_statuses_writes_derived_columns_only)",
}

#: Commands that write logged models: their changes go through the same ChangeLoggedModel signals, with no
#: user; each opens a change_context whose origin names the command. Their exercise is pending (the list may
#: only shrink).
WRITING_COMMANDS_PENDING: set[str] = set()


def _run(*args):
    import io

    from django.core.management import call_command

    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def _cmd_init(w, tmp_path):
    _run("init", "--province", "lam-dong", "--email", "cchc@sonoivu.lamdong.gov.vn")
    return "accounts.Membership", "cchc init"


def _cmd_load_units(w, tmp_path):
    _run("load_units", "--province", "lam-dong")
    return "units.Unit", "cchc load-units"


def _cmd_import_bodies(w, tmp_path):
    from tests.web.test_bodies_import import NEW_ROW, edited_template

    _run("import_bodies", "--province", "lam-dong", "--template", str(tmp_path / "mau.xlsx"))
    path = tmp_path / "co-quan.xlsx"
    path.write_bytes(edited_template((tmp_path / "mau.xlsx").read_bytes(), [NEW_ROW]))
    _run("import_bodies", str(path), "--province", "lam-dong")
    return "units.Unit", "cchc import-bodies co-quan.xlsx"


def _cmd_import_plan(w, tmp_path):
    from cchc.demo import SEEDS_DIR

    seed = SEEDS_DIR / "004_4c8b279deba99ff8.txt"
    _run("import_plan", str(seed), "--issuer", w["province"].code, "--year", "2026")
    return "plans.Task", f"cchc import-plan {seed.name}"


def _cmd_import_report(w, tmp_path):
    from tests.core.test_report_reader import SEED_003

    _period({"registry": w})
    _run("import_report", str(SEED_003))
    return "reporting.SubmissionValue", f"cchc import-report {SEED_003}"


def _cmd_load_demo(w, tmp_path):
    """The registry and the demo accounts (--no-plans). The full demo's simulated progress and PAR scores are
    synthetic and bulk-written without records (cchc/par/demo.py, cchc/demo/alive.py)."""
    _run("load_demo", "--no-plans")
    return "accounts.Membership", "cchc load-demo"


def _cmd_install_form_set(w, tmp_path):
    from cchc.core.statforms import FORMS_DIR

    definition = json.loads((FORMS_DIR / "bnv-2024.json").read_text(encoding="utf-8"))
    definition["key"], definition["year"] = "bnv-2024-tinh", 2025
    path = tmp_path / "bnv-2024-tinh.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    _run("install_form_set", str(path))
    return "reporting.FormSetVersion", "cchc install-form-set bnv-2024-tinh.json"


def _cmd_draft_plan(w, tmp_path):
    _run("draft_plan", "--unit", "tha-so-noi-vu", "--year", "2027")
    return "plans.Plan", "cchc draft-plan tha-so-noi-vu 2027"


#: Command -> (fixture, exercise): the exercise runs the command with valid input and names the model whose
#: changes must be recorded and the origin they must carry.
COMMAND_EXERCISES = {
    "init": ("db", _cmd_init),
    "load_demo": ("db", _cmd_load_demo),
    "load_units": ("db", _cmd_load_units),
    "import_bodies": ("lam_dong", _cmd_import_bodies),
    "import_plan": ("registry", _cmd_import_plan),
    "import_report": ("registry", _cmd_import_report),
    "draft_plan": ("planning_world", _cmd_draft_plan),
    "install_form_set": ("installed_dir", _cmd_install_form_set),
}
COMMANDS_EXERCISED = {"import_accounts", *COMMAND_EXERCISES}


def test_every_management_command_is_exercised_or_listed_with_a_reason():
    commands = management_commands()
    assert {"import_plan", "load_demo", "backup"} <= commands
    listed = set(READ_ONLY_COMMANDS) | WRITING_COMMANDS_PENDING | COMMANDS_EXERCISED
    assert not COMMANDS_EXERCISED & WRITING_COMMANDS_PENDING
    assert sorted(commands - listed) == [], "management commands neither exercised nor listed"
    assert sorted(listed - commands) == [], "listed commands that no longer exist"


def test_a_writing_command_records_origin_time_and_before_after(registry, tmp_path):
    """import_accounts: no request user, so the command's origin names where the change came from."""
    from django.core.management import call_command

    from tests.web.test_accounts_import import xlsx

    known = User.objects.create_user("an", email="an@stp.thanhhoa.gov.vn")
    membership = Membership.objects.create(user=known, unit=registry["justice"], role="viewer")
    path = tmp_path / "tk.xlsx"
    path.write_bytes(xlsx([["Nguyễn Văn An", "an@stp.thanhhoa.gov.vn", "tha-so-tu-phap", "manager"]]))
    call_command("import_accounts", str(path))
    change = ObjectChange.objects.get(object_type__model="membership", object_id=str(membership.pk),
                                      action="update")
    assert change.origin and change.time is not None and change.request_id is not None
    assert (change.prechange_data["role"], change.postchange_data["role"]) == ("viewer", "manager")


def test_report_compute_preview_writes_nothing(client, world):
    """reporting:compute is exempt because it only renders: the posted grid changes no row and no history."""
    submission, clerk = _draft(client, world)
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.post(reverse("reporting:compute", args=[submission.pk]), {"v-3:3.1.1": "100", "v-3:3.1.2": "98"})
    assert response.status_code == 200 and "Có thay đổi chưa lưu" in response.content.decode()
    assert not ObjectChange.objects.filter(id__gt=last).exists() and not submission.values.exists()


def test_par_filled_upload_preview_writes_nothing(client, par, tmp_path):
    """par:filled_upload is exempt because it only previews: the upload changes no score and no history."""
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    before = list(par["commune"].scores.values_list("code", "self_points"))
    response, token = _filled_file(client, par, tmp_path)
    assert token and "tu-danh-gia.xlsx" in response.content.decode()
    assert not ObjectChange.objects.filter(id__gt=last).exists()
    assert list(par["commune"].scores.values_list("code", "self_points")) == before


@pytest.mark.parametrize("name", sorted(COMMAND_EXERCISES))
def test_each_writing_command_records_origin_time_and_before_after(db, request, tmp_path, name):
    from django.contrib.contenttypes.models import ContentType

    fixture, exercise = COMMAND_EXERCISES[name]
    value = request.getfixturevalue(fixture)
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    label, origin = exercise(value, tmp_path)
    model = apps.get_model(label)
    changes = ObjectChange.objects.filter(id__gt=last, object_type=ContentType.objects.get_for_model(model))
    assert changes.exists(), f"{name}: no change of {label} recorded"
    assert set(changes.values_list("origin", flat=True)) == {origin}
    assert changes.values("request_id").distinct().count() == 1  # one run, one request id
    for change in changes:
        assert change.user is None and change.time is not None
        assert change.postchange_data if change.action != "delete" else change.prechange_data
        if change.action == "update":
            assert change.prechange_data and change.field_changes(), f"{name}: an update with no before/after"


READ_ONLY_RUNS = {
    "par_templates": lambda tmp_path: ("par_templates",),
    "sipas_designs": lambda tmp_path: ("sipas_designs", "--json"),
    "plan_lineage": lambda tmp_path: ("plan_lineage", *_seed_pair()),
    "par_import_template": lambda tmp_path: (
        "par_import_template", str(_criteria_pdf()), "--key", "snv-2026-commune", "--unit-type", "commune",
        "--year", "2026", "--out", str(tmp_path / "bo.json")),
}


def _seed_pair():
    from tests.planning.conftest import COMMUNE_2022, PROVINCE_2022

    return str(PROVINCE_2022), str(COMMUNE_2022)


def _criteria_pdf():
    from tests.par.test_template_import import PDF

    return PDF


@pytest.mark.parametrize("name", sorted(READ_ONLY_RUNS))
def test_read_only_commands_write_no_history(registry, tmp_path, name):
    """A sample of READ_ONLY_COMMANDS run with valid input: no change is recorded, no logged row appears."""
    from cchc.history.models import ChangeLoggedModel

    logged = [m for m in apps.get_models() if issubclass(m, ChangeLoggedModel)]
    counts = {m: m._base_manager.count() for m in logged}
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _run(*READ_ONLY_RUNS[name](tmp_path))
    assert not ObjectChange.objects.filter(id__gt=last).exists()
    assert {m: m._base_manager.count() for m in logged} == counts


def test_refresh_statuses_writes_derived_columns_only(registry, plan_factory):
    """refresh_statuses stores each obligation's computed status as of today and records no change: the
    status is derived from what is recorded (milestones, progress) and the date."""
    from cchc.plans.models import Obligation
    from cchc.plans.services import issue_plan

    plan = plan_factory(registry["province"], tasks={"1": [("lead", registry["justice"])]})
    plan.tasks.get().milestones.create(kind="date", deadline_text="Trước ngày 30/6/2022", due="2022-06-30")
    issue_plan(plan)
    Obligation.objects.update(status_on=None)
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()
    _run("refresh_statuses")
    obligation = Obligation.objects.get()
    assert obligation.status_on is not None and obligation.status == "overdue"
    assert not ObjectChange.objects.filter(id__gt=last).exists()
