"""The period's report as a dict for `cchc.reporting.documents` (Word / PDF).

Paragraphs are pre-filled from the period's figures (the aggregate of accepted submissions,
task statuses from tracking) and from the progress updates written during the period; a person
edits them before generating (stored on ``ReportingPeriod.report_text``: a section key →
paragraphs, plus ``number``, ``signer_name``, ``signer_title``, ``date``).

Section keys: "I" (direction), "II.1" … "II.6" (the six other reform areas), "III" (next tasks).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from cchc.core.areas import AREAS
from cchc.core.status import DONE_LATE, DONE_ON_TIME, NOT_APPLICABLE, OVERDUE, PENDING, STATUS_LABELS
from cchc.units.models import UnitKind

from .aggregation import PeriodAggregate, display_value, period_aggregate
from .models import ReportingPeriod, Submission
from .services import display_number, tracking_rows
from .workbook import printed_stt, unit_cell

AREA_ORDER = ["institutions", "procedures", "organization", "civil_service", "public_finance", "digital_government"]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII"}
NARRATIVES_PER_AREA = 12


def section_keys() -> list[tuple[str, str]]:
    """(key, heading) of every editable section, in order."""
    keys = [("I", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")]
    keys += [(f"II.{i}", f"{i}. {AREAS[area]}") for i, area in enumerate(AREA_ORDER, start=1)]
    keys.append(("III", "III. NHIỆM VỤ TRỌNG TÂM"))
    return keys


def next_period_label(period: ReportingPeriod) -> str:
    return {
        "q1": f"QUÝ II NĂM {period.year}",
        "h1": f"6 THÁNG CUỐI NĂM {period.year}",
        "q3": f"QUÝ IV NĂM {period.year}",
        "year": f"NĂM {period.year + 1}",
    }.get(period.kind, "THỜI GIAN TỚI")


def _place(province_name: str) -> str:
    for prefix in ("UBND tỉnh ", "UBND thành phố ", "Ủy ban nhân dân tỉnh ", "tỉnh ", "thành phố "):
        if province_name.lower().startswith(prefix.lower()):
            return province_name[len(prefix):]
    return province_name


def _issuer(province_name: str) -> str:
    name = province_name if province_name.upper().startswith("UBND") else f"UBND {province_name}"
    return name.upper()


def _figure_lines(agg: PeriodAggregate, form_number: int, depth: int = 1) -> list[str]:
    """"Name: value unit" for the rows of a form down to ``depth`` (0 = top rows) that have a figure."""
    form_set = agg.form_set
    form = next((f for f in form_set.forms if f.number == form_number), None)
    if form is None:
        return []
    lines = []
    for code in form.codes:
        row = form_set.rows[code]
        if not row.has_value or row.stt.count(".") > depth:
            continue
        text = agg.display(code)
        if not text:
            continue
        unit = "" if row.choices or not row.unit else (row.unit if row.unit == "%" else f" {row.unit.lower()}")
        lines.append(f"- {row.name}: {text}{unit}.")
    return lines


def _narratives(period: ReportingPeriod) -> dict[str, list[str]]:
    """What units wrote in their progress updates during the period, by reform area."""
    from cchc.tracking.models import ProgressUpdate
    from cchc.units.models import Unit

    units = Unit.objects.subtree_ids(period.province)
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime.combine(period.end, datetime.time.max, tzinfo=timezone.get_current_timezone())
    updates = (
        ProgressUpdate.objects.filter(created_at__range=(start, end), obligation__unit__in=units)
        .exclude(narrative="")
        .select_related("obligation__unit", "obligation__task__section")
        .order_by("obligation__task__section__area", "created_at")
    )
    out: dict[str, list[str]] = defaultdict(list)
    seen = set()
    for update in updates:
        area = update.obligation.task.section.area
        text = " ".join(update.narrative.split())
        key = (area, update.obligation.unit_id, text)
        if key in seen or len(out[area]) >= NARRATIVES_PER_AREA:
            continue
        seen.add(key)
        out[area].append(f"- {update.obligation.unit}: {text}")
    # Units that report outside cchc: the narrative of the report they issued, imported with it.
    imported = period.submissions.exclude(narrative={}).select_related("unit").order_by("unit__name")
    for submission in imported:
        number = submission.narrative.get("number")
        cited = f" (Báo cáo số {number})" if number else ""
        for section in submission.narrative.get("sections", []):
            text = " ".join((section.get("text") or "").split())
            if text and section.get("area") in AREAS:
                out[section["area"]].append(f"- {submission.unit}{cited}: {text}")
    return out


def _tracking_lines(agg: PeriodAggregate) -> list[str]:
    lines = []
    rows = tracking_rows(agg.form_set)
    if rows and rows.total in agg.values:
        total, done = agg.values.get(rows.total), agg.values.get(rows.done)
        text = f"Số nhiệm vụ được giao trong kỳ: {display_number(total, 0)}; đã hoàn thành: {display_number(done or 0, 0)}"
        if rows.ratio in agg.values:
            text += f" (đạt {display_number(agg.values[rows.ratio], 2)}%)"
        lines.append(text + ".")
    counts = agg.tracking
    if counts and any(counts.values()):
        parts = [f"{STATUS_LABELS[s].lower()}: {counts.get(s, 0)}" for s in (DONE_ON_TIME, DONE_LATE, PENDING, OVERDUE)]
        if counts.get(NOT_APPLICABLE):
            parts.append(f"{STATUS_LABELS[NOT_APPLICABLE].lower()}: {counts[NOT_APPLICABLE]}")
        lines.append("Tình hình thực hiện nhiệm vụ theo kế hoạch: " + "; ".join(parts) + ".")
    return lines


def _sources_line(agg: PeriodAggregate) -> str:
    kinds = defaultdict(int)
    for submission in agg.submissions:
        if submission.unit_id != agg.within.pk:
            kinds[submission.unit.kind] += 1
    labels = {
        UnitKind.DEPARTMENT: "sở, ban, ngành",
        UnitKind.DISTRICT: "UBND cấp huyện",
        UnitKind.COMMUNE: "UBND cấp xã",
    }
    parts = [f"{n} {labels.get(kind, 'đơn vị khác')}" for kind, n in kinds.items()]
    if not parts:
        return "Số liệu trong báo cáo là số liệu của cơ quan tổng hợp; chưa có báo cáo của đơn vị nào được tiếp nhận."
    return f"Qua tổng hợp số liệu báo cáo của {sum(kinds.values())} cơ quan, đơn vị ({'; '.join(parts)})."


def _next_tasks(period: ReportingPeriod) -> list[str]:
    """Unfinished tasks of the province's own plan, as of the period's end."""
    from cchc.plans.models import Plan

    plan = Plan.objects.filter(issuer=period.province, year=period.year, status=Plan.Status.ISSUED).first()
    lines = [
        "Tiếp tục triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính theo Kế hoạch CCHC năm "
        f"{period.year}; tập trung hoàn thành các nhiệm vụ chưa hoàn thành, nhất là các nhiệm vụ đã quá hạn."
    ]
    if plan is None:
        return lines
    from cchc.plans.models import Obligation
    from cchc.tracking.status import evaluate, with_status_data

    open_tasks = []
    for obligation in with_status_data(Obligation.objects.active().filter(task__plan=plan, role="lead")):
        if evaluate(obligation, period.end).status in (PENDING, OVERDUE) and obligation.task not in open_tasks:
            open_tasks.append(obligation.task)
    for task in open_tasks[:15]:
        lines.append(f"- {' '.join(task.content.split())}")
    return lines


def default_sections(period: ReportingPeriod, agg: PeriodAggregate | None = None) -> dict[str, list[str]]:
    agg = agg or period_aggregate(period)
    narratives = _narratives(period)
    sections: dict[str, list[str]] = {}
    sections["I"] = [_sources_line(agg), *_tracking_lines(agg), *_figure_lines(agg, 1), *narratives.get("direction", [])]
    form_of_area = {f.area: f.number for f in agg.form_set.forms}
    for i, area in enumerate(AREA_ORDER, start=1):
        lines = list(narratives.get(area, []))
        if area in form_of_area:
            lines += _figure_lines(agg, form_of_area[area])
        sections[f"II.{i}"] = lines or ["(Chưa có số liệu, kết quả trong kỳ.)"]
    sections["III"] = _next_tasks(period)
    return sections


def report_forms(agg: PeriodAggregate) -> list[dict]:
    form_set = agg.form_set
    forms = []
    for form in form_set.forms:
        rows = []
        for code in form.codes:
            row = form_set.rows[code]
            value = agg.display(code)
            note = ""
            if row.aggregation == "choice_distribution" and value:
                value, note = "", value
            rows.append({
                "code": printed_stt(row.stt),
                "name": row.name,
                "unit": unit_cell(row).replace("\n", "; "),
                "value": value,
                "note": note,
                "level": row.stt.count("."),
                "derived": row.derived,
            })
        forms.append({"number": form.number, "title": f"Biểu mẫu {form.number}: {form.title}", "rows": rows})
    return forms


def recipients(period: ReportingPeriod) -> list[str]:
    has_districts = period.end < datetime.date(2025, 7, 1)
    return [
        "Bộ Nội vụ (để b/c);",
        "Thường trực Tỉnh ủy, HĐND tỉnh (để b/c);",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
        "Các sở, ban, ngành cấp tỉnh;",
        "UBND các huyện, thị xã, thành phố;" if has_districts else "UBND các xã, phường;",
        "Lưu: VT, NC.",
    ]


def build_report(period: ReportingPeriod, agg: PeriodAggregate | None = None) -> dict:
    """The report dict: defaults from the data, overridden by what was edited on the period."""
    agg = agg or period_aggregate(period)
    edited = period.report_text or {}
    defaults = default_sections(period, agg)
    paragraphs = {key: edited.get("sections", {}).get(key, defaults.get(key, [])) for key, _ in section_keys()}
    headings = dict(section_keys())
    report_date = edited.get("date") or None
    if isinstance(report_date, str):
        try:
            report_date = datetime.date.fromisoformat(report_date)
        except ValueError:
            report_date = None
    province = period.province.name
    label = period.label
    return {
        "issuer": _issuer(province),
        "number": edited.get("number", ""),
        "place": _place(province),
        "date": report_date,
        "year": period.year,
        "title": f"Báo cáo tình hình thực hiện công tác cải cách hành chính {label}",
        "period_label": label,
        "sections": [
            {"heading": headings["I"], "paragraphs": paragraphs["I"]},
            {
                "heading": "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
                "subsections": [
                    {"heading": headings[f"II.{i}"], "paragraphs": paragraphs[f"II.{i}"]}
                    for i in range(1, len(AREA_ORDER) + 1)
                ],
            },
            {"heading": f"III. NHIỆM VỤ TRỌNG TÂM {next_period_label(period)}", "paragraphs": paragraphs["III"]},
        ],
        "recipients": edited.get("recipients") or recipients(period),
        "signer_title": edited.get("signer_title") or "CHỦ TỊCH",
        "signer_name": edited.get("signer_name", ""),
        "forms": report_forms(agg),
    }


def accepted_count(period: ReportingPeriod) -> int:
    return period.submissions.filter(status=Submission.Status.ACCEPTED).count()


__all__ = ["ROMAN", "build_report", "default_sections", "display_value", "report_forms", "section_keys"]
