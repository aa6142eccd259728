from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.setup import NotEmpty, initialise, next_steps
from cchc.core.units import UnknownProvince
from cchc.history.context import change_context


class Command(BaseCommand):
    help = "Cài đặt lần đầu cho một tỉnh: tạo cơ sở dữ liệu, nạp đơn vị và cơ quan, tạo tài khoản điều phối CCHC."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh (xem cchc load-units --list)")
        parser.add_argument("--username", default="dieuphoi", help="tên đăng nhập của điều phối viên (mặc định: dieuphoi)")
        parser.add_argument("--email", default="", help="thư điện tử của điều phối viên")

    def handle(self, *args, province, username, email, **options):
        call_command("migrate", verbosity=0, interactive=False)
        try:
            with change_context(origin="cchc init"):
                done = initialise(province, username=username, email=email)
        except (NotEmpty, UnknownProvince) as error:
            raise CommandError(str(error)) from None
        out = self.stdout
        out.write(f"Đã cài đặt cchc cho {done.province.name}: {done.units.created} đơn vị, "
                  f"{done.units.successions} quan hệ kế thừa.")
        out.write(f"Tài khoản điều phối CCHC ({done.coordinator_unit.name}): {done.username}")
        out.write(f"Mật khẩu (chỉ hiện một lần, hãy đổi sau khi đăng nhập): {done.password}")
        out.write("Các bước tiếp theo:")
        for number, step in enumerate(next_steps(done.username), start=1):
            out.write(f"  {number}. {step}")
