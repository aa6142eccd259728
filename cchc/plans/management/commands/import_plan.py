import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.plan_reader import PlanReadError, read_plan
from cchc.history.context import change_context
from cchc.units.models import Unit


class Command(BaseCommand):
    help = "Đọc một văn bản kế hoạch (.txt, .docx, .doc, .rtf, .pdf) và nhập thành kế hoạch dự thảo."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--year", type=int, help="năm của kế hoạch, khi văn bản không ghi rõ")
        parser.add_argument("--json", action="store_true", help="chỉ in kế hoạch đã đọc (JSON), không ghi vào CSDL")
        parser.add_argument("--issuer", help="mã đơn vị ban hành, khi không nhận ra từ văn bản")

    def handle(self, *args, path, year, json: bool, issuer, **options):
        source = Path(path)
        try:
            if json:
                self.stdout.write(
                    json_module.dumps(
                        read_plan(_checked(source), year=year, progress=self.ocr_progress), ensure_ascii=False, indent=2
                    )
                )
                return
            self.import_into_database(_checked(source), year, issuer)
        except PlanReadError as error:
            raise CommandError(str(error), returncode=2) from error

    def ocr_progress(self, done: int, total: int) -> None:
        """A scanned PDF is OCR'd first: its pages, as they are recognised, on stderr."""
        self.stderr.write(f"Nhận dạng ký tự (OCR) bản quét: {done}/{total} trang")

    def import_into_database(self, source: Path, year, issuer_code):
        from cchc.plans.importing import ImportRefused, import_plan_file

        issuer = None
        if issuer_code:
            issuer = Unit.objects.filter(code=issuer_code).first()
            if issuer is None:
                raise CommandError(f"{source.name}: không có đơn vị mã “{issuer_code}” trong danh mục", returncode=2)
        try:
            with change_context(origin=f"cchc import-plan {source.name}"):
                outcome = import_plan_file(source, issuer=issuer, year=year, progress=self.ocr_progress)
        except ImportRefused as error:
            raise CommandError(str(error), returncode=2) from error
        plan = outcome.plan
        if outcome.duplicate:
            self.stdout.write(f"Tệp này đã được nhập trước đây: {plan} (mã {plan.pk}).")
            return
        self.stdout.write(f"Đã nhập {plan} (mã {plan.pk}): {plan.tasks.count()} nhiệm vụ, dự thảo.")
        if outcome.unresolved:
            self.stdout.write(f"Chưa xác định được {len(outcome.unresolved)} cơ quan:")
            for text in outcome.unresolved:
                self.stdout.write(f"  - {text}")


def _checked(source: Path) -> Path:
    if not source.exists():
        raise PlanReadError("không tìm thấy tệp", source_name=str(source))
    if source.suffix.lower() not in {".txt", ".docx", ".pdf", ".doc", ".rtf"}:
        raise PlanReadError(
            f"định dạng “{source.suffix or '(không có)'}” không được hỗ trợ; hãy dùng .txt, .docx, .doc, .rtf hoặc .pdf",
            source_name=source.name,
        )
    return source

