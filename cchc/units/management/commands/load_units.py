from django.core.management.base import BaseCommand

from cchc.history.context import change_context
from cchc.units.registry import load_province


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị của một tỉnh (UBND tỉnh, sở ngành, huyện, xã trước và sau 01/7/2025)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="thanh-hoa", help="mã tỉnh trong dữ liệu (mặc định: thanh-hoa)")

    def handle(self, *args, province, **options):
        with change_context(origin="cchc load-units"):
            result = load_province(province)
        self.stdout.write(
            f"Đã nạp đơn vị: thêm {result.created}, cập nhật {result.updated}, quan hệ kế thừa mới {result.successions}."
        )
