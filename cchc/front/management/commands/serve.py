from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.demo import DEMO_PASSWORD, DEMO_USERS
from cchc.units.models import Unit


class Command(BaseCommand):
    help = "Tạo thư mục dữ liệu, cập nhật CSDL, nạp dữ liệu mẫu nếu CSDL trống và chạy máy chủ."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
        parser.add_argument("--no-demo", action="store_true", help="không nạp dữ liệu mẫu")

    def handle(self, *args, addr, no_demo, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not Unit.objects.exists():
            self.stdout.write("CSDL trống: đang nạp dữ liệu mẫu (đơn vị, tài khoản, kế hoạch)…")
            call_command("load_demo")
        self.stdout.write(self.style.SUCCESS(f"\nCCHC đang chạy tại http://{addr}/"))
        self.stdout.write(f"Dữ liệu: {settings.DATA_DIR}")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
        self.stdout.write("  admin — quản trị hệ thống")
        for username, full_name, _unit_code, role in DEMO_USERS:
            self.stdout.write(f"  {username} — {full_name} ({role})")
        call_command("runserver", addr, use_reloader=False, use_threading=True)
