"""My work, the inline update with evidence, the obligation page, exports, and refusals."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.plans.models import Obligation
from cchc.tracking.models import Evidence, ProgressUpdate


@pytest.fixture
def officer(kien_tho_plan, make_user):
    return make_user("officer", kien_tho_plan.issuer, "officer")


@pytest.fixture
def stranger(kien_tho_plan, make_user):
    from cchc.units.models import Unit

    return make_user("stranger", Unit.objects.get(code="38.15991"), "officer")  # xã Hoằng Tiến


def test_my_work_groups_the_units_obligations(client, kien_tho_plan, officer):
    client.force_login(officer)
    page = client.get(reverse("tracking:my_work"), {"ngay": "01/07/2026"}).content.decode()
    assert "Việc của UBND xã Kiên Thọ" in page and "01/07/2026" in page
    assert "Quá hạn" in page or "Đến hạn trong 30 ngày" in page or "Đang thực hiện" in page
    commune = kien_tho_plan.issuer
    own = Obligation.objects.filter(task__plan=kien_tho_plan, unit=commune).count()
    offices = Obligation.objects.filter(task__plan=kien_tho_plan, unit__parent=commune, unit__kind="office").count()
    assert offices > 0  # the plan assigns most tasks to the commune's own offices and posts
    assert f"{own + offices} nhiệm vụ" in page
    assert "Công chức" in page or "Văn phòng" in page


def test_plan_filter_lists_the_units_plans_whatever_the_other_filters(client, kien_tho_plan, officer):
    client.force_login(officer)
    option = f'<option value="{kien_tho_plan.pk}"'
    nothing_done = client.get(reverse("tracking:my_work"), {"ngay": "06/01/2026", "tinh_trang": "done_on_time"})
    text = nothing_done.content.decode()
    assert "0 nhiệm vụ" in text  # no row left on the page ...
    assert option in text and "UBND xã Kiên Thọ 2026" in text  # ... and the plan can still be chosen
    no_words = client.get(reverse("tracking:my_work"), {"q": "không có nhiệm vụ nào như thế"}).content.decode()
    assert option in no_words


def test_inline_update_with_evidence_file(client, kien_tho_plan, officer, pdf_bytes):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(officer)
    form = client.get(reverse("tracking:update", args=[obligation.pk]), {"inline": "1"}).content.decode()
    assert "Lưu cập nhật" in form and 'hx-post' in form
    response = client.post(reverse("tracking:update", args=[obligation.pk]), {
        "inline": "1", "state": "done", "completed_on": "15/03/2026", "narrative": "Đã ban hành kế hoạch.",
        "evidence_reference": "Quyết định số 1810/QĐ-UBND ngày 06/5/2024", "evidence_title": "Quyết định ban hành",
        "evidence_file": SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes),
    })
    assert response.status_code == 200 and f'id="obligation-{obligation.pk}"' in response.content.decode()
    update = ProgressUpdate.objects.get()
    assert update.percent == 100 and update.author == officer
    evidence = Evidence.objects.get()
    assert (evidence.doc_kind, evidence.doc_number, evidence.doc_symbol, evidence.doc_date) == (
        "Quyết định", "1810", "QĐ-UBND", datetime.date(2024, 5, 6))
    assert evidence.file_kind == "pdf"
    obligation.refresh_from_db()
    assert obligation.completed_on == datetime.date(2026, 3, 15) and obligation.status.startswith("done")
    download = client.get(reverse("tracking:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_disguised_file_is_refused_and_nothing_is_saved(client, kien_tho_plan, officer):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(officer)
    response = client.post(reverse("tracking:update", args=[obligation.pk]), {
        "state": "in_progress", "evidence_file": SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    })
    assert response.status_code == 400 and "bao-cao.pdf" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_another_commune_cannot_see_or_update(client, kien_tho_plan, officer, stranger, pdf_bytes):
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(officer)
    client.post(reverse("tracking:update", args=[obligation.pk]), {
        "state": "done", "evidence_file": SimpleUploadedFile("a.pdf", pdf_bytes)})
    evidence = Evidence.objects.get()
    client.force_login(stranger)
    assert client.get(obligation.get_absolute_url()).status_code == 404
    assert client.post(reverse("tracking:update", args=[obligation.pk]), {"state": "done"}).status_code == 404
    assert client.get(reverse("tracking:evidence_file", args=[evidence.pk])).status_code == 404
    assert client.get(f"/api/obligations/{obligation.pk}/").status_code == 404
    assert client.get(reverse("tracking:my_work"), {"don_vi": obligation.unit.pk}).status_code == 404


def test_viewer_sees_but_cannot_update(client, kien_tho_plan, make_user):
    viewer = make_user("viewer", kien_tho_plan.issuer, "viewer")
    obligation = Obligation.objects.filter(task__plan=kien_tho_plan, unit=kien_tho_plan.issuer).first()
    client.force_login(viewer)
    page = client.get(obligation.get_absolute_url()).content.decode()
    assert "Cập nhật tiến độ" not in page
    assert client.post(reverse("tracking:update", args=[obligation.pk]), {"state": "done"}).status_code == 403


def test_coordinating_contributions_show_on_the_leads_page(client, kien_tho_plan, make_user):
    lead = coordinating = None
    for obligation in Obligation.objects.filter(task__plan=kien_tho_plan, role="coordinating").select_related("task"):
        lead = Obligation.objects.filter(task=obligation.task, role="lead").first()
        if lead:
            coordinating = obligation
            break
    assert lead and coordinating
    helper = make_user("helper", coordinating.unit, "officer")
    client.force_login(helper)
    client.post(reverse("tracking:update", args=[coordinating.pk]), {"state": "in_progress", "percent": "40",
                                                                      "narrative": "Đã phối hợp rà soát 12 thủ tục."})
    lead_user = make_user("lead", lead.unit, "officer") if lead.unit != coordinating.unit else helper
    client.force_login(lead_user)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Đã phối hợp rà soát 12 thủ tục." in page and "Đơn vị khác cùng thực hiện" in page


def test_export_to_xlsx(client, kien_tho_plan, officer):
    client.force_login(officer)
    response = client.get(reverse("tracking:my_work"), {"xuat": "xlsx", "ngay": "01/07/2026"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("01/07/2026")
    assert [c.value for c in sheet[2]][:4] == ["Kế hoạch", "Lĩnh vực", "TT", "Nhiệm vụ"]
    statuses = {row[8] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert statuses and statuses <= {"Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành, trong hạn",
                                     "Chưa hoàn thành, quá hạn", "Chưa đến điều kiện thực hiện"}
