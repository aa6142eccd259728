from django.core.management.base import BaseCommand, CommandError

from cchc.core.statforms.numbers import format_vn_number as format_number
from cchc.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu `cchc backup` vào thư mục dữ liệu/CSDL trống."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .tar.gz do `cchc backup` tạo")
        parser.add_argument("--force", action="store_true", help="ghi đè CSDL và tệp hiện có")

    def handle(self, *args, path, force, **options):
        try:
            manifest = restore_backup(path, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(f"Khôi phục thất bại: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {manifest['created']}: CSDL và "
            f"{format_number(len(manifest['media']))} tệp."
        ))
