from cchc.job_command import JobCommand
from cchc.tracking.status import refresh_due


class Command(JobCommand):
    help = "Tính lại tình trạng đã lưu của các nhiệm vụ có hạn vừa qua (chạy hằng ngày; nhắc việc cũng gọi)."

    def handle(self, *args, **options):
        day = self.day(options)
        changed = refresh_due(day)
        self.stdout.write(f"Đã cập nhật tình trạng của {changed} nhiệm vụ tính đến ngày {day:%d/%m/%Y}.")
