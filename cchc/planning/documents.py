"""A plan as a Word document in the official layout of a Kế hoạch (Nghị định 30/2020/NĐ-CP):
header block with the issuing body and the national motto, number and date left to fill,
I. Mục đích, yêu cầu; II. Nhiệm vụ trọng tâm by area; III. Tổ chức thực hiện; the signature
block; and the task table as an appendix (landscape) with lead, coordinating bodies, deliverable
and deadline. Built on `cchc.core.documents` like the periodic report (same page set-up, fonts, masthead,
closing), so both documents look alike.

`plan_document(plan)` gathers the plain dict from the database; `build_plan_docx(data)` is pure.
The appendix table's header uses the column names the plan reader recognises, so the document
reads back with `cchc import-plan`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cchc.core.areas import AREAS
from cchc.core.documents.layout import OfficialDocument
from cchc.core.documents.word import TRPR_ORDER, WordWriter, el, put

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
PLAN_COLUMNS = ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành")


class _PlanDoc(OfficialDocument):
    kind = "Kế hoạch"
    number_kind = "KH"

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__({**data, "period_label": ""})
        self.areas = data.get("areas") or []
        self.appendix_title = f"NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {data.get('year') or self.year}"

    def title_of(self, data: Mapping[str, Any]) -> str:
        title = re.sub(r"^kế\s+hoạch\s+", "", data.get("title") or "", flags=re.IGNORECASE)
        return title or f"Cải cách hành chính năm {self.year}"


class _PlanWriter(WordWriter):
    def appendix(self) -> None:
        ALIGN, doc = self.ALIGN, self.doc
        self.start_appendix(doc.appendix_title)
        rows = sum(1 + len(area["tasks"]) for area in doc.areas if area["tasks"])
        widths = (1.2, 8.5, 3.6, 3.6, 4.0, 3.8)  # 24.7 cm
        table = self.table(1 + max(rows, 1), widths, borders=True, margin_cm=0.12)
        self.header_row(table, PLAN_COLUMNS)
        index = 1
        for number, area in enumerate(a for a in doc.areas if a["tasks"]):
            group = table.rows[index].cells
            merged = group[0].merge(group[-1])
            self.paragraph(merged, f"{_ROMAN[number]}. {area['title'].upper()}", size=12, bold=True, before=2,
                           after=2, reuse=True)
            index += 1
            for task in area["tasks"]:
                row = table.rows[index]
                put(row._tr.get_or_add_trPr(), el("cantSplit"), TRPR_ORDER)
                cells = row.cells
                values = (task["number"], task["content"], task["lead"], task["coordinating"],
                          task["deliverables"], task["deadline"])
                for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
                    items = value if isinstance(value, list) else [value]
                    first = True
                    for item in items or [""]:
                        self.paragraph(cell, item, size=12, align=ALIGN.CENTER if column in (0, 5) else ALIGN.LEFT,
                                       before=1, after=1, reuse=first)
                        first = False
                index += 1


def build_plan_docx(data: Mapping[str, Any]) -> bytes:
    """The .docx of a plan dict: the report writer's keys (issuer, parent_issuer, number,
    number_suffix, place, date, year, title, sections, recipients, signer_*) plus ``areas``:
    [{"title", "tasks": [{"number", "content", "lead", "coordinating", "deliverables", "deadline"}]}]."""
    return _PlanWriter(_PlanDoc(data)).build()


def _short_place(province) -> str:
    if province is None:
        return ""
    return re.sub(r"^(ủy|uỷ) ban nhân dân (tỉnh|thành phố)\s+|^ubnd (tỉnh|thành phố)\s+", "", province.name,
                  flags=re.IGNORECASE)


def plan_document(plan) -> dict:
    """The plain dict `build_plan_docx` prints, from a stored plan."""
    from cchc.units.models import UnitKind

    issuer = plan.issuer
    is_ubnd = issuer.kind in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
    province = issuer.province()
    name = re.sub(r"^(ủy|uỷ) ban nhân dân\s+", "", issuer.name, flags=re.IGNORECASE)
    name = re.sub(r"^ubnd\s+", "", name, flags=re.IGNORECASE)
    issuer_lines = f"ỦY BAN NHÂN DÂN\n{name}" if is_ubnd else issuer.name
    place = _short_place(province)
    parent_issuer = "" if is_ubnd or not place else f"UBND TỈNH {place}"
    areas = []
    targets = list(plan.targets.all())
    tasks_by_section: dict[int, list] = {}
    for task in plan.tasks.select_related("section").prefetch_related("assignments").order_by(
            "section__position", "position"):
        tasks_by_section.setdefault(task.section_id, []).append(task)
    focus = []
    for section in plan.sections.all():
        tasks = tasks_by_section.get(section.pk, [])
        title = section.title or AREAS.get(section.area, "")
        rows = []
        for task in tasks:
            bodies = {"lead": [], "coordinating": []}
            for a in task.assignments.all():
                if a.role in ("lead", "implementing"):
                    bodies["lead"].append(a.text)
                elif a.role == "coordinating":
                    bodies["coordinating"].append(a.text)
            rows.append({"number": task.number, "content": task.content, "lead": bodies["lead"],
                         "coordinating": bodies["coordinating"], "deliverables": list(task.deliverables),
                         "deadline": task.deadline_text})
        areas.append({"title": title, "tasks": rows})
        if tasks:
            focus.append({"heading": f"{len(focus) + 1}. {title}",
                          "paragraphs": [f"- {task.content}" for task in tasks]})
    parent = plan.parent
    basis = (f"Thực hiện Kế hoạch số {parent.number} của {parent.issuer} về cải cách hành chính năm {plan.year}"
             if parent is not None and parent.number else
             f"Thực hiện kế hoạch cải cách hành chính năm {plan.year} của cấp trên")
    purpose = [
        {"heading": "1. Mục đích", "paragraphs": [
            f"{basis}, {issuer.name} ban hành Kế hoạch cải cách hành chính năm {plan.year} nhằm triển khai "
            "đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính, khắc phục những hạn chế, tồn tại của năm "
            f"{plan.year - 1}, nâng cao chỉ số cải cách hành chính và mức độ hài lòng của người dân, tổ chức."]},
        {"heading": "2. Yêu cầu", "paragraphs": [
            "Các nhiệm vụ phải cụ thể, có cơ quan chủ trì, sản phẩm và thời gian hoàn thành; gắn trách nhiệm "
            "người đứng đầu với kết quả thực hiện; bảo đảm thống nhất với kế hoạch cải cách hành chính của cấp trên."]},
    ]
    if targets:
        purpose.append({"heading": "3. Mục tiêu, chỉ tiêu", "paragraphs": [f"- {t.text};" for t in targets]})
    sections = [
        {"heading": "I. MỤC ĐÍCH, YÊU CẦU", "subsections": purpose},
        {"heading": "II. NHIỆM VỤ TRỌNG TÂM", "paragraphs": [] if focus else ["(Chưa có nhiệm vụ.)"],
         "subsections": focus},
        {"heading": "III. TỔ CHỨC THỰC HIỆN", "paragraphs": [
            "1. Các cơ quan, đơn vị được giao chủ trì nhiệm vụ tại Phụ lục kèm theo Kế hoạch này xây dựng kế hoạch "
            "chi tiết, tổ chức thực hiện bảo đảm tiến độ, chất lượng và báo cáo kết quả theo định kỳ hằng quý, "
            "6 tháng, năm.",
            "2. Giao cơ quan tham mưu về cải cách hành chính theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; "
            "tổng hợp, báo cáo kết quả theo quy định.",
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo để xem xét, "
            "điều chỉnh cho phù hợp."]},
    ]
    return {
        "issuer": issuer_lines, "parent_issuer": parent_issuer, "number": plan.number,
        "number_suffix": "KH-UBND" if is_ubnd else "KH", "place": place, "date": plan.issued_on,
        "year": plan.year, "title": plan.title, "sections": sections,
        "recipients": [f"{parent.issuer} (để b/c);" if parent else "Cơ quan cấp trên (để b/c);",
                       "Các cơ quan, đơn vị liên quan;", "Lưu: VT."],
        "signer_authority": "TM. ỦY BAN NHÂN DÂN" if is_ubnd else "",
        "signer_title": "CHỦ TỊCH" if is_ubnd else "GIÁM ĐỐC",
        "areas": areas,
    }
