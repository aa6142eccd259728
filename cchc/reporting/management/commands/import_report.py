"""cchc import-report PATH [--unit CODE] [--json]

Reads a periodic CCHC report written outside cchc (.docx, .doc, .rtf, .pdf, .txt: a unit that does
not use cchc yet, or a past year) with `cchc.core.report_reader`, and puts the numbers of its annex
forms and its narrative sections by reform area into the unit's submission for that reporting
period, as a draft for review (values marked "Nhập từ tệp"); see `cchc.reporting.report_import`.
With --json, prints what was read and stores nothing. Bad input: exit status 2.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


class Command(BaseCommand):
    help = "Đọc một báo cáo CCHC định kỳ (.docx, .doc, .rtf, .pdf, .txt) và nhập số liệu biểu mẫu thành bản báo cáo chờ soát xét."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--unit", help="mã đơn vị gửi báo cáo (mặc định: nhận ra từ cơ quan ban hành)")
        parser.add_argument("--json", action="store_true", help="chỉ in những gì đọc được, không ghi vào CSDL")

    def handle(self, *args, path, unit, json: bool, **options):
        from cchc.reporting.report_import import read_report_file
        from cchc.reporting.services import ReportingError

        try:
            report = read_report_file(path, path)
        except ReportingError as exc:
            raise _fail(str(exc)) from exc
        forms = report["forms"]
        if json:
            shown = {k: v for k, v in report.items() if k != "forms"}
            shown["forms"] = forms.to_dict() if forms is not None else None
            self.stdout.write(_dumps(shown))
            return
        self.store(report, path, unit)

    def store(self, report: dict, path: str, unit_code: str | None) -> None:
        from cchc.history.context import change_context
        from cchc.reporting.models import ReportingPeriod
        from cchc.reporting.report_import import PERIOD_KINDS, take_in_report
        from cchc.reporting.services import ReportingError, open_submission
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
        candidates = ReportingPeriod.objects.filter(kind=PERIOD_KINDS[suffix], year=int(year))
        period = next((p for p in candidates if unit.pk in Unit.objects.subtree_ids(p.province)), None)
        if period is None:
            raise _fail(f"{path}: chưa có kỳ báo cáo {report['period']} cho {unit}.")
        try:
            with transaction.atomic(), change_context(origin=f"cchc import-report {path}"):
                taken = take_in_report(open_submission(period, unit, None), report, path)
        except ReportingError as exc:
            raise _fail(str(exc)) from exc
        self.stdout.write(
            f"Đã nhập {taken.values} chỉ tiêu ({taken.changed} thay đổi) và {taken.sections} phần thuyết minh "
            f"từ “{path}” vào báo cáo của {unit} kỳ {period.label} (bản nháp, chờ soát xét)."
        )
        for warning in taken.warnings:
            self.stdout.write(f"[CẢNH BÁO] {warning}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
