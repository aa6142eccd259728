"""What the periodic commands share (reminders, digest, status refresh): `--today DD/MM/YYYY` for
tests and back-fills."""

import argparse
import datetime

from django.core.management.base import BaseCommand

from cchc.today import today as business_today


def vietnamese_date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {value!r} (cần dạng DD/MM/YYYY)") from None


class JobCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=vietnamese_date, default=None, metavar="DD/MM/YYYY",
            help="chạy như thể hôm nay là ngày này (mặc định: hôm nay)",
        )

    def day(self, options) -> datetime.date:
        return options["today"] or business_today()
