"""A criteria set imported from its published document (.pdf with a text layer, .docx): proposed by the
engine (`cchc.core.par.importer`), stored as a draft, reviewed leaf by leaf — each proposed rule
confirmed or replaced — and approved by the Sở Nội vụ; only then can a round use it."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

from django.db import transaction

from cchc.core.par import TemplateError, template_from_dict
from cchc.core.par.importer import propose_template, read_layout, read_table

from .models import ParTemplate
from .services import ParError

UNIT_TYPES = {"department": "Sở, ban, ngành", "commune": "UBND cấp xã", "province": "UBND tỉnh"}


def document_text(path: Path, shown: str) -> str:
    """The text layer of a .pdf (``pdftotext -layout``), or a .txt made with it."""
    if path.suffix.lower() == ".txt":
        return path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() != ".pdf":
        raise ParError(f"{shown}: chỉ đọc được văn bản .docx, .pdf có lớp chữ (hoặc .txt do pdftotext -layout tạo).")
    try:
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise ParError("Không tìm thấy pdftotext (gói poppler-utils).") from None
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or not text.strip():
        raise ParError(f"{shown}: không đọc được lớp chữ của tệp PDF (tệp quét cần nhận dạng chữ trước).")
    return text


def docx_table(path: Path, shown: str) -> list[list[list[str]]]:
    """Every table row of a .docx, in document order: its cells, each its paragraphs (a cell merged
    across columns is repeated, so columns keep their places)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ParError(f"{shown}: tệp .docx bị hỏng hoặc không phải văn bản Word (.docx); "
                       "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx.") from None
    rows = [[[p.text for p in cell.paragraphs] for cell in row.cells] for table in document.tables for row in table.rows]
    if not rows:
        raise ParError(f"{shown}: văn bản .docx không có bảng nào; bộ tiêu chí phải ở dạng bảng "
                       "(STT | Nội dung | Điểm tối đa | … | Tài liệu kiểm chứng).")
    return rows


def document_layout(path: Path, shown: str):
    """The numbered rows and printed total of a guide: from a .docx's tables, or from the text layer
    of a .pdf (or its .txt)."""
    if path.suffix.lower() == ".docx":
        return read_table(docx_table(path, shown))
    return read_layout(document_text(path, shown))


def _leaves(definition: dict):
    def walk(nodes):
        for node in nodes:
            if node.get("children"):
                yield from walk(node["children"])
            else:
                yield node
    return list(walk(definition["nodes"]))


@transaction.atomic
def import_document(path: Path, shown: str, *, key: str, unit_type: str, year: int, name: str, appraiser: str = "",
                    province_id: int | None = None) -> ParTemplate:
    """A draft criteria set proposed from its document; `province_id`, the importing province,
    alone reviews and approves the draft (an approved set is reference data for every province)."""
    key = key.strip()
    if not key or not key.replace("-", "").isalnum():
        raise ParError("Mã bộ tiêu chí chỉ gồm chữ, số và dấu gạch ngang (ví dụ: snv-2026-commune).")
    if unit_type not in UNIT_TYPES:
        raise ParError(f"Loại đơn vị «{unit_type}» không hợp lệ.")
    existing = ParTemplate.objects.filter(key=key).first()
    if existing is not None and existing.status != ParTemplate.Status.DRAFT:
        raise ParError(f"Đã có bộ tiêu chí mã «{key}» đang áp dụng; hãy chọn mã khác.")
    if existing is not None and existing.review.get("province_id") not in (None, province_id):
        raise ParError(f"Mã bộ tiêu chí «{key}» đang được tỉnh khác dùng cho bản dự thảo; hãy chọn mã khác.")
    layout = document_layout(path, shown)
    try:
        proposal = propose_template("", layout=layout, key=key, name=name or f"Bộ tiêu chí {key}", year=year, unit_type=unit_type,
                                    appraiser=appraiser)
    except (ValueError, TemplateError) as exc:
        raise ParError(f"{shown}: {exc}") from None
    review = {"source": shown, "reasons": proposal.reasons, "findings": proposal.findings, "confirmed": [],
              "province_id": province_id}
    template, _ = ParTemplate.objects.update_or_create(
        key=key, defaults={"name": proposal.definition["name"], "year": year, "unit_type": unit_type,
                           "definition": proposal.definition, "status": ParTemplate.Status.DRAFT, "review": review})
    return template


def leaf(template: ParTemplate, code: str) -> dict:
    found = next((n for n in _leaves(template.definition) if n["code"] == code), None)
    if found is None:
        raise ParError(f"Không có tiêu chí {code} trong bộ tiêu chí {template.key}.")
    return found


@transaction.atomic
def confirm_leaf(template: ParTemplate, code: str, rule_text: str = "") -> ParTemplate:
    """Confirm a leaf's rule as proposed, or as replaced by ``rule_text`` (JSON, docs/par-template.md)."""
    template = ParTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status != ParTemplate.Status.DRAFT:
        raise ParError("Bộ tiêu chí đã được duyệt, không sửa được nữa.")
    definition = copy.deepcopy(template.definition)
    node = leaf(template, code)
    if rule_text.strip():
        try:
            rule = json.loads(rule_text)
        except json.JSONDecodeError as exc:
            raise ParError(f"Tiêu chí {code}: quy tắc không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from None
        target = next(n for n in _leaves(definition) if n["code"] == code)
        target["rule"] = rule
        target["source"] = "survey" if isinstance(rule, dict) and rule.get("kind") == "survey" else "self"
        try:
            template_from_dict(definition)
        except TemplateError as exc:
            raise ParError(str(exc)) from None
        template.definition = definition
    elif node.get("rule") is None:
        raise ParError(f"Tiêu chí {code}: chưa có quy tắc chấm điểm.")
    review = dict(template.review)
    review["confirmed"] = sorted(set(review.get("confirmed", [])) | {code})
    if rule_text.strip():  # kept beside the definition so the change history shows the replaced rule
        review["replaced"] = {**review.get("replaced", {}), code: rule}
    template.review = review
    template.save()
    return template


@transaction.atomic
def approve(template: ParTemplate) -> ParTemplate:
    template = ParTemplate.objects.select_for_update().get(pk=template.pk)
    confirmed = set(template.review.get("confirmed", []))
    missing = [f"Tiêu chí {n['code']} ({n['name'][:80]}) chưa được xác nhận quy tắc." for n in _leaves(template.definition)
               if n["code"] not in confirmed]
    if missing:
        raise ParError("Chưa duyệt được: còn tiêu chí chưa xác nhận.", missing)
    template_from_dict(template.definition)
    template.status = ParTemplate.Status.ACTIVE
    template.save()
    return template


def review_rows(template: ParTemplate) -> list[dict]:
    reasons, confirmed = template.review.get("reasons", {}), set(template.review.get("confirmed", []))
    return [{"code": n["code"], "name": n["name"], "max": n["max"], "rule": json.dumps(n.get("rule"), ensure_ascii=False),
             "reason": reasons.get(n["code"], ""), "confirmed": n["code"] in confirmed, "guide": n.get("guide", "")}
            for n in _leaves(template.definition)]
