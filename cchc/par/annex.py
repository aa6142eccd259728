"""The publication annex (Phụ lục kèm theo Quyết định công bố Chỉ số CCHC) as .xlsx and .docx: one
table per unit type — rank, unit, points per area, total, index % — as a province prints it."""

from __future__ import annotations

import copy
import io

from .results import Table
from .tree import fmt

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLES = {
    "department": "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC SỞ, BAN, NGÀNH CẤP TỈNH",
    "commune": "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND CÁC XÃ, PHƯỜNG",
}


def title_of(table: Table, year: int) -> str:
    return TITLES.get(table.unit_type, "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}").format(year=year)


def subtitle(rnd) -> str:
    decision = rnd.decision or "Quyết định số      /QĐ-UBND ngày      "
    return f"(Kèm theo {decision} của Chủ tịch UBND {rnd.province.name.removeprefix('UBND ')})"


def header(table: Table) -> list[str]:
    areas = [f"{a.code}. {a.name.capitalize()} ({fmt(a.max)} điểm)" for a in table.tree.areas]
    return ["Xếp hạng", "Đơn vị", *areas, f"Tổng điểm đạt được ({fmt(table.tree.total_max)} điểm)", "Chỉ số CCHC (%)", "Xếp loại"]


def body(table: Table) -> list[list[str]]:
    return [
        [str(r.rank), r.unit_name, *(fmt(r.areas[a.code]) for a in table.tree.areas), fmt(r.points), fmt(r.index),
         (r.group or {}).get("label", "")]
        for r in table.rows
    ]


def annex_xlsx(rnd, tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(f"Phụ lục {number:02d}")
        head = header(table)
        sheet.append([f"PHỤ LỤC {number:02d}"])
        sheet.append([title_of(table, rnd.year)])
        sheet.append([subtitle(rnd)])
        sheet.append([])
        sheet.append(head)
        for line in body(table):
            sheet.append(line)
        for r in (1, 2):
            sheet.cell(r, 1).font = Font(bold=True, size=12)
        sheet.cell(3, 1).font = Font(italic=True)
        for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row, max_col=len(head)):
            for cell in row:
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left" if cell.column == 2 else "center")
                if cell.row == 5:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["B"].width = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annex_docx(rnd, tables: list[Table]) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    for number, table in enumerate(tables, start=1):
        if number > 1:
            document.add_page_break()
        for text, bold, italic in ((f"PHỤ LỤC {number:02d}", True, False), (title_of(table, rnd.year), True, False), (subtitle(rnd), False, True)):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
        head = header(table)
        grid = document.add_table(rows=1, cols=len(head))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, head, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        lines = body(table)
        if lines:
            # One row built through python-docx, the others cloned from its XML: a cell at a time is
            # slow (a national-size commune table has thousands of cells).
            model = grid.add_row()
            for cell in model.cells:
                cell.text = "-"
            tr = model._tr
            for line in lines[1:]:
                clone = copy.deepcopy(tr)
                for t, text in zip(clone.iter(qn("w:t")), line, strict=True):
                    t.text = text
                tr.getparent().append(clone)
            for t, text in zip(tr.iter(qn("w:t")), lines[0], strict=True):
                t.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
