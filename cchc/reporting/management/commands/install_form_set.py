"""cchc install-form-set PATH: put a reviewed form-set definition (what `cchc import-form-set`
proposed) into use: checked, copied to DATA_DIR/forms/KEY.json and stored as a version, so that
documents of the set are recognised and new periods of its year open with it."""

import copy
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.core.statforms import FORMS_DIR, form_set_path
from cchc.core.statforms.model import FormSet
from cchc.history.context import change_context
from cchc.reporting.formsets import plain_json, sync_form_sets


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "Áp dụng một bộ biểu mẫu mới đã rà soát (tệp JSON do cchc import-form-set đề xuất): kiểm tra, "
        "chép vào DATA_DIR/forms và nạp thành phiên bản, để tài liệu theo bộ này được nhận ra và các kỳ "
        "báo cáo mới của năm áp dụng dùng bộ này."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp JSON định nghĩa bộ biểu mẫu")
        parser.add_argument(
            "--accept-proposed",
            action="store_true",
            help="xác nhận mọi công thức còn ở trạng thái đề xuất (đã rà soát khi nhập)",
        )

    def handle(self, *args, path, accept_proposed, **options):
        source = Path(path)
        try:
            definition = json.loads(source.read_text(encoding="utf-8"), parse_float=Decimal)
        except OSError as error:
            raise _fail(f"{source}: không đọc được tệp ({error.__class__.__name__}).") from error
        except ValueError as error:
            raise _fail(f"{source.name}: không phải tệp JSON hợp lệ ({error}).") from error
        try:
            form_set = FormSet.from_dict(definition)
        except (ValueError, KeyError, TypeError) as error:
            raise _fail(f"{source.name}: định nghĩa bộ biểu mẫu không hợp lệ: {error}") from error
        if not isinstance(definition.get("year"), int):
            raise _fail(f"{source.name}: thiếu «year» (năm bắt đầu áp dụng), ví dụ \"year\": 2026.")
        proposed = [row.code for row in form_set.rows.values() if row.formula and row.formula.status != "confirmed"]
        if proposed and not accept_proposed:
            shown = ", ".join(proposed[:8]) + ("…" if len(proposed) > 8 else "")
            raise _fail(
                f"{source.name}: {len(proposed)} công thức chưa được xác nhận ({shown}); rà soát rồi đổi "
                "\"status\" thành \"confirmed\", hoặc chạy lại với --accept-proposed."
            )
        key = form_set.key
        if form_set_path(key, FORMS_DIR) is not None:
            raise _fail(f"{source.name}: «{key}» là bộ biểu mẫu có sẵn của cchc; hãy đặt mã khác, ví dụ {key}-tinh.")
        confirmed = _confirmed(definition)
        installed = FormSet.from_dict(confirmed)  # the version of what is stored (statuses dropped)
        target_dir = settings.DATA_DIR / "forms"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{key}.json"
        previous = target.read_bytes() if target.exists() else None
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(plain_json(confirmed), ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(target)
        try:
            with transaction.atomic(), change_context(origin=f"cchc install-form-set {source.name}"):
                touched = [v for v in sync_form_sets(directory=target_dir) if v.key == key]
        except Exception:
            # The database kept nothing: neither may the directory (all or nothing).
            if previous is None:
                target.unlink()
            else:
                target.write_bytes(previous)
            raise
        state = "đã nạp phiên bản" if touched else "không đổi, phiên bản"
        self.stdout.write(
            f"Bộ biểu mẫu {key} ({len(installed.rows)} dòng, {len(installed.forms)} biểu) {state} {installed.version}; "
            f"áp dụng từ năm {definition['year']}: {target}"
        )


def _confirmed(definition: dict) -> dict:
    """The definition with every formula's status confirmed (a formula without status is)."""
    out = copy.deepcopy(definition)
    for form in out.get("forms", []):
        for row in form.get("rows", []):
            if isinstance(row.get("formula"), dict):
                row["formula"].pop("status", None)
    return out
