from django.core.management.base import BaseCommand, CommandError
from django.forms import DateField
from django.utils import timezone

from cchc.tracking.status import refresh_due


class Command(BaseCommand):
    help = "Tính lại tình trạng đã lưu của các nhiệm vụ có hạn vừa qua (chạy hằng ngày; nhắc việc cũng gọi)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ngày tính (dd/mm/yyyy), mặc định hôm nay")

    def handle(self, *args, today=None, **options):
        try:
            day = DateField().clean(today) if today else timezone.localdate()
        except Exception as error:
            raise CommandError(f"Ngày không hợp lệ: “{today}” (cần dd/mm/yyyy)", returncode=2) from error
        changed = refresh_due(day)
        self.stdout.write(f"Đã cập nhật tình trạng của {changed} nhiệm vụ tính đến ngày {day:%d/%m/%Y}.")
