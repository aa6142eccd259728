import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.demo import DEMO_PASSWORD, DEMO_USERS
from cchc.ops import server
from cchc.units.models import Unit


class Command(BaseCommand):
    help = (
        "Tạo thư mục dữ liệu, cập nhật CSDL, nạp dữ liệu mẫu nếu CSDL trống và chạy máy chủ "
        "(gunicorn, hoặc waitress trên Windows) cùng tiến trình xử lý nền nhắc việc."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
        parser.add_argument("--no-demo", action="store_true", help="không nạp dữ liệu mẫu")
        parser.add_argument("--dev", action="store_true", help="máy chủ phát triển của Django (runserver)")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CCHC_WEB_WORKERS", "2")),
                            help="số tiến trình web (mặc định 2)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("CCHC_WEB_THREADS", "4")),
                            help="số luồng mỗi tiến trình web (mặc định 4)")
        parser.add_argument("--no-worker", action="store_true", help="không chạy tiến trình xử lý nền")
        parser.add_argument("--wsgi-app", default=server.WSGI_APP, help="ứng dụng WSGI (module:biến)")

    def handle(self, *args, addr, no_demo, dev, workers, threads, no_worker, wsgi_app, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        from cchc.ops.files import quarantine_orphans

        if orphans := quarantine_orphans():  # files of transactions cut short (power cut, kill)
            self.stdout.write(f"Đã chuyển {len(orphans)} tệp không thuộc bản ghi nào vào {settings.DATA_DIR / 'orphans'}.")
        from cchc.scratch import sweep

        if left := sweep():  # files being read when a process was killed
            self.stdout.write(f"Đã xóa {len(left)} tệp tạm của tiến trình đã dừng đột ngột.")
        if not no_demo and not Unit.objects.exists():
            self.stdout.write("CSDL trống: đang nạp dữ liệu mẫu (đơn vị, tài khoản, kế hoạch)…")
            call_command("load_demo")
        if settings.PRODUCTION and not dev:
            call_command("collectstatic", interactive=False, verbosity=0)
        kind = "runserver" if dev else server.server_kind()
        self.stdout.write(self.style.SUCCESS(f"\nCCHC đang chạy tại http://{addr}/ ({kind})"))
        self.stdout.write(f"Dữ liệu: {settings.DATA_DIR}")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
        self.stdout.write("  admin — quản trị hệ thống")
        for username, full_name, _unit_code, role in DEMO_USERS:
            self.stdout.write(f"  {username} — {full_name} ({role})")
        self.stdout.flush()
        if dev:
            call_command("runserver", addr, use_reloader=False, use_threading=True)
            return
        from django.db import connections

        connections.close_all()  # the children open their own
        web = server.web_command(addr, workers, threads, kind, app=wsgi_app)
        worker = None if no_worker else server.worker_command()
        code = server.Supervisor(web, worker, log=lambda line: self.stderr.write(line)).run()
        if code:
            sys.exit(code)
