import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc.core.statforms import read_form_document
from cchc.core.statforms.model import FormSet
from cchc.reporting.formsets import plain_json


class Command(BaseCommand):
    help = (
        "Đọc một bộ biểu mẫu thống kê mới (.docx, .xlsx, .txt; trống hoặc đã điền) thành định nghĩa "
        "phiên bản mới: các dòng, mã, tên, đơn vị tính, kiểu giá trị, phân cấp; công thức được đề xuất "
        "để người rà soát xác nhận."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--key", required=True, help="mã bộ biểu mẫu mới, ví dụ bnv-2026")
        parser.add_argument("--year", type=int, help="năm bắt đầu áp dụng")
        parser.add_argument("--output", help="tệp JSON ghi định nghĩa đề xuất (mặc định: DATA_DIR/forms-proposed/KEY.json)")

    def handle(self, *args, path, key, year, output, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source}: không tìm thấy tệp", returncode=2)
        try:
            document = read_form_document(source)
        except (ValueError, OSError, zipfile.BadZipFile) as error:
            raise CommandError(f"{source.name}: {error}", returncode=2) from error
        definition = document.form_set.to_dict()
        definition.update({"key": key, "source": source.name, **({"year": year} if year else {})})
        proposed = FormSet.from_dict(definition)  # the definition must load as a form set as it stands
        target = Path(output) if output else settings.DATA_DIR / "forms-proposed" / f"{key}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(plain_json(definition), ensure_ascii=False, indent=2), encoding="utf-8")
        for form in proposed.forms:
            self.stdout.write(f"Biểu mẫu {form.number}: {len(form.codes)} dòng")
        formulas = [row for row in proposed.rows.values() if row.formula is not None]
        self.stdout.write(f"Công thức đề xuất ({len(formulas)}), cần rà soát:")
        for row in formulas:
            self.stdout.write(f"  {row.code}: {row.formula.describe()} [{row.formula.status}]")
        for problem in document.problems:
            self.stdout.write(f"  ! {problem}")
        self.stdout.write(
            f"Đã ghi {target}. Rà soát các công thức (đổi \"status\" thành \"confirmed\"), rồi áp dụng: "
            f"cchc install-form-set {target}"
        )
