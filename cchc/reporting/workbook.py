"""Forms as Excel workbooks in the official layout, and reading a filled form into a submission.

Export: one sheet per Biểu mẫu, "Biểu mẫu N" and the form's title above a table
``STT | Nội dung chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú``, the section row ("I. Công tác chỉ
đạo điều hành CCHC"), then the rows; numbers are real numbers (Excel shows them the reader's way).
The workbook reads back with `cchc.core.statforms.read_form_document`.

Import: `read_filled_forms` reads an .xlsx or .docx with `read_form_document` and checks it
against the period's form set; every problem names the file, the sheet or table, the row and
the column, in Vietnamese.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cchc.core.statforms import (
    FormReadError,
    FormSet,
    compute,
    matches_printed,
    name_conflicts,
    read_form_document,
)
from cchc.core.statforms.model import exchange_code
from cchc.core.text import clean, fold

from .services import display_number, rounded_row_value

HEADER = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"]
VALUE_COLUMN = "Số liệu"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def printed_stt(stt: str) -> str:
    """STT as the printed forms write it: "1.", "2.1.", "3.1.2"."""
    return stt + ("." if stt.count(".") < 2 else "")


def unit_cell(row) -> str:
    """Coded rows list one code per line ("Có = 1" / "Không = 0"), as on the printed forms."""
    if row.choices:
        return "\n".join(f"{c.label} = {c.code}" for c in row.choices)
    return row.unit or ""


def _places(row, value: Decimal) -> int:
    if row.derived:
        return row.places if row.value_type in ("percent", "amount") else 0
    exponent = Decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def forms_workbook(
    form_set: FormSet,
    cells: Mapping[str, Decimal | str] | None = None,
    notes: Mapping[str, str] | None = None,
    footer: list[str] | None = None,
) -> bytes:
    """The form set as .xlsx: blank, or filled with ``cells`` (numbers, or text such as an
    aggregated distribution) and ``notes``. ``footer`` lines go below each table (who, which
    period): lines above the table would be read as part of the form's title."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    cells, notes = cells or {}, notes or {}
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for form in form_set.forms:
        sheet = workbook.create_sheet(f"Biểu mẫu {form.number}")
        sheet.append([f"Biểu mẫu {form.number}"])
        sheet.append([form.title])
        sheet["A1"].font = Font(bold=True)
        sheet["A2"].font = Font(bold=True, size=12)
        sheet.append(HEADER)
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        if form.section:
            sheet.append([f"{form.section}.", form.section_title or form.title, "", "", ""])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.border = border
        for code in form.codes:
            row = form_set.rows[code]
            value = cells.get(code)
            sheet.append([printed_stt(row.stt), row.name, unit_cell(row), None, notes.get(code, "")])
            r = sheet.max_row
            target = sheet.cell(r, 4)
            if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
                number = Decimal(value)
                places = _places(row, number)
                rounded = rounded_row_value(row, number) if row.derived else round(number, places)
                target.value = int(rounded) if places == 0 else float(rounded)
                target.number_format = "#,##0" if places == 0 else "#,##0." + "0" * places
            elif value:
                target.value = str(value)
            for cell in sheet[r]:
                cell.border = border
                cell.alignment = wrap
            if row.value_type == "group" or row.parent is None:
                sheet.cell(r, 2).font = Font(bold=True)
        for line in footer or []:
            sheet.append([])
            sheet.append([line])
        widths = {"A": 8, "B": 70, "C": 16, "D": 16, "E": 40}
        for column, width in widths.items():
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ------------------------------------------------------------------------------------

_HEADING = re.compile(r"^bieu mau\s*(?:so\s*)?0*(\d+)\s*\.?$")
_STT = re.compile(r"^(\d+(?:\.\d+)*)\.?$")


def _table_rows(path: Path) -> Iterator[tuple[str, list[str], int | None]]:
    """(where, cells, form number announced by a sheet name) for every row of every table."""
    if path.suffix.lower() == ".docx":
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        table_number = 0
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield "", [Paragraph(child, document).text], None
            elif tag == "tbl":
                table_number += 1
                for r, tr in enumerate(Table(child, document).rows, start=1):
                    seen, texts = [], []
                    for c in tr.cells:
                        if any(c._tc is s for s in seen):
                            continue
                        seen.append(c._tc)
                        texts.append(c.text)
                    yield f"bảng {table_number}, dòng {r}", texts, None
    else:
        import openpyxl

        workbook = openpyxl.load_workbook(str(path), data_only=True, read_only=True)
        for sheet in workbook.worksheets:
            announced = re.search(r"(\d+)", sheet.title)
            for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                texts = ["" if v is None else str(v) for v in values]
                yield f"trang tính «{sheet.title}», dòng {r}", texts, int(announced.group(1)) if announced else None
        workbook.close()


def locate_rows(path: Path) -> dict[str, str]:
    """Exchange code -> where its row is in the file ("trang tính «Biểu mẫu 3», dòng 12")."""
    found: dict[str, str] = {}
    form: int | None = None
    stt_column: int | None = None
    last_sheet = None
    for where, cells, announced in _table_rows(path):
        sheet = where.split(", dòng")[0]
        if announced is not None and sheet != last_sheet:
            form, stt_column = announced, None
        last_sheet = sheet
        texts = [clean(c) for c in cells]
        nonempty = [t for t in texts if t]
        if len(nonempty) == 1 and _HEADING.match(fold(nonempty[0])):
            form, stt_column = int(_HEADING.match(fold(nonempty[0])).group(1)), None
            continue
        if not where:
            continue
        folded = [fold(t) for t in texts]
        if "stt" in folded and any(f.startswith("noi dung") or f.startswith("chi tieu") for f in folded):
            stt_column = folded.index("stt")
            continue
        if form is None or stt_column is None or stt_column >= len(texts):
            continue
        m = _STT.match(texts[stt_column])
        if m:
            found.setdefault(exchange_code(form, m.group(1)), where)
    return found


@dataclass
class ImportResult:
    values: dict[str, Decimal | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    forms: list[int] = field(default_factory=list)


def read_filled_forms(path: Path, form_set: FormSet, *, skip: set[str] = frozenset()) -> ImportResult:
    """Values and notes of a filled form file for ``form_set``'s input rows (rows of the forms
    present in the file; a blank cell clears the row). ``skip``: rows filled from tracking."""
    result = ImportResult()
    name = path.name
    if path.suffix.lower() not in (".xlsx", ".docx"):
        result.errors.append(f"Tệp {name}: chỉ nhập được biểu mẫu dạng .xlsx hoặc .docx.")
        return result
    try:
        document = read_form_document(path)
    except FormReadError as exc:
        result.errors.append(f"Tệp {name}: {str(exc).removeprefix(name + ': ')}")
        return result
    except Exception as exc:  # a corrupt zip, a file that is not what its name says
        result.errors.append(f"Tệp {name}: không đọc được tệp ({exc.__class__.__name__}). Hãy kiểm tra lại tệp.")
        return result
    try:
        where = locate_rows(path)
    except Exception:
        where = {}

    def at(code: str) -> str:
        return f"Tệp {name}, {where[code]}" if code in where else f"Tệp {name}, dòng chỉ tiêu {code}"

    for problem in document.problems:
        m = re.match(r"^Dòng (\S+): (.*)$", problem)
        if m:
            code, message = m.groups()
            result.errors.append(f"{at(code)} (chỉ tiêu {code}), cột «{VALUE_COLUMN}»: {message}")
        else:
            result.errors.append(f"Tệp {name}: {problem}")
    for warning in document.warnings:  # irregularities read through (merged cells, footnote marks…)
        result.warnings.append(f"Tệp {name}: {warning}")
    printed = {code: row.name for code, row in document.form_set.rows.items()}
    for code in name_conflicts(form_set, printed):  # a renumbered newer form: values would land on other rows
        result.errors.append(
            f"{at(code)}: chỉ tiêu {code} trong tệp là «{printed[code][:80]}», trong bộ biểu mẫu {form_set.key} "
            f"của kỳ báo cáo là «{form_set.rows[code].name[:80]}»: tệp theo bộ biểu mẫu khác."
        )
    inputs = set(form_set.input_codes())
    present = set()
    for code, row in document.form_set.rows.items():
        if code not in form_set.rows:
            message = f"{at(code)}: chỉ tiêu {code} «{row.name[:80]}» không có trong bộ biểu mẫu {form_set.key} của kỳ báo cáo"
            if code in document.values:
                result.errors.append(message + ".")
            else:
                result.warnings.append(message + " (dòng trống, bỏ qua).")
            continue
        present.add(code)
        if row.form not in result.forms:
            result.forms.append(row.form)
    for code in document.values:
        if code not in form_set.rows:
            continue
        row = form_set.rows[code]
        if not row.has_value:
            result.errors.append(f"{at(code)}, cột «{VALUE_COLUMN}»: {row.label()} là dòng tiêu đề nhóm, không ghi số liệu.")
    for code in sorted(present & inputs - skip, key=lambda c: list(form_set.rows).index(c)):
        result.values[code] = document.values.get(code)
    for code in sorted(present & skip):
        if code in document.values:
            result.warnings.append(f"{at(code)}: chỉ tiêu {code} lấy từ số liệu theo dõi nhiệm vụ, không lấy số trong tệp.")
    for code, note in document.notes.items():
        if code in present:
            result.notes[code] = note
    for code in present - set(document.notes):
        result.notes[code] = ""
    # Derived rows printed in the file: compare with what the file's own inputs give.
    computed = compute(form_set, {c: v for c, v in result.values.items() if v is not None})
    for code in sorted(present, key=lambda c: list(form_set.rows).index(c)):
        row = form_set.rows[code]
        printed = document.printed.get(code)
        if not row.derived or code not in document.values or printed is None or code not in computed:
            continue
        if not matches_printed(computed[code], printed):
            places = row.places if row.value_type in ("percent", "amount") else 0
            result.warnings.append(
                f"{at(code)}, cột «{VALUE_COLUMN}»: {row.label()} ghi {printed}, tính từ các số liệu trong tệp "
                f"được {display_number(computed[code], places)}; hệ thống dùng số tính được."
            )
    result.forms.sort()
    return result
