from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.units import UnknownProvince
from cchc.core.units.bodies import FIELD_LABELS, shown
from cchc.core.units.country import province as find_province
from cchc.history.context import change_context
from cchc.units import bodies
from cchc.units.models import Unit


class Command(BaseCommand):
    help = "Nhập danh mục cơ quan (sở, ban, ngành, cơ quan Trung ương, đơn vị sự nghiệp) của một tỉnh từ tệp .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="tệp .xlsx theo mẫu (cchc import-bodies --template TỆP để lấy mẫu)")
        parser.add_argument("--province", required=True, help="mã tỉnh (xem cchc load-units --list)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ cho biết những gì sẽ thay đổi, không ghi")
        parser.add_argument("--template", metavar="TỆP", help="ghi tệp mẫu (điền sẵn danh mục hiện tại) rồi dừng")

    def handle(self, *args, file=None, province, dry_run=False, template=None, **options):
        try:
            code = find_province(province).code
        except UnknownProvince as error:
            raise CommandError(str(error)) from None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Chưa nạp đơn vị của tỉnh {province}: chạy cchc load-units --province {province} trước.")
        if template:
            Path(template).write_bytes(bodies.template(unit))
            self.stdout.write(f"Đã ghi tệp mẫu {template}.")
            return
        if not file:
            raise CommandError("Cần tệp .xlsx (hoặc --template TỆP để lấy tệp mẫu).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        data = path.read_bytes()
        try:
            if dry_run:
                plan = bodies.dry_run(unit, data, path.name)
            else:
                with change_context(origin=f"cchc import-bodies {path.name}"):
                    plan = bodies.apply(unit, data, path.name)
        except bodies.ImportRefused as refused:
            raise CommandError("Không nhập được (không có gì được ghi):\n" + "\n".join(refused.errors)) from None
        for change in plan.changes:
            if change.action == "unchanged":
                continue
            verb = "thêm" if change.action == "create" else "sửa"
            details = "; ".join(f"{FIELD_LABELS.get(k, k)}: {shown(old)} → {shown(new)}" for k, (old, new) in change.fields.items())
            details += "".join(f"; kế thừa từ {p}" for p, _s, _on in change.successions)
            self.stdout.write(f"  dòng {change.line}: {verb} {change.code} ({change.name}) {details}")
        head = "Sẽ" if dry_run else "Đã"
        self.stdout.write(
            f"{head} thêm {plan.created}, sửa {plan.updated}, giữ nguyên {plan.unchanged} cơ quan; "
            f"{plan.successions} quan hệ kế thừa mới."
        )

