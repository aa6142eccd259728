import json

from django.core.management.base import BaseCommand, CommandError

from cchc.core import units as core
from cchc.history.context import change_context
from cchc.units.registry import load_all_provinces, load_province


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị của một tỉnh, thành phố (UBND tỉnh, sở ngành, cơ quan Trung ương trên địa bàn, "
        "huyện, xã trước và sau 01/7/2025, các tỉnh đã hợp nhất)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="thanh-hoa", help="mã tỉnh (mặc định: thanh-hoa; xem --list)")
        parser.add_argument("--all", action="store_true", help="nạp cả 34 tỉnh, thành phố")
        parser.add_argument("--list", action="store_true", help="in danh sách mã tỉnh rồi dừng")
        parser.add_argument("--json", action="store_true", help="in số liệu của tỉnh dưới dạng JSON")

    def handle(self, *args, province, **options):
        if options["list"]:
            for key, prov in core.provinces().items():
                self.stdout.write(f"{key}\t{prov.name}")
            return
        keys = list(core.provinces()) if options["all"] else [province]
        try:
            summaries = [core.province_summary(key) for key in keys]
        except core.UnknownProvince as error:
            raise CommandError(str(error)) from None
        with change_context(origin="cchc load-units"):
            result = load_all_provinces() if options["all"] else load_province(province)
        if options["json"]:
            payload = summaries if options["all"] else summaries[0]
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"Đã nạp đơn vị: thêm {result.created}, cập nhật {result.updated}, quan hệ kế thừa mới {result.successions}."
        )
