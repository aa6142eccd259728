"""Files taken into a unit's draft submission: filled forms (.xlsx, .docx) and a report issued
outside cchc (.docx, .pdf, .doc), whose figures and narrative go in together. Each upload
is checked for what it really is before it is read; nothing is stored unless all of it can be."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.history.context import change_context
from cchc.scratch import upload_on_disk

from . import services
from .forms import ImportForm, ReportImportForm
from .models import SubmissionValue
from .report_import import read_report_file, take_in_report
from .services import ReportingError, form_set_of
from .views import _editable_submission, _error
from .workbook import read_filled_forms

MAX_IMPORT_BYTES = 10 * 1024 * 1024


@contextlib.contextmanager
def saved_upload(upload, kinds: tuple[str, ...], what: str, default_name: str) -> Iterator[Path]:
    """The upload checked (size, real type among `kinds`) and written to a temporary file."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ReportingError(f"Tệp {upload.name} quá lớn (tối đa 10 MB).")
    try:
        kind = check_upload(upload, upload.name)
    except UploadRejected as rejected:
        raise ReportingError(str(rejected)) from rejected
    if kind not in kinds:
        raise ReportingError(f"Tệp {upload.name}: chỉ nhập được {what}.")
    with upload_on_disk(upload, get_valid_filename(Path(upload.name).name) or default_name) as path:
        yield path


@login_required
@require_POST
def submission_import(request, pk):
    submission = _editable_submission(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp biểu mẫu (.xlsx hoặc .docx) để nhập.")
        return redirect(submission)
    upload = form.cleaned_data["file"]
    try:
        with saved_upload(upload, ("xlsx", "docx"), "biểu mẫu dạng .xlsx hoặc .docx", "bieu-mau.xlsx") as path:
            result = read_filled_forms(path, form_set_of(submission), skip=services.tracked_codes(submission))
        if result.errors:
            raise ReportingError(
                f"Không nhập được tệp {upload.name}: {len(result.errors)} lỗi, chưa có số liệu nào được lưu.",
                result.errors,
            )
        with change_context(request=request):
            changed = services.save_values(
                submission, result.values, result.notes, source=SubmissionValue.Source.IMPORT
            )
        forms = ", ".join(str(n) for n in result.forms)
        messages.success(request, f"Đã nhập tệp {upload.name} (Biểu mẫu {forms}): {changed} ô số liệu thay đổi.")
        for warning in result.warnings[:20]:
            messages.warning(request, warning)
    except ReportingError as error:
        _error(request, error)
    return redirect(submission)


@login_required
@require_POST
def submission_report_import(request, pk):
    submission = _editable_submission(request, pk)
    form = ReportImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp báo cáo (.docx, .pdf hoặc .doc) để nhập.")
        return redirect(submission)
    upload = form.cleaned_data["file"]
    try:
        kinds = ("docx", "pdf", "doc")
        with saved_upload(upload, kinds, "báo cáo dạng .docx, .pdf hoặc .doc", "bao-cao.docx") as path:
            report = read_report_file(path, upload.name)
        with change_context(request=request):
            taken = take_in_report(submission, report, upload.name)
        messages.success(
            request,
            f"Đã nhập báo cáo {upload.name}: {taken.values} chỉ tiêu ({taken.changed} ô thay đổi), "
            f"{taken.sections} phần thuyết minh theo lĩnh vực. Hãy soát xét trước khi gửi.",
        )
        for warning in taken.warnings[:20]:
            messages.warning(request, warning)
    except ReportingError as error:
        _error(request, error)
    return redirect(submission)
