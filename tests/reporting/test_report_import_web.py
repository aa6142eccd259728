"""A report issued outside cchc (seed 003 as a Word document) taken into a unit's draft submission
from its page: the annex figures and the narrative by reform area go in together, or nothing does;
the compiled report of the province quotes the narrative."""

from __future__ import annotations

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.history.models import ObjectChange
from cchc.reporting.models import ReportingPeriod, Submission
from cchc.reporting.services import form_set_of, open_submission, stored_values
from tests.core.test_report_reader import SEED_003, _inputs


@pytest.fixture(scope="module")
def seed003_docx(tmp_path_factory):
    """Seed 003 (a report of UBND tỉnh Thanh Hóa, 6 tháng đầu năm 2024) as a .docx, line by line."""
    document = docx.Document()
    for line in SEED_003.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    path = tmp_path_factory.mktemp("report") / "bao-cao-6-thang-2024.docx"
    document.save(path)
    return path


def _upload(client, submission, path):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("reporting:report_import", args=[submission.pk]), {"file": upload}, follow=True)


def test_the_issued_report_fills_the_draft_with_its_figures_and_narrative(
    period, registry, make_user, client_for, seed003_docx
):
    officer = make_user("vp", registry["province"], role="officer")
    submission = open_submission(period, registry["province"], officer)
    response = _upload(client_for(officer), submission, seed003_docx)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã nhập báo cáo bao-cao-6-thang-2024.docx" in page
    assert "Thuyết minh từ báo cáo đã ban hành" in page and "Cải cách TTHC" in page

    submission.refresh_from_db()
    inputs = set(form_set_of(submission).input_codes())
    expected = {c: v for c, v in _inputs().items() if c in inputs}
    stored = stored_values(submission)
    assert {c: stored[c] for c in expected if c in stored} == {c: v for c, v in expected.items() if c in stored}
    assert len(stored) >= 0.9 * len(expected)
    areas = [s["area"] for s in submission.narrative["sections"]]
    assert areas[-6:] == [
        "institutions", "procedures", "organization", "civil_service", "public_finance", "digital_government",
    ]
    procedures = next(s for s in submission.narrative_sections if s["area"] == "procedures")
    assert procedures["area_title"] == "Cải cách thủ tục hành chính" and len(procedures["text"]) > 1000
    assert submission.narrative["source"] == "bao-cao-6-thang-2024.docx"

    change = ObjectChange.objects.filter(object_type__model="submission", object_id=str(submission.pk),
                                         action="update").latest("time")
    assert change.user == officer and change.postchange_data["narrative"]["sections"]
    assert not change.prechange_data["narrative"]

    from cchc.reporting.report import default_sections, section_keys

    sections = default_sections(period)
    procedures_key = next(key for key, title in section_keys() if title.endswith("Cải cách thủ tục hành chính"))
    assert any(line.startswith("- UBND tỉnh Thanh Hóa: ") for line in sections[procedures_key])


def test_a_report_of_another_period_is_refused_and_nothing_is_stored(registry, make_user, client_for, seed003_docx):
    from cchc.reporting.formsets import current_version

    year = ReportingPeriod.objects.create(
        province=registry["province"], kind="year", year=2024, form_set=current_version(2024)
    )
    officer = make_user("vp", registry["province"], role="officer")
    submission = open_submission(year, registry["province"], officer)
    response = _upload(client_for(officer), submission, seed003_docx)
    page = response.content.decode()
    assert "là báo cáo kỳ 2024-H1, không phải kỳ" in page and "chưa có gì được lưu" in page
    submission.refresh_from_db()
    assert submission.narrative == {} and stored_values(submission) == {}


def test_a_spreadsheet_or_an_unreadable_file_is_refused_by_name(period, registry, make_user, client_for, tmp_path):
    officer = make_user("vp", registry["province"], role="officer")
    submission = open_submission(period, registry["province"], officer)
    fake = tmp_path / "bao-cao.pdf"
    fake.write_bytes(b"PK\x03\x04 not a pdf at all")
    page = _upload(client_for(officer), submission, fake).content.decode()
    assert "bao-cao.pdf" in page and "không nhận dạng được hoặc đã bị hỏng" in page
    sheet = tmp_path / "bieu-mau.xlsx"
    import openpyxl

    openpyxl.Workbook().save(sheet)
    page = _upload(client_for(officer), submission, sheet).content.decode()
    assert "bieu-mau.xlsx: chỉ nhập được báo cáo dạng .docx, .pdf hoặc .doc" in page
    text = tmp_path / "ghi-chu.docx"
    document = docx.Document()
    document.add_paragraph("Ghi chú họp giao ban, không phải báo cáo.")
    document.save(text)
    page = _upload(client_for(officer), submission, text).content.decode()
    assert "không tìm thấy số liệu biểu mẫu nào" in page
    submission.refresh_from_db()
    assert submission.narrative == {} and stored_values(submission) == {}


def test_only_who_may_edit_the_submission_may_import_into_it(period, registry, people, client_for, seed003_docx):
    submission = open_submission(period, registry["old_a"], people["commune"])
    assert _upload(client_for(people["viewer"]), submission, seed003_docx).status_code == 403
    assert _upload(client_for(people["other_commune"]), submission, seed003_docx).status_code == 404
    submission.refresh_from_db()
    assert submission.narrative == {}


def test_a_submitted_report_takes_nothing_in(period, registry, make_user, client_for, seed003_docx):
    officer = make_user("vp", registry["province"], role="officer")
    submission = open_submission(period, registry["province"], officer)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    response = _upload(client_for(officer), submission, seed003_docx)
    assert response.status_code == 200 and "đã gửi, đang chờ tiếp nhận: không sửa được" in response.content.decode()
    submission.refresh_from_db()
    assert submission.narrative == {}
