"""cchc par-score PATH --template KEY [--forms FORMS.json] [--json]

PATH is a filled self-assessment (.docx / .xlsx, the criteria table with a "Điểm tự đánh giá"
column) or JSON ``{"scores": {leaf: number}, "inputs": {name: number}}``. Auto-scored leaves take
their ``forms.CODE`` inputs from --forms (the check-forms value format). Bad input: exit status 2
and one line on stderr saying what and where.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.par import ScoreError, TemplateError, load_template, score
from cchc.core.par.filled import FilledReadError, read_filled


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: không đọc được tệp ({exc.__class__.__name__}).") from exc
    except json.JSONDecodeError as exc:
        raise _fail(f"{path}: JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.") from exc
    if not isinstance(data, dict):
        raise _fail(f"{path}: cần một đối tượng JSON.")
    return data


class Command(BaseCommand):
    help = "Tính điểm Chỉ số CCHC từ bản tự đánh giá (.docx, .xlsx hoặc JSON)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Bản tự đánh giá .docx, .xlsx hoặc .json")
        parser.add_argument("--template", required=True, help="Bộ tiêu chí (xem cchc par-templates)")
        parser.add_argument("--forms", help="Số liệu biểu mẫu thống kê (định dạng của check-forms)")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, **options):
        try:
            template = load_template(options["template"])
        except TemplateError as exc:
            raise _fail(f"--template: {exc}") from exc
        path = Path(options["path"])
        if not path.is_file():
            raise _fail(f"{path}: không tìm thấy tệp.")
        findings: list[str] = []
        if path.suffix.lower() == ".json":
            data = _read_json(path)
            scores, inputs = data.get("scores") or {}, data.get("inputs") or {}
            if not isinstance(scores, dict) or not isinstance(inputs, dict):
                raise _fail(f"{path}: «scores» và «inputs» phải là đối tượng {{mã: số}}.")
        else:
            try:
                filled = read_filled(path, template)
            except FilledReadError as exc:
                raise _fail(str(exc)) from exc
            scores, inputs = filled.scores, {}
            findings.extend(filled.findings)
        if options.get("forms"):
            inputs = {**inputs, **self._forms(Path(options["forms"]))}
        try:
            card = score(template, scores, inputs)
        except ScoreError as exc:
            raise _fail(f"{path}: {exc}") from exc
        result = card.to_dict()
        result["findings"] = findings + result["findings"]
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Bộ tiêu chí {template.key}: {template.name}")
        for code, area in result["areas"].items():
            self.stdout.write(f"{code:<6} {area['self']:>7} / {area['max']:<7} {template.node(code).name}")
        self.stdout.write(
            f"Tổng   {result['total']['self']:>7} / {result['total']['max']}  (chỉ số {result['index']})"
        )
        for finding in result["findings"]:
            self.stdout.write(f"[!] {finding}")

    def _forms(self, path: Path) -> dict:
        from cchc.core.statforms import FormInputError, check

        if not path.is_file():
            raise _fail(f"--forms {path}: không tìm thấy tệp.")
        payload = _read_json(path)
        if "values" not in payload and isinstance(payload.get("inputs"), dict):
            payload = {k: payload[k] for k in ("form_set", "period") if k in payload} | {
                "values": payload["inputs"]
            }
        try:
            result = check(payload)
        except FormInputError as exc:
            raise _fail(f"--forms {path}: {exc.message}") from exc
        return {f"forms.{code}": value for code, value in result["values"].items() if value is not None}
