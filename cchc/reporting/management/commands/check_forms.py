"""cchc check-forms PATH [--json] [--form-set KEY] [--period 2024-H1]

Computes and validates one set of statistical forms: a JSON file
``{"form_set"?: "bnv-2024", "period"?: "2024-H1", "values": {code: number}}`` or a filled form
(.xlsx / .docx / .doc / .rtf; irregularities of a real annex are read through and reported as
warnings, never fatal while some value can be read). Prints every value (inputs and derived) and the findings; with --json as
``{"form_set", "version", "values": {code: number}, "display": {...}, "findings": [{"rule",
"codes", "severity", "message"}]}``. The form set is recognised from the document or the codes
when not given. Bad input: exit status 2 and one line on stderr saying what and where.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.statforms import FormInputError, FormReadError, check, load_form_set, read_form_document


def _codes(message: str) -> list[str]:
    """The row code a reading warning names ("Dòng 1.2.1: …"), if any."""
    m = re.match(r"^Dòng (\d+:[\d.]+): ", message)
    return [m.group(1)] if m else []


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


class Command(BaseCommand):
    help = "Tính và kiểm tra số liệu biểu mẫu thống kê (JSON, .xlsx, .docx, .doc, .rtf)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .json, .xlsx hoặc .docx; «-» đọc JSON từ đầu vào chuẩn")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")
        parser.add_argument("--form-set", dest="form_set", help="Bộ biểu mẫu, ví dụ bnv-2024 (mặc định: nhận ra từ tệp)")
        parser.add_argument("--period", help="Kỳ báo cáo, ví dụ 2024-H1")

    def handle(self, *args, **options):
        self._read_warnings: list[str] = []
        self._own_rows = None  # a document no known set fits is checked against its own rows
        payload = self._payload(options["path"])
        if options.get("form_set"):
            payload["form_set"] = options["form_set"]
        if options.get("period"):
            payload["period"] = options["period"]
        where = options["path"]
        own = None if options.get("form_set") else self._own_rows  # an explicit --form-set wins
        try:
            result = check(payload, form_set=own)
        except FormInputError as exc:
            field = f" (chỉ tiêu {exc.code})" if exc.code else ""
            raise _fail(f"{where}{field}: {exc.message}") from exc
        if options["json"]:
            reading = [
                {"rule": "read", "codes": _codes(message), "severity": "warning", "message": message}
                for message in getattr(self, "_read_warnings", [])
            ]
            result = {**result, "findings": reading + list(result["findings"])}
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        form_set = own if own is not None else load_form_set(result["form_set"])
        self.stdout.write(f"Bộ biểu mẫu {result['form_set']} (phiên bản {result['version']})")
        for code, text in result["display"].items():
            row = form_set.rows[code]
            mark = "=" if row.derived else " "
            self.stdout.write(f"{code:<12} {mark} {text:>16}  {row.name[:80]}")
        findings = result["findings"]
        findings = [
            {"rule": "read", "codes": [], "severity": "warning", "message": message}
            for message in getattr(self, "_read_warnings", [])
        ] + findings
        self.stdout.write(f"{len(findings)} phát hiện:" if findings else "Không có lỗi, cảnh báo.")
        for finding in findings:
            label = "LỖI" if finding["severity"] == "error" else "CẢNH BÁO"
            self.stdout.write(f"[{label}] {finding['message']}")

    def _payload(self, raw_path: str) -> dict:
        if raw_path == "-":
            return self._json(sys.stdin.read(), "<stdin>")
        path = Path(raw_path)
        if not path.is_file():
            raise _fail(f"{raw_path}: không tìm thấy tệp.")
        suffix = path.suffix.lower()
        if suffix == ".json":
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise _fail(f"{raw_path}: không đọc được tệp ({exc.__class__.__name__}).") from exc
            return self._json(text, raw_path)
        if suffix in (".xlsx", ".docx", ".doc", ".rtf"):
            try:
                document = read_form_document(path)
            except FormReadError as exc:
                raise _fail(str(exc) if str(exc).startswith(path.name) else f"{raw_path}: {exc}") from exc
            except Exception as exc:  # a corrupt or disguised file
                raise _fail(f"{raw_path}: không đọc được tệp ({exc.__class__.__name__}).") from exc
            if document.problems and not document.values:
                raise _fail(f"{raw_path}: {document.problems[0]}")
            # Read through while some values can be read: what was skipped or mended is a warning.
            self._read_warnings = [
                f"{p} Bỏ qua giá trị này." for p in document.problems
            ] + list(document.warnings)
            payload: dict = {"values": dict(document.values)}
            if document.recognised:
                payload["form_set"] = document.recognised
                known = set(load_form_set(document.recognised).rows)
                payload["values"] = {c: v for c, v in document.values.items() if c in known}
            else:
                self._own_rows = document.form_set
            return payload
        raise _fail(f"{raw_path}: chỉ đọc được tệp .json, .xlsx, .docx, .doc hoặc .rtf.")

    def _json(self, text: str, where: str) -> dict:
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise _fail(f"{where}: JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.") from exc
        if not isinstance(data, dict):
            raise _fail(f"{where}: cần một đối tượng JSON {{\"form_set\", \"period\", \"values\"}}.")
        return data
