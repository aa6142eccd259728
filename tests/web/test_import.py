"""Plan documents in, stored plans out: command line, upload, review, and refusals."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cchc.demo import SEEDS_DIR
from cchc.plans.models import Assignment, Plan

KIEN_THO_2026 = SEEDS_DIR / "004_4c8b279deba99ff8.txt"


@pytest.fixture
def thanh_hoa(db):
    from cchc.units.registry import load_province

    load_province("thanh-hoa")
    from cchc.units.models import Unit

    return {
        "kien_tho": Unit.objects.get(kind="commune", name__endswith="Kiên Thọ", valid_from__isnull=False),
        "home_affairs": Unit.objects.filter(kind="department", name="Sở Nội vụ").first(),
    }


@pytest.fixture
def manager(thanh_hoa, make_user):
    return make_user("manager", thanh_hoa["kien_tho"], "manager")


def upload(client, path_or_bytes, name=None, **fields):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    document = SimpleUploadedFile(name or path_or_bytes.name, data)
    return client.post(reverse("plans:import"), {"document": document, **fields})


def test_import_plan_json_prints_the_plan_without_touching_the_database(capsys, db):
    call_command("import_plan", str(KIEN_THO_2026), "--json")
    parsed = json.loads(capsys.readouterr().out)
    assert parsed["year"] == 2026
    assert sum(len(section["tasks"]) for section in parsed["sections"]) == 50
    assert [s["area"] for s in parsed["sections"]] == [
        "institutions", "procedures", "organization", "civil_service", "public_finance",
        "digital_government", "direction",
    ]
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.txt", None, "không tìm thấy tệp"),
        ("plan.xls", b"\xd0\xcf\x11\xe0", "không được hỗ trợ"),
        ("broken.docx", b"not a zip at all", "broken.docx"),
        ("nonsense.txt", "Hôm nay trời đẹp.\nKhông có bảng nào.\n".encode(), "nonsense.txt"),
    ],
)
def test_bad_documents_exit_with_status_2_and_one_line(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "cchc", "import-plan", str(path), "--json"],
        capture_output=True, text=True, env={"CCHC_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert done.stdout == ""


def test_import_into_the_database_resolves_bodies_and_recognises_a_second_upload(thanh_hoa, capsys):
    call_command("import_plan", str(KIEN_THO_2026), "--issuer", thanh_hoa["kien_tho"].code)
    plan = Plan.objects.get()
    assert plan.status == "draft" and plan.issuer == thanh_hoa["kien_tho"] and plan.tasks.count() == 50
    assignments = Assignment.objects.filter(task__plan=plan)
    unresolved = set(assignments.filter(unit__isnull=True, unit_class__isnull=True).values_list("text", flat=True))
    vague = {"Các tổ chức, cá nhân", "Các đơn vị sự nghiệp y tế, giáo dục công lập"}
    assert all("liên quan" in text or text in vague for text in unresolved), unresolved
    office = assignments.get(task__number="1", task__section__area="institutions", role="lead").unit
    assert office.kind == "office" and office.parent == thanh_hoa["kien_tho"]
    assert assignments.filter(unit_class__key="communes").exists() or assignments.filter(unit__kind="department").exists()
    assert plan.source_sha256 and plan.source_text.startswith(KIEN_THO_2026.read_text(encoding="utf-8")[:20])
    call_command("import_plan", str(KIEN_THO_2026))
    assert "đã được nhập trước đây" in capsys.readouterr().out
    assert Plan.objects.count() == 1


def test_upload_review_edit_pick_and_issue(client, thanh_hoa, manager):
    client.force_login(manager)
    response = upload(client, KIEN_THO_2026)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:review", args=[plan.pk])

    review = client.get(response["Location"]).content.decode()
    assert 'id="L1"' in review and "review-task" in review
    task = plan.tasks.order_by("section__position", "position").first()
    assert f'data-first="{task.source_first_line}"' in review

    edit_url = reverse("plans:task_edit", args=[task.pk])
    assert "Cơ quan chủ trì" in client.get(edit_url).content.decode()
    row = client.post(edit_url, {
        "number": task.number, "content": "Nội dung đã sửa", "deadline_text": "Quý III/2026", "notes": "",
        "deliverables_text": "Báo cáo\nQuyết định", "lead_text": "Công chức Tư pháp - Hộ tịch",
        "coordinating_text": "Cơ quan không có thật",
    })
    assert row.status_code == 200 and "Nội dung đã sửa" in row.content.decode()
    task.refresh_from_db()
    assert task.deliverables == ["Báo cáo", "Quyết định"]
    milestone = task.milestones.get()
    assert (milestone.kind, milestone.due.isoformat()) == ("quarter", "2026-09-30")
    unresolved = task.assignments.get(text="Cơ quan không có thật")
    assert not unresolved.is_resolved

    picked = client.post(reverse("plans:pick_unit", args=[unresolved.pk]), {"unit_code": thanh_hoa["home_affairs"].code})
    assert picked.status_code == 200
    unresolved.refresh_from_db()
    assert unresolved.unit == thanh_hoa["home_affairs"]
    from cchc.units.registry import PlanBodyResolver

    unit, _ = PlanBodyResolver(plan.issuer, plan.reference_date)("Cơ quan không có thật")
    assert unit == thanh_hoa["home_affairs"]  # the alias was learned

    client.post(reverse("plans:issue", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.tasks.filter(obligations__isnull=False).exists()


def test_a_document_that_cannot_be_read_saves_nothing_and_says_where(client, manager):
    client.force_login(manager)
    response = upload(client, "Kế hoạch\n\nkhông có phụ lục nhiệm vụ nào\n".encode(), "hong.txt")
    page = response.content.decode()
    assert response.status_code == 400 and "Không đọc được “hong.txt”" in page and "Chưa có gì được lưu" in page
    assert not Plan.objects.exists()
    wrong_type = upload(client, b"abc", "bang.xlsx").content.decode()
    assert "không được hỗ trợ" in wrong_type


def test_import_and_review_are_refused_to_those_who_may_not_manage(client, thanh_hoa, manager, make_user):
    officer = make_user("officer", thanh_hoa["kien_tho"], "officer")
    client.force_login(manager)
    upload(client, KIEN_THO_2026)
    plan = Plan.objects.get()
    client.force_login(officer)
    assert client.get(reverse("plans:import")).status_code == 403
    assert client.get(reverse("plans:review", args=[plan.pk])).status_code == 403
    task = plan.tasks.first()
    assert client.post(reverse("plans:task_edit", args=[task.pk]), {"content": "x"}).status_code == 403
    stranger = make_user("stranger", thanh_hoa["home_affairs"], "manager")
    client.force_login(stranger)
    assert client.get(reverse("plans:review", args=[plan.pk])).status_code == 404
