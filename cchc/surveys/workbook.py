"""The results of a round as an .xlsx workbook: per unit, per factor and per question."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font


def _row(stat) -> list:
    return [None if stat.pct is None else float(stat.pct), None if stat.margin is None else float(stat.margin), stat.valid]


def results_workbook(round_, units, results) -> bytes:
    design = round_.parsed_design()
    book = Workbook()
    sheet = book.active
    sheet.title = "Đơn vị"
    sheet.append([f"{round_.title} — {round_.province.name} — năm {round_.year}"])
    sheet.append(["Mã đơn vị", "Đơn vị", "Số phiếu", "Chỉ tiêu", "Chỉ số chung (%)", "Sai số 95% (±%)",
                  "Số câu trả lời hợp lệ", *[f"{f.name} (%)" for f in design.factors.values()]])
    sheet.append(["", "Toàn tỉnh", results.province.responses, sum(u.quota for u in units),
                  *_row(results.province.overall), *[_row(results.province.factors[c])[0] for c in design.factors]])
    for ru in units:
        result = results.units[ru.pk]
        sheet.append([ru.unit.code, ru.unit.name, result.responses, ru.quota, *_row(result.overall),
                      *[_row(result.factors[c])[0] for c in design.factors]])
    questions = book.create_sheet("Câu hỏi")
    questions.append(["Mã", "Câu hỏi", "Yếu tố", "Tỷ lệ hài lòng (%)", "Sai số 95% (±%)", "Số câu trả lời hợp lệ",
                      *[a.label for a in design.scored[0].answers]])
    for q in design.scored:
        dist = results.province.distribution.get(q.code, {})
        questions.append([q.code, q.text, design.factors[q.factor].name, *_row(results.province.questions[q.code]),
                          *[dist.get(a.code, 0) for a in q.answers]])
    for ws in (sheet, questions):
        for cell in ws[2 if ws is sheet else 1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
