"""cchc import-report PATH [--unit CODE] [--json]

Reads a periodic CCHC report written outside cchc (.docx, .doc, .rtf, .pdf, .txt: a unit that does
not use cchc yet, or a past year) with `cchc.core.report_reader`, and puts the numbers of its annex
forms into the unit's submission for that reporting period, as a draft for review (values marked
"Nhập từ tệp"). With --json, prints what was read and stores nothing. Bad input: exit status 2.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.core.plan_reader import PlanReadError
from cchc.core.report_reader import read_report

_KINDS = {"Q1": "q1", "H1": "h1", "Q3": "q3", "Y": "year"}


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


class Command(BaseCommand):
    help = "Đọc một báo cáo CCHC định kỳ (.docx, .doc, .rtf, .pdf, .txt) và nhập số liệu biểu mẫu thành bản báo cáo chờ soát xét."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--unit", help="mã đơn vị gửi báo cáo (mặc định: nhận ra từ cơ quan ban hành)")
        parser.add_argument("--json", action="store_true", help="chỉ in những gì đọc được, không ghi vào CSDL")

    def handle(self, *args, path, unit, json: bool, **options):
        try:
            report = read_report(path)
        except PlanReadError as exc:
            raise _fail(str(exc)) from exc
        except OSError as exc:
            raise _fail(f"{path}: không mở được tệp ({exc.strerror or exc}).") from exc
        forms = report["forms"]
        if json:
            shown = {k: v for k, v in report.items() if k != "forms"}
            shown["forms"] = forms.to_dict() if forms is not None else None
            self.stdout.write(_dumps(shown))
            return
        self.store(report, path, unit)

    def store(self, report: dict, path: str, unit_code: str | None) -> None:
        from cchc.history.context import change_context
        from cchc.reporting.models import ReportingPeriod, SubmissionValue
        from cchc.reporting.services import ReportingError, form_set_of, open_submission, save_values
        from cchc.units.models import Unit

        if unit_code:
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is None:
                raise _fail(f"{path}: không có đơn vị mã “{unit_code}” trong danh mục.")
        else:
            matches = list(Unit.objects.filter(name=report["issuer"] or "")[:2])
            if len(matches) != 1:
                raise _fail(f"{path}: không xác định được đơn vị “{report['issuer'] or '(trống)'}”; hãy dùng --unit MÃ.")
            unit = matches[0]
        if report["period"] is None:
            raise _fail(f"{path}: {report['warnings'][0]}")
        year, suffix = report["period"].split("-")
        candidates = ReportingPeriod.objects.filter(kind=_KINDS[suffix], year=int(year))
        period = next((p for p in candidates if unit.pk in Unit.objects.subtree_ids(p.province)), None)
        if period is None:
            raise _fail(f"{path}: chưa có kỳ báo cáo {report['period']} cho {unit}.")
        forms = report["forms"]
        if forms is None or not forms.values:
            raise _fail(f"{path}: báo cáo không có phụ lục biểu mẫu có số liệu.")
        try:
            with transaction.atomic(), change_context(origin=f"cchc import-report {path}"):
                submission = open_submission(period, unit, None)
                inputs = set(form_set_of(submission).input_codes())
                values = {c: v for c, v in forms.values.items() if c in inputs}
                notes = {c: n for c, n in forms.notes.items() if c in inputs}
                changed = save_values(submission, values, notes, source=SubmissionValue.Source.IMPORT)
        except ReportingError as exc:
            raise _fail(f"{path}: {exc}") from exc
        self.stdout.write(
            f"Đã nhập {len(values)} chỉ tiêu ({changed} thay đổi) từ “{path}” vào báo cáo của {unit} "
            f"kỳ {period.label} (bản nháp, chờ soát xét)."
        )
        for warning in report["warnings"] + list(forms.warnings) + list(forms.problems):
            self.stdout.write(f"[CẢNH BÁO] {warning}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
