"""Figures cchc already holds, as the inputs of computed leaves (docs/par-template.md, "source"):

    tracking.tasks_total / tasks_done / tasks_done_on_time / tasks_done_late
        the unit's obligations of the year, with their status at the cut-off date (tracking's engine)
    reporting.reports_due / reporting.reports_on_time
        periodic reports of the year due by the cut-off, and those the unit sent by their due date
    forms.CODE
        a statistical form row of the unit's accepted submission (the year report, else the latest)
    survey.INDICATOR
        a survey index (percent) of the province's closed survey rounds of the year
        (`cchc.surveys.results.indicator_values`): "survey.xhh-2.5.1" is the sociological survey's
        factor 2.5.1, "survey.sipas.overall" the SIPAS index; for a department or commune, only its
        own respondents' answers

Taken once per assessment at the round's cut-off date and stored as InputSnapshot rows; taking them
again is the explicit, change-logged "Tính lại".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cchc.core import status as engine
from cchc.plans.models import Obligation
from cchc.reporting.models import ReportingPeriod, Submission, SubmissionValue
from cchc.tracking.status import evaluate, with_status_data
from cchc.units.models import Unit

SOURCE_LABELS = {
    "tracking.tasks_total": "Số nhiệm vụ được giao trong năm (theo dõi nhiệm vụ)",
    "tracking.tasks_done": "Số nhiệm vụ đã hoàn thành (theo dõi nhiệm vụ)",
    "tracking.tasks_done_on_time": "Số nhiệm vụ hoàn thành đúng hạn (theo dõi nhiệm vụ)",
    "tracking.tasks_done_late": "Số nhiệm vụ hoàn thành quá hạn (theo dõi nhiệm vụ)",
    "reporting.reports_due": "Số báo cáo định kỳ phải gửi (báo cáo định kỳ)",
    "reporting.reports_on_time": "Số báo cáo gửi đúng hạn (báo cáo định kỳ)",
}


def source_label(source: str) -> str:
    if source.startswith("forms."):
        return f"Chỉ tiêu {source[6:]} của biểu mẫu thống kê (báo cáo đã tiếp nhận)"
    if source.startswith("survey."):
        return f"Kết quả khảo sát: {source[7:]}"
    return SOURCE_LABELS.get(source, source)


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    origin: str


def tracking_figures(unit_id: int, year: int, as_of: datetime.date) -> dict[str, Figure]:
    obligations = with_status_data(Obligation.objects.active().filter(unit_id=unit_id, year=year))
    counts = {engine.DONE_ON_TIME: 0, engine.DONE_LATE: 0}
    total = 0
    for obligation in obligations:
        status = evaluate(obligation, as_of).status
        if status == engine.NOT_APPLICABLE:
            continue
        total += 1
        if status in counts:
            counts[status] += 1
    origin = f"Theo dõi nhiệm vụ năm {year}, tình trạng tính đến {as_of:%d/%m/%Y}"
    done = counts[engine.DONE_ON_TIME] + counts[engine.DONE_LATE]
    return {
        "tracking.tasks_total": Figure(Decimal(total), origin),
        "tracking.tasks_done": Figure(Decimal(done), origin),
        "tracking.tasks_done_on_time": Figure(Decimal(counts[engine.DONE_ON_TIME]), origin),
        "tracking.tasks_done_late": Figure(Decimal(counts[engine.DONE_LATE]), origin),
    }


def reporting_figures(unit_id: int, province_id: int, year: int, as_of: datetime.date) -> dict[str, Figure]:
    periods = list(
        ReportingPeriod.objects.filter(province_id=province_id, year=year, due__lte=as_of).exclude(kind=ReportingPeriod.Kind.ADHOC)
    )
    due = {p.pk: p.due for p in periods}
    sent = Submission.objects.filter(period__in=due, unit_id=unit_id, submitted_at__isnull=False).exclude(
        status=Submission.Status.DRAFT
    )
    on_time = sum(1 for period_id, at in sent.values_list("period_id", "submitted_at") if at.date() <= due[period_id])
    origin = f"Báo cáo định kỳ năm {year} có hạn đến {as_of:%d/%m/%Y}: " + (", ".join(p.label for p in periods) or "không có kỳ nào")
    return {
        "reporting.reports_due": Figure(Decimal(len(periods)), origin),
        "reporting.reports_on_time": Figure(Decimal(on_time), origin),
    }


def form_figures(unit_id: int, year: int, codes: list[str]) -> dict[str, Figure]:
    submissions = Submission.objects.filter(unit_id=unit_id, period__year=year, status=Submission.Status.ACCEPTED).select_related("period")
    chosen = max(submissions, key=lambda s: (s.period.kind == ReportingPeriod.Kind.YEAR, s.period.end), default=None)
    if chosen is None:
        return {f"forms.{code}": Figure(None, f"Chưa có báo cáo thống kê năm {year} được tiếp nhận") for code in codes}
    values = dict(SubmissionValue.objects.filter(submission=chosen, code__in=codes).values_list("code", "value"))
    origin = f"Biểu mẫu báo cáo {chosen.period.label} (đã tiếp nhận)"
    return {f"forms.{code}": Figure(values.get(code), origin) for code in codes}


def survey_key(source: str) -> str:
    """The surveys app's key of a ``survey.`` source: "survey.xhh-2.5.1" → "xhh.2.5.1"."""
    rest = source[len("survey."):]
    head, sep, tail = rest.partition("-")
    return f"{head}.{tail}" if sep and head in ("xhh", "sipas") else rest


def survey_figures(unit_id: int, province_id: int, year: int, sources: list[str]) -> dict[str, Figure]:
    from cchc.surveys.models import Round
    from cchc.surveys.results import indicator_values

    province = Unit.objects.get(pk=province_id)
    unit = None if unit_id == province_id else Unit.objects.get(pk=unit_id)
    values = indicator_values(province, year, unit=unit)
    closed = list(Round.objects.filter(province_id=province_id, year=year, status=Round.Status.CLOSED).values_list("title", flat=True))
    if closed:
        origin = f"Khảo sát năm {year} đã kết thúc: " + ", ".join(closed)
    else:
        origin = f"Chưa có đợt khảo sát năm {year} nào kết thúc"
    found = {}
    for source in sources:
        # the surveys app names each factor after its PAR criterion ("sipas-8.1.1") and by its own
        # code ("sipas.TC", "xhh.2.5.1"): the criterion's name first, then the code
        value = values.get(source[len("survey."):], values.get(survey_key(source)))
        found[source] = Figure(value, origin if value is not None or not closed else f"{origin} (chưa có câu trả lời hợp lệ)")
    return found


def figures_for(unit_id: int, province_id: int, year: int, as_of: datetime.date, sources: set[str]) -> dict[str, Figure]:
    """The figures named by ``sources``, each with where it came from (a missing one has value None);
    a survey index of a round not yet closed is left out (pending)."""
    found: dict[str, Figure] = {}
    if any(s.startswith("tracking.") for s in sources):
        found.update(tracking_figures(unit_id, year, as_of))
    if any(s.startswith("reporting.") for s in sources):
        found.update(reporting_figures(unit_id, province_id, year, as_of))
    codes = sorted(s[6:] for s in sources if s.startswith("forms."))
    if codes:
        found.update(form_figures(unit_id, year, codes))
    surveys = sorted(s for s in sources if s.startswith("survey."))
    if surveys:
        found.update(survey_figures(unit_id, province_id, year, surveys))
    return {s: f for s, f in found.items() if s in sources}
