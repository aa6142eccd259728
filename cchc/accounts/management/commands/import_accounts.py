from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.accounts import bulk
from cchc.history.context import change_context


class Command(BaseCommand):
    help = ("Nhập tài khoản và thành viên đơn vị từ tệp .xlsx (họ và tên, thư điện tử, đơn vị, vai trò); "
            "người mới nhận thư có đường dẫn đặt mật khẩu.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="tệp .xlsx theo mẫu")
        parser.add_argument("--dry-run", action="store_true", help="chỉ cho biết những gì sẽ thay đổi, không ghi, không gửi thư")
        parser.add_argument("--template", metavar="TỆP", help="ghi tệp mẫu rồi dừng")
        parser.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP",
                            help="nhập với quyền của tài khoản này (mặc định: toàn quyền)")

    def handle(self, *args, file=None, dry_run=False, template=None, by=None, **options):
        if template:
            Path(template).write_bytes(bulk.template())
            self.stdout.write(f"Đã ghi tệp mẫu {template}.")
            return
        if not file or not Path(file).is_file():
            raise CommandError(f"Không có tệp {file}." if file else "Cần tệp .xlsx (hoặc --template TỆP).")
        importer = None
        if by:
            importer = get_user_model().objects.filter(username=by).first()
            if importer is None:
                raise CommandError(f"Không có tài khoản {by}.")
        path = Path(file)
        try:
            if dry_run:
                plan = bulk.dry_run(path.read_bytes(), path.name, importer)
            else:
                with change_context(user=importer, origin=f"cchc import-accounts {path.name}"):
                    plan = bulk.apply(path.read_bytes(), path.name, importer)
        except bulk.ImportRefused as refused:
            raise CommandError("Không nhập được (không có gì được ghi):\n" + "\n".join(refused.errors)) from None
        for line in plan.lines:
            if line.membership == "unchanged":
                continue
            what = (f"{line.old_role_label} → {line.role_label}" if line.membership == "role" else line.role_label)
            self.stdout.write(f"  dòng {line.line}: {line.full_name} <{line.email}>{' (mới)' if line.new_user else ''}"
                              f", {line.unit.name}: {what}")
        head = "Sẽ" if dry_run else "Đã"
        self.stdout.write(f"{head} tạo {plan.new_users} tài khoản mới, thêm {plan.new_memberships} lượt vào đơn vị, "
                          f"đổi vai trò {plan.role_changes} lượt; {plan.unchanged} dòng không đổi.")
        if not dry_run:
            self.stdout.write(f"Thư có đường dẫn đặt mật khẩu: gửi tới {plan.new_users} người mới.")
