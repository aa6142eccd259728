"""cchc sipas-index PATH --design KEY [--json]

Computes the indices from the responses in a .csv/.xlsx (one row per response, one column per
question code, answer codes as values). With --json prints ``{"overall": pct, "aspects": {code:
pct}, "factors": {code: pct}, "questions": {code: {"pct", "valid"}}, "responses": n}``. Bad input:
exit status 2 and one line on stderr saying what and where.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.surveys import (
    DesignError,
    SurveyReadError,
    compute_responses,
    load_design,
    read_responses,
    show_pct,
)


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


class Command(BaseCommand):
    help = "Tính chỉ số hài lòng từ tệp phiếu trả lời (.csv, .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .csv hoặc .xlsx: mỗi dòng một phiếu, mỗi cột một mã câu hỏi")
        parser.add_argument("--design", required=True, help="Mã thiết kế phiếu, ví dụ sipas-2023")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, **options):
        try:
            design = load_design(options["design"])
        except DesignError as exc:
            raise _fail(f"--design: {exc}") from exc
        raw_path = options["path"]
        path = Path(raw_path)
        if not path.is_file():
            raise _fail(f"{raw_path}: không tìm thấy tệp.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(f"{raw_path}: không đọc được tệp ({exc.__class__.__name__}).") from exc
        try:
            read = read_responses(data, path.name, design)
        except SurveyReadError as exc:
            raise _fail(str(exc)) from exc
        if read.errors:
            more = f" (và {len(read.errors) - 1} lỗi khác)" if len(read.errors) > 1 else ""
            raise _fail(f"{path.name}, {read.errors[0]}{more}")
        result = compute_responses(design, (row.answers for row in read.rows))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{design.name}: {result.responses} phiếu")
        self.stdout.write(f"Chỉ số chung: {_show(result.overall)}")
        for code, factor in design.factors.items():
            self.stdout.write(f"  {code:<8} {_show(result.factors[code]):>24}  {factor.name}")


def _show(stat) -> str:
    if stat.pct is None:
        return "chưa có câu trả lời hợp lệ"
    return f"{show_pct(stat.pct)} ± {show_pct(stat.margin)} (n = {stat.valid})"
