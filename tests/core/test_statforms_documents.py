"""Forms in the official layout (STT | Nội dung chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú) built
with openpyxl / python-docx and read back into the same rows and values."""

from __future__ import annotations

import json
from decimal import Decimal

import docx
import openpyxl
import pytest

from cchc.core.statforms import (
    FORMS_DIR,
    FormReadError,
    format_vn_number,
    load_form_set,
    parse_vn_number,
    read_form_document,
)

HEADER = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
FORM_SET = load_form_set("bnv-2024")
with (FORMS_DIR / "seed-003-values.json").open(encoding="utf-8") as _fh:
    SEED = json.load(_fh, parse_float=Decimal)


def printed_values() -> dict[str, str]:
    """The seed's cells as printed: raw values, derived values and dashes."""
    out = {
        c: format_vn_number(Decimal(str(v)), -Decimal(str(v)).as_tuple().exponent)
        for c, v in SEED["inputs"].items()
    }
    out |= SEED["printed_derived"]
    out |= {c: "-" for c in SEED["dashes"]}
    return out


def unit_cell(row) -> str:
    # Coded units are written one code per line, as on the printed forms.
    return "\n".join(f"{c.label} = {c.code}" for c in row.choices) if row.choices else (row.unit or "")


def table_rows(form, values: dict[str, str] | None, notes: dict[str, str] | None):
    yield [f"{form.section}.", form.section_title, "", "", ""]
    for code in form.codes:
        row = FORM_SET.rows[code]
        stt = row.stt + ("." if row.stt.count(".") < 2 else "")  # "2.1." and "3.1.2", as printed
        yield [stt, row.name, unit_cell(row), (values or {}).get(code, ""), (notes or {}).get(code, "")]


def rows_of(form_set):
    return [(r.code, r.name, r.unit, r.value_type, r.parent, r.choices) for r in form_set.rows.values()]


def test_blank_xlsx_one_sheet_per_form(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for form in FORM_SET.forms:
        sheet = workbook.create_sheet(f"Biểu mẫu {form.number}")
        sheet.append([f"Biểu mẫu {form.number}"])
        sheet.append([form.title])
        sheet.append(HEADER)
        for cells in table_rows(form, None, None):
            sheet.append(cells)
    path = tmp_path / "bieu-mau-trong.xlsx"
    workbook.save(path)

    document = read_form_document(path)
    assert rows_of(document.form_set) == rows_of(FORM_SET)
    assert [f.title for f in document.form_set.forms] == [f.title for f in FORM_SET.forms]
    assert document.values == {} and not document.filled
    assert document.recognised == "bnv-2024"
    # Proposed formulas equal the confirmed ones, so the read set is the same version.
    assert document.form_set.version == FORM_SET.version
    assert all(r.formula.status == "proposed" for r in document.form_set.rows.values() if r.formula)


def test_filled_docx_reads_back_rows_values_and_notes(tmp_path):
    values = printed_values()
    document = docx.Document()
    document.add_paragraph("Phụ lục")
    for form in FORM_SET.forms:
        document.add_paragraph(f"Biểu mẫu {form.number}")
        document.add_paragraph(form.title)
        rows = list(table_rows(form, values, SEED["notes"]))
        table = document.add_table(rows=1 + len(rows), cols=5)
        for i, text in enumerate(HEADER):
            table.rows[0].cells[i].text = text
        for r, cells in enumerate(rows, start=1):
            for i, text in enumerate(cells):
                table.rows[r].cells[i].text = text
        # The section row spans the whole table, as in the official form.
        table.rows[1].cells[1].merge(table.rows[1].cells[4])
    path = tmp_path / "bao-cao.docx"
    document.save(path)

    read = read_form_document(path)
    assert rows_of(read.form_set) == rows_of(FORM_SET)
    expected = {c: Decimal(str(v)) for c, v in SEED["inputs"].items()}
    expected |= {c: parse_vn_number(p) for c, p in SEED["printed_derived"].items()}
    assert read.values == expected
    assert read.printed["3:3.1"] == "99,99" and read.printed["5:1.3"] == "-"
    assert read.notes == SEED["notes"]
    assert [(f.section, f.section_title) for f in read.form_set.forms] == [
        (f.section, f.section_title) for f in FORM_SET.forms
    ]
    assert read.recognised == "bnv-2024"


def test_filled_xlsx_with_typed_numbers_and_a_percent_cell(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tong hop"
    form = FORM_SET.forms[2]  # Biểu mẫu 3
    sheet.append([f"Biểu mẫu {form.number}"])
    sheet.append([form.title])
    sheet.append(HEADER)
    for cells in table_rows(form, None, None):
        sheet.append(cells)
    rows = {sheet.cell(r, 1).value.rstrip("."): r for r in range(5, sheet.max_row + 1)}
    sheet.cell(rows["3.1.1"], 4).value = 238146
    sheet.cell(rows["3.1.2"], 4).value = 238144
    sheet.cell(rows["3.1"], 4).value = 0.9999
    sheet.cell(rows["3.1"], 4).number_format = "0.00%"
    sheet.cell(rows["1.4.1"], 4).value = "1.556"
    path = tmp_path / "so-lieu.xlsx"
    workbook.save(path)

    read = read_form_document(path)
    assert list(read.form_set.rows) == list(form.codes)
    assert read.values == {
        "3:3.1.1": Decimal(238146),
        "3:3.1.2": Decimal(238144),
        "3:3.1": Decimal("99.99"),
        "3:1.4.1": Decimal(1556),
    }
    assert read.printed["3:3.1.1"] == "238.146"


def test_unreadable_documents(tmp_path):
    path = tmp_path / "trong.docx"
    d = docx.Document()
    d.add_paragraph("Không có bảng nào")
    d.save(path)
    with pytest.raises(FormReadError, match="không tìm thấy bảng biểu mẫu"):
        read_form_document(path)
    with pytest.raises(FormReadError, match="chỉ đọc được"):
        read_form_document(tmp_path / "x.pdf")
