import json as json_module

from django.core.management.base import BaseCommand

from cchc.core.deadlines import parse_deadline


class Command(BaseCommand):
    help = "Phân tích một cụm từ thời hạn (\"Quý III/2022\", \"Thường xuyên\"…) thành các mốc thời hạn."

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--year", type=int, required=True, help="năm của kế hoạch")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args, text, year, json: bool, **options):
        milestones = [m.as_json() for m in parse_deadline(text, year)]
        if json:
            self.stdout.write(json_module.dumps({"milestones": milestones}, ensure_ascii=False, indent=2))
            return
        for m in milestones:
            label = f"{m['label']}: " if m["label"] else ""
            recurrence = f" (định kỳ: {', '.join(m['recurrence'])})" if m["recurrence"] else ""
            self.stdout.write(f"{label}{m['kind']} {m['due'] or '—'}{recurrence}")

