"""A filled annex from another province, with the small irregularities real ones have: a row code
printed twice, rows without a code (a sub-heading, a note, a total row), merged cells, an extra and a
missing column, numbers with spaces and footnote marks. Each is read through as a warning naming the
row, the value used and why; the values that can be read are read. Also `cchc check-forms` on it."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command

from cchc.core.statforms import load_form_set, read_form_document
from tests.core.test_statforms_documents import FORM_SET, printed_values, table_rows

HEADER = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]


def _table(document, header, rows):
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for i, text in enumerate(header):
        table.rows[0].cells[i].text = text
    for r, cells in enumerate(rows, start=1):
        for i, text in enumerate(cells):
            table.rows[r].cells[i].text = text
    return table


def irregular_annex(path):
    """Forms 3 and 6 of bnv-2024, filled from seed 003, made irregular the way real annexes are."""
    values = printed_values()
    document = docx.Document()
    document.add_paragraph("Phụ lục")
    # Biểu mẫu 3: an extra column "Kỳ trước", a row code printed twice, a sub-heading without code,
    # a total row, numbers with spaces and footnote marks, the unit merged into the value cell.
    form = FORM_SET.forms[2]
    document.add_paragraph(f"Biểu mẫu {form.number}")
    document.add_paragraph(form.title)
    rows = [cells[:4] + ["", cells[4]] for cells in table_rows(form, values, None)]
    by_stt = {cells[0].rstrip("."): i for i, cells in enumerate(rows)}
    rows[by_stt["1.1"]][3] = "1 234"  # thousands with a space: a plain number
    rows[by_stt["1.2"]][3] = "12 34"  # a stray space inside the digits
    rows[by_stt["1.3"]][3] = "56(*)"  # a footnote mark
    rows.insert(by_stt["2"], ["", "Trong đó:", "", "", "", ""])  # a sub-heading without code
    twice = list(rows[by_stt["1.3"]])
    twice[3] = "99"
    rows.insert(by_stt["1.3"] + 1, twice)  # the row 1.3 printed again with another number
    rows.append(["", "Tổng cộng", "", "9.999", "", ""])
    table = _table(document, ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Kỳ trước", "Ghi chú"], rows)
    target = next(i for i, cells in enumerate(rows, start=1) if cells[0].rstrip(".") == "2.1")
    table.rows[target].cells[2].merge(table.rows[target].cells[3])  # unit and value cells merged
    # Biểu mẫu 6: no "Đơn vị tính" column at all.
    form = FORM_SET.forms[5]
    document.add_paragraph(f"Biểu mẫu {form.number}")
    document.add_paragraph(form.title)
    six = [[c[0], c[1], c[3], c[4]] for c in table_rows(form, values, None)]
    _table(document, ["STT", "Nội dung chỉ tiêu", "Số liệu", "Ghi chú"], six)
    document.add_paragraph("Ghi chú: (*) số liệu ước tính.")
    document.save(path)
    return path


@pytest.fixture
def annex(tmp_path):
    return irregular_annex(tmp_path / "phu-luc-tinh-khac.docx")


def test_irregular_annex_is_read_with_a_warning_for_each_irregularity(annex):
    read = read_form_document(annex)
    values = printed_values()
    assert read.problems == []
    assert read.values["3:1.1"] == Decimal("1234")
    assert read.values["3:1.2"] == Decimal("1234")
    assert read.values["3:1.3"] == Decimal("56")  # the first of the two rows 1.3
    assert "3:2.1" not in read.values  # its value cell was merged into the unit cell
    assert read.values["3:2.2"] == Decimal(values["3:2.2"].replace(".", "").replace(",", "."))
    assert read.recognised == "bnv-2024"
    warnings = "\n".join(read.warnings)
    expected = [
        "Biểu mẫu 3: cột «Kỳ trước» không thuộc mẫu; bỏ qua cột này.",
        "Dòng 3:1.2: số in «12 34» đọc là 1.234 (bỏ khoảng trắng giữa các chữ số).",
        "Dòng 3:1.3: số in «56(*)» đọc là 56 (bỏ dấu chú thích «(*)»).",
        "Dòng 3:1.3: mã chỉ tiêu in hai lần; giữ số «56(*)» của dòng đầu, bỏ số «99» của dòng sau.",
        "hàng «Trong đó:» không có mã chỉ tiêu (tiêu đề phụ hoặc ghi chú); bỏ qua hàng.",
        "hàng tổng «Tổng cộng» không có mã chỉ tiêu (số in «9.999» không nhập); bỏ qua, tổng do hệ thống tính.",
        "Dòng 3:2.1: ô «Số liệu» gộp với ô «Đơn vị tính»; để trống «Số liệu».",
        "Biểu mẫu 6: bảng thiếu cột «Đơn vị tính»; đơn vị lấy theo tên chỉ tiêu.",
    ]
    for message in expected:
        assert message in warnings
    assert "Biểu mẫu 3, hàng sau dòng 3:1.4.3: hàng «Trong đó:»" in warnings
    # Form 6 without its unit column still gives its values.
    assert any(code.startswith("6:") for code in read.values)


def test_a_value_cell_merged_with_the_row_above_is_not_read_twice(tmp_path):
    document = docx.Document()
    document.add_paragraph("Biểu mẫu 3")
    table = _table(document, HEADER, [["1.", "Thống kê TTHC", "", "", ""],
                                      ["1.1", "Số TTHC đã được phê duyệt", "Thủ tục", "12", ""],
                                      ["1.2", "Số TTHC công bố mới", "Thủ tục", "", ""]])
    table.rows[2].cells[3].merge(table.rows[3].cells[3])
    path = tmp_path / "gop-doc.docx"
    document.save(path)
    read = read_form_document(path)
    assert read.values == {"3:1.1": Decimal("12")}
    assert "Dòng 3:1.2: ô «Số liệu» gộp với dòng trên; không lấy lại giá trị của dòng trên, để trống." in read.warnings


def test_check_forms_reads_through_and_reports_warnings(annex):
    out = io.StringIO()
    call_command("check_forms", str(annex), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["form_set"] == "bnv-2024"
    assert result["values"]["3:1.1"] == 1234
    reading = [f for f in result["findings"] if f["rule"] == "read"]
    assert reading and all(f["severity"] == "warning" for f in reading)
    assert any(f["codes"] == ["3:1.3"] and "hai lần" in f["message"] for f in reading)
    text = io.StringIO()
    call_command("check_forms", str(annex), stdout=text)
    assert "[CẢNH BÁO] Dòng 3:1.2: số in «12 34» đọc là 1.234" in text.getvalue()


def test_an_unreadable_number_is_a_warning_while_other_values_are_read(tmp_path):
    document = docx.Document()
    document.add_paragraph("Biểu mẫu 3")
    _table(document, HEADER, [["1.", "Thống kê TTHC", "", "", ""],
                              ["1.1", "Số TTHC đã được phê duyệt", "Thủ tục", "12", ""],
                              ["1.2", "Số TTHC công bố mới", "Thủ tục", "khoảng mười", ""]])
    path = tmp_path / "so-chu.docx"
    document.save(path)
    out = io.StringIO()
    call_command("check_forms", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["values"]["3:1.1"] == 12
    assert any("Dòng 3:1.2" in f["message"] and f["severity"] == "warning" for f in result["findings"])


def test_document_without_district_rows_is_still_recognised(tmp_path):
    """A newer annex without the district rows (after the two-level local government) is a subset of
    the set, so it is recognised; rows the set does not have are named in a warning."""
    document = docx.Document()
    document.add_paragraph("Biểu mẫu 3")
    form = FORM_SET.forms[2]
    rows = [c for c in table_rows(form, printed_values(), None) if "cấp huyện" not in c[1]]
    rows.append(["9.1", "Chỉ tiêu mới của bộ biểu mẫu sau sắp xếp", "Thủ tục", "3", ""])
    _table(document, HEADER, rows)
    path = tmp_path / "khong-cap-huyen.docx"
    document.save(path)
    read = read_form_document(path)
    assert read.recognised == "bnv-2024"
    assert not any("cấp huyện" in FORM_SET.rows[c].name for c in read.values if c in FORM_SET.rows)
    assert any("3:9.1" in w and "không có trong bộ này" in w for w in read.warnings)
    assert set(load_form_set("bnv-2024").rows) >= set(read.values) - {"3:9.1"}


@pytest.mark.skipif(
    __import__("cchc.core.office", fromlist=["soffice_path"]).soffice_path() is None
    and not __import__("os").environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; CI installs it",
)
def test_an_annex_saved_as_word_97_is_read_like_its_docx(annex, tmp_path):
    from cchc.core.office import convert_with_soffice

    legacy = convert_with_soffice(annex, tmp_path / "doc", "doc:MS Word 97")
    assert legacy.suffix == ".doc"
    from_docx, from_doc = read_form_document(annex), read_form_document(legacy)
    assert from_doc.values == from_docx.values
    assert from_doc.recognised == "bnv-2024"
    out = io.StringIO()
    call_command("check_forms", str(legacy), "--json", stdout=out)
    assert json.loads(out.getvalue())["values"]["3:1.1"] == 1234
