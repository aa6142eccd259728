"""A periodic report written outside cchc, taken into a unit's submission for review: the numbers
of its annex forms as imported values, and its narrative sections by reform area kept with the
document's number, date and title (`Submission.narrative`), so that the province's compiled report
quotes them beside what units wrote in cchc. Used by `cchc import-report` and by the submission
page's "Nhập báo cáo đã ban hành". All or nothing: a refused report changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from cchc.core.plan_reader import PlanReadError
from cchc.core.report_reader import read_report
from cchc.core.statforms import name_conflicts

from .models import Submission, SubmissionValue
from .services import ReportingError, ensure_editable, form_set_of, save_values

#: report_reader's period suffixes -> ReportingPeriod.Kind values
PERIOD_KINDS = {"Q1": "q1", "H1": "h1", "Q3": "q3", "Y": "year"}


@dataclass
class TakenIn:
    values: int  # annex figures stored
    changed: int  # of which changed a stored value
    sections: int  # narrative sections kept
    warnings: list[str] = field(default_factory=list)


def read_report_file(path: str | Path, shown: str | None = None) -> dict:
    """The report read from a file; a file that cannot be read is a ReportingError naming it."""
    shown = shown or Path(path).name
    try:
        return read_report(path)
    except PlanReadError as exc:  # named once: most of the reader's messages name the file already
        where = f"{Path(shown).name}:{exc.line}" if exc.line is not None else Path(shown).name
        raise ReportingError(exc.message if exc.line is None and where in exc.message else f"{where}: {exc.message}") from exc
    except OSError as exc:
        raise ReportingError(f"Tệp {shown}: không mở được tệp ({exc.strerror or exc}).") from exc


def period_matches(report: dict, submission: Submission) -> bool:
    if report["period"] is None:
        return True  # the title does not say; the submission's period is the person's choice
    year, suffix = report["period"].split("-")
    return int(year) == submission.period.year and PERIOD_KINDS[suffix] == submission.period.kind


def narrative_of(report: dict, shown: str) -> dict:
    return {
        "source": shown,
        "title": report["title"],
        "number": report["number"],
        "issued_on": report["issued_on"],
        "sections": [
            {"number": s["number"], "area": s["area"], "title": s["title"], "text": s["text"]}
            for s in report["sections"] if s["text"]
        ],
    }


@transaction.atomic
def take_in_report(submission: Submission, report: dict, shown: str) -> TakenIn:
    """Store what `report` (as `read_report` returns it) holds into the draft `submission`."""
    submission = Submission.objects.select_for_update().select_related("period", "unit").get(pk=submission.pk)
    ensure_editable(submission)
    if not period_matches(report, submission):
        raise ReportingError(
            f"Tệp {shown} là báo cáo kỳ {report['period']}, không phải kỳ {submission.period.label}; "
            "chưa có gì được lưu."
        )
    forms = report["forms"]
    form_set = form_set_of(submission)
    if forms is not None:
        printed = {code: row.name for code, row in forms.form_set.rows.items()}
        conflicts = name_conflicts(form_set, printed)
        if conflicts:  # a renumbered newer form: its values would land on other rows
            raise ReportingError(
                f"Tệp {shown}: phụ lục theo bộ biểu mẫu khác bộ {form_set.key} của kỳ báo cáo; chưa có gì được lưu.",
                [
                    f"Chỉ tiêu {c} trong tệp là «{printed[c][:80]}», trong bộ {form_set.key} là «{form_set.rows[c].name[:80]}»."
                    for c in conflicts
                ],
            )
    inputs = set(form_set.input_codes())
    values = {c: v for c, v in (forms.values if forms is not None else {}).items() if c in inputs}
    notes = {c: n for c, n in (forms.notes if forms is not None else {}).items() if c in inputs}
    narrative = narrative_of(report, shown)
    if not values and not narrative["sections"]:
        raise ReportingError(
            f"Tệp {shown}: không tìm thấy số liệu biểu mẫu nào, cũng không có phần kết quả theo lĩnh vực "
            "cải cách hành chính; chưa có gì được lưu.",
            report["warnings"],
        )
    changed = save_values(submission, values, notes, source=SubmissionValue.Source.IMPORT) if values else 0
    if narrative["sections"]:
        submission.refresh_from_db()
        submission.narrative = narrative
        submission.save(update_fields=["narrative", "updated_at"])
    warnings = list(report["warnings"])
    if forms is not None:
        warnings += list(forms.warnings) + list(forms.problems)
    return TakenIn(len(values), changed, len(narrative["sections"]), warnings)
