from django.core.management.base import BaseCommand, CommandError

from cchc.core.statforms.numbers import format_vn_number as format_number
from cchc.ops.backup import BackupError, create_backup, prune


class Command(BaseCommand):
    help = "Sao lưu CSDL và mọi tệp đã tải lên vào một tệp .tar.gz (kèm bản kê mã băm SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .tar.gz cần ghi, hoặc một thư mục (tên tệp theo thời điểm)")
        parser.add_argument("--keep", type=int, help="khi PATH là thư mục: chỉ giữ N bản mới nhất")

    def handle(self, *args, path, keep, **options):
        try:
            result = create_backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(f"Sao lưu thất bại: {error}") from error
        if keep:
            prune(result.path.parent, keep)
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu vào {result.path}: CSDL và {format_number(result.files)} tệp, "
            f"{format_number(result.size)} byte."
        ))
