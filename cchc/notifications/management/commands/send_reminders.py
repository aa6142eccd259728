from cchc.job_command import JobCommand
from cchc.notifications.jobs import run_daily, vn_date


class Command(JobCommand):
    help = (
        "Nhắc việc hằng ngày: cập nhật tình trạng, tạo thông báo về nhiệm vụ sắp đến hạn (7 ngày) "
        "và quá hạn cho cán bộ, lãnh đạo đơn vị, gửi thư cho người chọn nhận thư hằng ngày."
    )

    def handle(self, *args, **options):
        today = self.day(options)
        counts = run_daily(today)
        self.stdout.write(
            f"Nhắc việc ngày {vn_date(today)}: cập nhật tình trạng {counts['refreshed']} nghĩa vụ; "
            f"{counts['due_soon']} nghĩa vụ sắp đến hạn, {counts['overdue']} nghĩa vụ quá hạn; "
            f"tạo {counts['created']} thông báo mới; gửi {counts['emails']} thư."
        )
        if counts["errors"]:
            self.stderr.write(f"{counts['errors']} thư không gửi được (sẽ gửi lại lần chạy sau).")
