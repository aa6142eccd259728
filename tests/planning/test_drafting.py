"""Drafting next year's plan ("Lập kế hoạch năm sau") and its Kế hoạch .docx: each drafted task
carries its origin; deadlines move to the new year; the document has the official layout, reads
back with the plan reader, and LibreOffice renders it."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from cchc.planning.drafting import DraftRefused, create_draft, propose_draft
from cchc.planning.models import DraftOrigin, TaskLineage
from cchc.plans.models import Plan


def drafted(plan):
    """content → (origin, deadline text, parent task id) of each task of a drafted plan."""
    origins = {o.task_id: o.origin for o in DraftOrigin.objects.filter(task__plan=plan)}
    return {t.content: (origins.get(t.pk), t.deadline_text, t.parent_id) for t in plan.tasks.all()}


def test_proposal_from_last_year_and_the_parent_plan(world):
    proposal = propose_draft(world["home_affairs"], 2027)
    assert proposal.previous == world["department_2026"] and proposal.parent == world["province_2027"]
    by_origin = {}
    for c in proposal.candidates:
        by_origin.setdefault(c.origin, []).append(c)
    recurring = by_origin["recurring"][0]
    # wording and deadline moved to the new year
    assert recurring.content == "Theo dõi, đôn đốc thực hiện kế hoạch cải cách hành chính năm 2027"
    assert recurring.deadline_text == "Thường xuyên" and recurring.source == world["recurring"]
    carried = by_origin["carried_over"][0]
    assert carried.content == "Xây dựng đề án vị trí việc làm năm 2027"
    assert carried.deadline_text == "Trước ngày 15/12/2027"
    # the parent's task for the departments; not the communes' one, not last year's finished task
    assert [c.source for c in by_origin["parent"]] == [world["p27_departments"]]
    assert all(c.source != world["done"] for c in proposal.candidates)
    assert [t["value"] for t in proposal.targets] == [99]  # the parent's targets


def test_draft_created_with_origins_lineage_and_shifted_milestones(world, make_user):
    import datetime

    plan = create_draft(propose_draft(world["home_affairs"], 2027), user=world["home_manager"])
    assert plan.status == "draft" and plan.year == 2027 and plan.parent == world["province_2027"]
    tasks = drafted(plan)
    assert tasks["Xây dựng đề án vị trí việc làm năm 2027"][:2] == ("carried_over", "Trước ngày 15/12/2027")
    assert tasks["Thực hiện cơ chế tự chủ tài chính tại các đơn vị sự nghiệp"] == (
        "parent", "Quý IV/2027", world["p27_departments"].pk)
    carried = plan.tasks.get(content__startswith="Xây dựng đề án")
    assert [m.due for m in carried.milestones.all()] == [datetime.date(2027, 12, 15)]
    assert carried.assignments.get().unit == world["home_affairs"]
    # recurring and carried-over tasks are remembered as lineage from last year
    assert set(TaskLineage.objects.filter(child__plan=plan).values_list("parent_id", "relation", "status")) == {
        (world["recurring"].pk, "year", "confirmed"), (world["unfinished"].pk, "year", "confirmed")}
    assert plan.targets.get().value == 99
    assert plan.sections.count() == 7


def test_nothing_to_draft_from_is_refused_in_vietnamese(world):
    with pytest.raises(DraftRefused, match="chưa có kế hoạch năm 2029"):
        propose_draft(world["justice"], 2030)


def test_drafting_screen_preselects_and_creates_the_chosen_tasks(client, world):
    client.force_login(world["home_manager"])
    url = reverse("planning:draft")
    assert f'href="{url}" id="draft-next-year"' in client.get(reverse("plans:list")).content.decode()
    own = client.get(world["department_2026"].get_absolute_url()).content.decode()
    assert f'href="{url}?don_vi={world["home_affairs"].pk}&amp;nam=2027" class="draft-next-year"' in own
    page = client.get(url, {"don_vi": world["home_affairs"].pk, "nam": "2027"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nhiệm vụ năm trước chưa hoàn thành, chuyển tiếp" in text and "Nhiệm vụ của kế hoạch cấp trên giao" in text
    candidates = page.context["proposal"].candidates
    assert all(c.preselected for c in candidates)
    keep = [c.key for c in candidates if c.origin != "recurring"]
    token = page.context["token"]
    response = client.post(url, {"don_vi": world["home_affairs"].pk, "nam": "2027", "chon": keep, "token": token})
    plan = Plan.objects.get(issuer=world["home_affairs"], year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("plans:review", args=[plan.pk])
    assert {o for o, _, _ in drafted(plan).values()} == {"carried_over", "parent"}
    # a double submit lands on the same draft
    again = client.post(url, {"don_vi": world["home_affairs"].pk, "nam": "2027", "chon": keep, "token": token})
    assert again["Location"] == response["Location"] and Plan.objects.filter(year=2027,
                                                                             issuer=world["home_affairs"]).count() == 1
    # the review screen shows where each task came from
    review = client.get(response["Location"]).content.decode()
    assert "draft-origin" in review and "từ nhiệm vụ 1 kế hoạch năm 2026" in review


def test_drafting_refused_for_units_the_user_does_not_manage(client, world):
    url = reverse("planning:draft")
    client.force_login(world["kt_manager"])
    assert client.get(url, {"don_vi": world["home_affairs"].pk}).status_code == 404
    response = client.post(url, {"don_vi": world["home_affairs"].pk, "nam": "2027", "chon": []})
    assert response.status_code == 404 and not Plan.objects.filter(issuer=world["home_affairs"], year=2027).exists()
    client.force_login(world["kt_viewer"])
    assert client.get(url).status_code == 403
    assert client.get(url, {"don_vi": world["new_b"].pk}).status_code == 404  # a viewer manages nothing


def test_drafting_screen_bad_year_and_stale_choice(client, world):
    client.force_login(world["home_manager"])
    url = reverse("planning:draft")
    page = client.get(url, {"don_vi": world["home_affairs"].pk, "nam": "20x7"})
    assert "Năm “20x7” không hợp lệ" in page.content.decode() and page.context["year"] == 2027
    response = client.post(url, {"don_vi": world["home_affairs"].pk, "nam": "2027", "chon": ["prev-999999"]})
    assert response.status_code == 400 and "không còn hợp lệ" in response.content.decode()
    assert not Plan.objects.filter(issuer=world["home_affairs"], year=2027).exists()


def test_drafted_plan_edited_issued_and_downloaded(client, world):
    plan = create_draft(propose_draft(world["home_affairs"], 2027))
    client.force_login(world["home_manager"])
    response = client.post(reverse("plans:issue", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "issued" and plan.tasks.filter(obligations__unit=world["home_affairs"]).exists()
    download = client.get(reverse("planning:docx", args=[plan.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="ke-hoach-cchc-2027-{plan.pk}.docx"'
    document = open_docx(download.content)
    body = [p.text for p in document.paragraphs]
    for heading in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ TRỌNG TÂM", "III. TỔ CHỨC THỰC HIỆN", "PHỤ LỤC"):
        assert heading in body, heading
    assert any(t.startswith("Thực hiện Kế hoạch số 300/KH-UBND của UBND tỉnh Thanh Hóa") for t in body)
    masthead = " ".join(c.text for c in document.tables[0]._cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in masthead and "Độc lập - Tự do - Hạnh phúc" in masthead
    assert "UBND TỈNH THANH HÓA" in masthead and "SỞ NỘI VỤ" in masthead and "Số:" in masthead
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì",
                                                        "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"]
    rows = [[c.text for c in r.cells] for r in appendix.rows[1:]]
    assert ["1", "Xây dựng đề án vị trí việc làm năm 2027", "Sở Nội vụ", "", "", "Trước ngày 15/12/2027"] in rows
    from docx.enum.section import WD_ORIENT

    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_docx_refused_outside_scope(client, world):
    plan = create_draft(propose_draft(world["home_affairs"], 2027))
    client.force_login(world["kt_manager"])  # a draft of a department is not the commune's to see
    assert client.get(reverse("planning:docx", args=[plan.pk])).status_code == 404


def test_docx_reads_back_with_the_plan_reader_and_libreoffice_renders_it(world, tmp_path):
    from cchc.core.plan_reader import read_plan
    from cchc.planning.documents import build_plan_docx, plan_document

    plan = create_draft(propose_draft(world["home_affairs"], 2027))
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(build_plan_docx(plan_document(plan)))
    parsed = read_plan(path)
    assert parsed["year"] == 2027 and parsed["title"] == "Kế hoạch cải cách hành chính năm 2027"
    read = sorted(t["content"] for s in parsed["sections"] for t in s["tasks"])
    assert read == sorted(plan.tasks.values_list("content", flat=True))

    soffice, pdftoppm = tool("soffice", "libreoffice-writer-nogui"), tool("pdftoppm", "poppler-utils")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "ke-hoach.pdf"
    assert pdf.exists(), "LibreOffice did not convert the plan"
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        text = " ".join(" ".join((p.extract_text() or "") for p in document.pages).split())
        last = document.pages[-1]
        assert last.width > last.height  # the landscape appendix survived
    for piece in ("KẾ HOẠCH", "CỘNG HÒA XÃ HỘI", "MỤC ĐÍCH, YÊU CẦU", "PHỤ LỤC", "Trước ngày 15/12/2027"):
        assert piece in text, piece
    subprocess.run([pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    from PIL import Image

    with Image.open(next(tmp_path.glob("page*.png"))) as image:
        width, height = image.size
        dark = sum(image.convert("L").histogram()[:128])
    assert 1.38 < height / width < 1.45 and dark > 0.01 * width * height


def open_docx(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install --no-install-recommends {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: required under CI=true")
    pytest.skip(message)


def test_par_index_criteria_with_lost_points_become_tasks(world, make_user):
    """(d): the commune's 2025 PAR Index, published, lost points on 1.2 and 3.1: two tasks."""
    from decimal import Decimal

    from cchc.par import services
    from cchc.par.models import LeafScore
    from tests.par.conftest import definition

    template = services.store_template(definition("commune"))
    rnd = services.open_round(world["province"], 2025, deadline=datetime.date(2099, 12, 31),
                              cutoff=datetime.date(2025, 12, 14), templates=[template])
    assessment = rnd.assessments.get(unit=world["new_b"])
    for code, points in {"1.1": "3", "1.2": "0", "1.3": "3", "2.1": "4", "2.2": "2", "3.1": "2.5", "3.2": "2"}.items():
        LeafScore.objects.update_or_create(assessment=assessment, code=code, defaults={
            "area": code.split(".")[0], "self_points": Decimal(points)})  # as the council fixed them
    proposal = propose_draft(world["new_b"], 2027)
    assert not [c for c in proposal.candidates if c.origin == "par_index"]  # the round is still open
    rnd.status = "published"
    rnd.save()
    proposal = propose_draft(world["new_b"], 2027)
    par = [c for c in proposal.candidates if c.origin == "par_index"]
    assert [(c.area, c.content) for c in par] == [  # in the plan's area order
        ("procedures", "Khắc phục hạn chế tại tiêu chí 3.1 “Tỷ lệ hồ sơ giải quyết đúng hạn” của Chỉ số CCHC "
                       "năm 2025 (đạt 2,5/4 điểm)"),
        ("direction", "Khắc phục hạn chế tại tiêu chí 1.2 “Ban hành kế hoạch CCHC năm đúng hạn” của Chỉ số CCHC "
                      "năm 2025 (đạt 0/2 điểm)"),
    ]
    plan = create_draft(proposal)
    task = plan.tasks.get(content__contains="tiêu chí 3.1")
    assert task.draft_origin.origin == "par_index" and task.deadline_text == "Trong năm 2027"
    assert task.assignments.get().unit == world["new_b"] and task.milestones.get().due == datetime.date(2027, 12, 31)
