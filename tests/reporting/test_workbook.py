"""Export in the official layout, import of a filled .xlsx into a draft, refusal of a broken file."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.statforms import load_form_set
from cchc.reporting import services
from cchc.reporting.workbook import HEADER, forms_workbook

from .helpers import enter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _rows_by_stt(sheet):
    return {str(sheet.cell(r, 1).value).rstrip("."): r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}


def test_blank_export_official_layout(registry, period, people, client_for):
    response = client_for(people["commune"]).get(f"/bao-cao/bieu-mau-trong/{period.form_set.pk}.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    form_set = load_form_set("bnv-2024")
    assert workbook.sheetnames == [f"Biểu mẫu {n}" for n in range(1, 8)]
    sheet = workbook["Biểu mẫu 3"]
    assert sheet["A1"].value == "Biểu mẫu 3"
    assert sheet["A2"].value == "Cải cách thủ tục hành chính"
    assert [c.value for c in sheet[3]] == HEADER == ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
    assert [c.value for c in sheet[4]][:2] == ["III.", "Cải cách thủ tục hành chính"]
    rows = _rows_by_stt(sheet)
    assert len(rows) == len(form_set.forms[2].codes)
    r = rows["3.1.2"]
    assert [sheet.cell(r, c).value for c in range(1, 4)] == ["3.1.2", "Số hồ sơ TTHC giải quyết đúng hạn", "Hồ sơ"]
    assert sheet.cell(rows["3.1"], 1).value == "3.1."
    assert all(sheet.cell(r, 4).value is None for r in rows.values())
    assert workbook["Biểu mẫu 1"].cell(_rows_by_stt(workbook["Biểu mẫu 1"])["6"], 3).value == "Có = 1\nKhông = 0"


def test_filled_xlsx_is_imported_into_the_draft(registry, period, people, client_for, seed003):
    client = client_for(people["commune"])
    submission, _ = enter(client, period, registry["old_a"], {"1:1": 7, "2:1.1": 3})
    blank = client.get(f"/bao-cao/so-lieu/{submission.pk}/bieu-mau.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(blank.content))
    sheet = workbook["Biểu mẫu 1"]
    assert sheet.cell(_rows_by_stt(sheet)["1"], 4).value == 7  # the export is filled with the draft
    sheet.cell(_rows_by_stt(sheet)["1"], 4).value = 36
    sheet = workbook["Biểu mẫu 3"]
    rows = _rows_by_stt(sheet)
    sheet.cell(rows["3.1.1"], 4).value = 238146
    sheet.cell(rows["3.1.2"], 4).value = "238.144"  # typed as text, the Vietnamese way
    sheet.cell(rows["3.1.2"], 5).value = "Tính đến ngày 11/6/2024"
    sheet.cell(rows["3.1"], 4).value = 99.99  # a printed derived value: checked, not stored
    sheet = workbook["Biểu mẫu 2"]
    sheet.cell(_rows_by_stt(sheet)["1.1"], 4).value = None  # a cleared cell clears the row
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload = SimpleUploadedFile("so-lieu-hoang-tien.xlsx", buffer.getvalue(), content_type=XLSX)
    response = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": upload}, follow=True)
    assert "Đã nhập tệp so-lieu-hoang-tien.xlsx" in response.content.decode()
    values = services.stored_values(submission)
    assert values["1:1"] == 36 and values["3:3.1.1"] == 238146 and values["3:3.1.2"] == 238144
    assert "3:3.1" not in values and "2:1.1" not in values
    assert services.stored_notes(submission)["3:3.1.2"] == "Tính đến ngày 11/6/2024"
    assert submission.values.get(code="3:3.1.1").source == "import"


def test_broken_file_is_refused_naming_file_row_and_column(registry, period, people, client_for):
    client = client_for(people["commune"])
    submission, _ = enter(client, period, registry["old_a"], {"1:1": 7})
    form_set = load_form_set("bnv-2024")
    workbook = openpyxl.load_workbook(io.BytesIO(forms_workbook(form_set)))
    sheet = workbook["Biểu mẫu 3"]
    rows = _rows_by_stt(sheet)
    sheet.cell(rows["3.1.1"], 4).value = 500
    sheet.cell(rows["3.2.1"], 4).value = "12,5,3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("bieu-loi.xlsx", buffer.getvalue(), content_type=XLSX)
    html = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": upload}, follow=True).content.decode()
    assert "Không nhập được tệp bieu-loi.xlsx" in html
    assert f"Tệp bieu-loi.xlsx, trang tính «Biểu mẫu 3», dòng {rows['3.2.1']} (chỉ tiêu 3:3.2.1), cột «Số liệu»" in html
    assert services.stored_values(submission) == {"1:1": Decimal(7)}  # nothing imported

    not_a_form = SimpleUploadedFile("ghi-chu.xlsx", _plain_workbook(), content_type=XLSX)
    html = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": not_a_form}, follow=True).content.decode()
    assert "ghi-chu.xlsx" in html and "không tìm thấy bảng biểu mẫu" in html

    disguised = SimpleUploadedFile("so-lieu.xlsx", b"MZ\x90\x00 not a workbook", content_type=XLSX)
    html = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": disguised}, follow=True).content.decode()
    assert "so-lieu.xlsx" in html
    assert services.stored_values(submission) == {"1:1": Decimal(7)}


def _plain_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Danh sách", "không phải biểu mẫu"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_docx_import_names_table_and_row(registry, period, people, client_for):
    import docx

    client = client_for(people["commune"])
    submission, _ = enter(client, period, registry["old_a"], {})
    form_set = load_form_set("bnv-2024")
    document = docx.Document()
    form = form_set.forms[0]
    document.add_paragraph(f"Biểu mẫu {form.number}")
    document.add_paragraph(form.title)
    table = document.add_table(rows=1, cols=5)
    for i, text in enumerate(HEADER):
        table.rows[0].cells[i].text = text
    values = {"1:1": "36", "1:5.1": "85", "1:5.2": "abc"}
    for code in form.codes:
        row = form_set.rows[code]
        cells = table.add_row().cells
        for i, text in enumerate([row.stt + ".", row.name, row.unit or "", values.get(code, ""), ""]):
            cells[i].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    line = 1 + form.codes.index("1:5.2") + 1
    upload = SimpleUploadedFile("bao-cao-xa.docx", buffer.getvalue())
    html = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": upload}, follow=True).content.decode()
    assert f"Tệp bao-cao-xa.docx, bảng 1, dòng {line} (chỉ tiêu 1:5.2), cột «Số liệu»" in html
    assert services.stored_values(submission) == {}

    values["1:5.2"] = "17"
    table.rows[line - 1].cells[3].text = "17"
    buffer = io.BytesIO()
    document.save(buffer)
    client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": SimpleUploadedFile("bao-cao-xa.docx", buffer.getvalue())})
    assert services.stored_values(submission) == {"1:1": 36, "1:5.1": 85, "1:5.2": 17}


def test_an_annex_of_a_renumbered_form_set_is_refused_naming_the_rows(registry, period, people, client_for, tmp_path):
    """A reissued annex (district rows dropped, numbering closed up) into a bnv-2024 period: its
    "1:3.2" is another row than the period's, so nothing is stored rather than values on wrong rows."""
    from tests.core.test_statforms_two_level import two_level_annex

    client = client_for(people["commune"])
    submission, _ = enter(client, period, registry["old_a"], {"1:1": 7})
    path = two_level_annex(tmp_path / "phu-luc-2-cap.docx", values={"1:1": "12", "1:3.2": "100"})
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type=DOCX)
    html = client.post(f"/bao-cao/so-lieu/{submission.pk}/nhap-tep/", {"file": upload}, follow=True).content.decode()
    assert "Không nhập được tệp phu-luc-2-cap.docx" in html
    assert "chỉ tiêu 1:3.2 trong tệp là «Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra»" in html
    assert "trong bộ biểu mẫu bnv-2024 của kỳ báo cáo là «Số UBND cấp huyện đã kiểm tra»" in html
    assert services.stored_values(submission) == {"1:1": Decimal(7)}  # nothing imported
