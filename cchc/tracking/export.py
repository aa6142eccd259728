"""Task lists with statuses as .xlsx, for anyone who still needs a spreadsheet."""

from __future__ import annotations

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.core.areas import AREAS
from cchc.core.status import STATUS_LABELS

HEADERS = ["Kế hoạch", "Lĩnh vực", "TT", "Nhiệm vụ", "Đơn vị", "Vai trò", "Thời hạn", "Hạn gần nhất", "Tình trạng", "Ngày hoàn thành"]


def obligations_workbook(rows, as_of) -> bytes:
    """rows: (obligation, evaluation) pairs, as the list pages build them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet.append([f"Danh sách nhiệm vụ, tình trạng tính đến ngày {as_of:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for obligation, result in rows:
        task = obligation.task
        sheet.append([
            str(task.plan), AREAS.get(task.section.area, ""), task.number, task.content, obligation.unit.name,
            obligation.get_role_display(), task.deadline_text, result.next_due, STATUS_LABELS[result.status],
            obligation.completed_on,
        ])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJ", (30, 22, 6, 60, 28, 12, 24, 14, 24, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def obligations_workbook_response(rows, filename: str, as_of) -> HttpResponse:
    response = HttpResponse(
        obligations_workbook(rows, as_of),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
