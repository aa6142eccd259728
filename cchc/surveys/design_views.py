"""The coordinator's review of a round's questionnaire: its design as JSON to edit, or a draft
read from a questionnaire document (.docx) to check and correct before it replaces the design.
A design changes only while the round has no response (a form opened before is refused anyway)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.core.plan_reader.docx import docx_to_text
from cchc.core.plan_reader.errors import PlanReadError
from cchc.core.surveys import Design, DesignError, QuestionnaireError, design_from_dict, read_questionnaire
from cchc.core.text import fold
from cchc.history.context import change_context
from cchc.scratch import upload_on_disk

from .models import Response
from .views import _coordinated


def draft_from_docx(upload, *, fallback_key: str, source: str):
    """(draft, error): the questionnaire document read into a design draft."""
    try:
        check_upload(upload, upload.name)
    except UploadRejected as exc:
        return None, exc.message
    if not upload.name.lower().endswith(".docx"):
        return None, f"Tệp “{upload.name}” không phải tài liệu Word (.docx)."
    with upload_on_disk(upload, "phieu.docx") as path:
        try:
            text = docx_to_text(path)
        except PlanReadError:
            return None, f"Tệp “{upload.name}” không phải tài liệu Word (.docx) hợp lệ (tệp hỏng hoặc sai định dạng)."
    stem = "-".join(w for w in re.split(r"[^0-9a-z]+", fold(Path(upload.name).stem)) if w)[:40]
    try:
        draft = read_questionnaire(text, key=f"docx-{stem or fallback_key}",
                                   name=f"Phiếu khảo sát nhập từ {upload.name}",
                                   source=f"Nhập từ tệp {upload.name}{source}")
    except QuestionnaireError as exc:
        return None, f"{upload.name}: {exc}"
    return draft, None


def preview(text: str):
    """(design, error) for the JSON in the review box."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"Thiết kế không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}."
    if not isinstance(data, dict):
        return None, "Thiết kế phải là một đối tượng JSON ({…})."
    try:
        return design_from_dict(data), None
    except DesignError as exc:
        return None, str(exc)


@dataclass
class Review:
    """The state of the review page after a POST: the JSON shown, its preview, what went wrong,
    and `ready`, the checked design the coordinator asked to save (None while only reviewing)."""

    text: str
    design: Design | None
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ready: Design | None = None

    def context(self) -> dict:
        return {"design": self.design, "text": self.text, "errors": self.errors, "skipped": self.skipped[:40],
                "warnings": self.warnings}


def review(request, current: Design, *, fallback_key: str, source: str) -> Review:
    """The review step shared by a round's questionnaire and the design library: a GET shows the
    current design; a posted .docx becomes a draft to check; a posted JSON is parsed (`ready` if valid)."""
    state = Review(text=json.dumps(current.raw, ensure_ascii=False, indent=2), design=current)
    if request.method != "POST":
        return state
    if request.FILES.get("file"):
        draft, error = draft_from_docx(request.FILES["file"], fallback_key=fallback_key, source=source)
        if error:
            state.errors.append(error)
        else:
            state.text = json.dumps(draft.design, ensure_ascii=False, indent=2)
            state.design, state.skipped, state.warnings = design_from_dict(draft.design), draft.skipped, draft.warnings
    elif "design" in request.POST:
        state.text = request.POST["design"]
        design, error = preview(state.text)
        if error:
            state.errors.append(error)
        else:
            state.design = state.ready = design
    else:
        state.errors.append("Chưa chọn tệp .docx hoặc chưa có thiết kế để lưu.")
    return state


@login_required
def design_review(request, pk):
    round_ = _coordinated(request, pk)
    responses = Response.objects.filter(round_unit__round=round_).count()
    state = review(request, round_.parsed_design(), fallback_key=str(round_.pk),
                   source=f" cho đợt “{round_.title}”")
    if request.method == "POST" and state.ready is not None:
        design = state.ready
        if responses:
            state.errors.append(f"Đợt khảo sát đã có {responses} phiếu trả lời: không thay được bộ câu hỏi.")
        elif not round_.is_open:
            state.errors.append("Đợt khảo sát đã kết thúc: không thay được bộ câu hỏi.")
        else:
            with change_context(user=request.user, origin="surveys.design_review"), transaction.atomic():
                round_.set_design(design)
                round_.save()
            messages.success(request, f"Đã cập nhật bộ câu hỏi: {len(design.scored)} câu hỏi đánh giá, "
                                      f"{len(design.respondent)} câu hỏi về người trả lời.")
            return redirect(round_)
    return render(request, "surveys/design_review.html", {"round": round_, "responses": responses, **state.context()})
