from cchc.job_command import JobCommand
from cchc.notifications.jobs import run_weekly, vn_date


class Command(JobCommand):
    help = (
        "Tổng hợp tuần: gửi điều phối CCHC cấp tỉnh danh sách đơn vị có nhiệm vụ quá hạn, "
        "gửi người chọn nhận thư hằng tuần các nhắc việc trong tuần."
    )

    def handle(self, *args, **options):
        today = self.day(options)
        counts = run_weekly(today)
        self.stdout.write(
            f"Tổng hợp tuần ngày {vn_date(today)}: cập nhật tình trạng {counts['refreshed']} nghĩa vụ; "
            f"{counts['late_units']} đơn vị có nhiệm vụ quá hạn; tạo {counts['digests']} bản tổng hợp; "
            f"gửi {counts['emails']} thư."
        )
        if counts["errors"]:
            self.stderr.write(f"{counts['errors']} thư không gửi được (sẽ gửi lại lần chạy sau).")
