"""The results of a round as a .docx report: a summary with the margin of error and last year's
figure, then tables per aspect and factor, per question and per unit (with quota progress)."""

from __future__ import annotations

import io

from cchc.core.statforms.numbers import format_vn_number
from cchc.core.surveys import show_pct

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _stat(stat) -> str:
    return "–" if stat is None or stat.pct is None else f"{show_pct(stat.pct)} ± {show_pct(stat.margin)}"


def change_text(now, before) -> str:
    """“tăng 2,50 điểm phần trăm” between two Stats; empty when either has no value."""
    if now is None or before is None or now.pct is None or before.pct is None:
        return ""
    delta = now.pct - before.pct
    if delta == 0:
        return "không đổi"
    word = "tăng" if delta > 0 else "giảm"
    return f"{word} {format_vn_number(abs(delta), 2)} điểm phần trăm"


def _table(document, head: list[str], rows: list[list[str]]):
    grid = document.add_table(rows=1, cols=len(head))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
    return grid


def results_docx(round_, units, results, *, previous=None, filters_text: str = "") -> bytes:
    """`results` is the round's `RoundResults` over `units`; `previous` last year's (or None)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    design = round_.parsed_design()
    province = results.province
    before = previous.province if previous else None
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    for text in ("BÁO CÁO KẾT QUẢ KHẢO SÁT", round_.title.upper()):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    lines = [
        f"Đơn vị tổ chức: {round_.province.name}. Năm {round_.year}. Thiết kế phiếu: {design.name}.",
        f"Thời gian khảo sát: từ {round_.start:%d/%m/%Y} đến {round_.end:%d/%m/%Y}.",
    ]
    if filters_text:
        lines.append(f"Phạm vi số liệu: {filters_text}.")
    quota = sum(ru.quota for ru in units)
    lines.append(f"Số phiếu thu được: {format_vn_number(province.responses)} phiếu"
                 + (f" trên chỉ tiêu {format_vn_number(quota)} phiếu." if quota else "."))
    lines.append(f"Chỉ số hài lòng chung: {_stat(province.overall)} (độ tin cậy 95%, "
                 f"{format_vn_number(province.overall.valid)} câu trả lời hợp lệ).")
    if previous is not None:
        change = change_text(province.overall, before.overall)
        lines.append(f"Năm {previous.round.year}: {_stat(before.overall)}" + (f"; {change}." if change else "."))
    for text in lines:
        document.add_paragraph(text)

    document.add_heading("1. Chỉ số theo khía cạnh và yếu tố", level=2)
    rows = []
    for a_code, aspect in design.aspects.items():
        rows.append([a_code, aspect.name.upper(), _stat(province.aspects[a_code]),
                     str(province.aspects[a_code].valid), _stat(before.aspects.get(a_code)) if before else ""])
        for f_code in aspect.factors:
            rows.append([f_code, design.factors[f_code].name, _stat(province.factors[f_code]),
                         str(province.factors[f_code].valid), _stat(before.factors.get(f_code)) if before else ""])
    _table(document, ["Mã", "Khía cạnh / yếu tố", "Chỉ số (± sai số 95%)", "Số câu trả lời hợp lệ",
                      f"Năm {previous.round.year}" if previous else "Năm trước"], rows)

    document.add_heading("2. Tỷ lệ hài lòng theo câu hỏi", level=2)
    _table(document, ["Mã", "Câu hỏi", "Tỷ lệ hài lòng (± sai số 95%)", "Số câu trả lời hợp lệ"],
           [[q.code, q.text, _stat(province.questions[q.code]), str(province.questions[q.code].valid)]
            for q in design.scored])

    document.add_heading("3. Kết quả theo đơn vị", level=2)
    ranked = sorted(units, key=lambda ru: (results.units[ru.pk].overall.pct is None,
                                           -(results.units[ru.pk].overall.pct or 0), ru.unit.name))
    by_unit = {}
    if previous is not None:
        unit_of = dict(previous.round.units.values_list("pk", "unit_id"))
        by_unit = {unit_of[pk]: result for pk, result in previous.units.items()}
    rows = []
    for rank, ru in enumerate(ranked, 1):
        result = results.units[ru.pk]
        got = results.responses.get(ru.pk, 0)
        rows.append([str(rank), ru.unit.name, f"{format_vn_number(got)}/{format_vn_number(ru.quota)}",
                     _stat(result.overall), _stat(by_unit[ru.unit_id].overall) if ru.unit_id in by_unit else "–"])
    _table(document, ["Xếp hạng", "Đơn vị", "Số phiếu / chỉ tiêu", "Chỉ số (± sai số 95%)",
                      f"Năm {previous.round.year}" if previous else "Năm trước"], rows)
    document.add_paragraph(
        "Ghi chú: tỷ lệ hài lòng của một câu hỏi là tỷ lệ câu trả lời ở hai mức cao nhất trên số câu trả lời "
        "hợp lệ (không tính «Không có ý kiến»); chỉ số yếu tố, khía cạnh và chỉ số chung là trung bình có "
        "trọng số của các thành phần theo thiết kế phiếu.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
