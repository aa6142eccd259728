"""The coordinator imports a questionnaire from a Word document, reviews and corrects it, and the
round's public form asks the new questions; refusals for bad files, bad JSON, rounds with answers."""

from __future__ import annotations

import io
import json
import re

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.surveys.models import Round
from cchc.surveys.services import enter_paper_forms


def questionnaire_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("PHIẾU KHẢO SÁT SỰ HÀI LÒNG")
    document.add_paragraph("THÔNG TIN VỀ NGƯỜI TRẢ LỜI")
    document.add_paragraph("1. Giới tính: □ Nam □ Nữ")
    document.add_paragraph("2. Hình thức nộp hồ sơ: □ Trực tiếp □ Trực tuyến")
    document.add_paragraph("PHẦN II. ĐÁNH GIÁ DỊCH VỤ")
    document.add_paragraph("I. Tiếp cận dịch vụ")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [["TT", "Nội dung", "Rất không hài lòng", "Rất hài lòng"],
                                       ["1", "Nơi ngồi chờ có đủ chỗ ngồi", "□", "□"],
                                       ["2", "Có ứng dụng hỗ trợ tra cứu", "□", "□"]], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("II. Công chức giải quyết công việc")
    document.add_paragraph("1. Công chức có thái độ lịch sự")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def url(survey):
    return reverse("surveys:design", args=[survey["round"].pk])


def test_docx_is_read_into_a_draft_reviewed_corrected_and_saved(client, survey):
    client.force_login(survey["coordinator"])
    assert "TC.1" in client.get(url(survey)).content.decode()  # the current design, as JSON to edit
    page = client.post(url(survey), {"file": SimpleUploadedFile("phieu-moi.docx", questionnaire_docx())})
    html = page.content.decode()
    assert page.status_code == 200
    preview = html.split('id="design-preview"')[1].split("</div>")[0]
    assert "Nơi ngồi chờ có đủ chỗ ngồi" in preview and "Công chức có thái độ lịch sự" in preview
    assert "lọc theo hình thức" in preview and "Nam; Nữ" in preview
    assert "dòng 1: PHIẾU KHẢO SÁT SỰ HÀI LÒNG" in html  # skipped lines are shown
    draft = json.loads(re.search(r'<textarea[^>]*name="design"[^>]*>(.*?)</textarea>', html, re.S).group(1)
                       .replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&").replace("&lt;", "<")
                       .replace("&gt;", ">"))
    assert [f["code"] for a in draft["aspects"] for f in a["factors"]] == ["TC", "CC"]
    # the coordinator corrects a question's text before saving
    draft["aspects"][0]["factors"][0]["questions"][1]["text"] = "Có ứng dụng tra cứu hồ sơ"
    saved = client.post(url(survey), {"design": json.dumps(draft, ensure_ascii=False)})
    assert saved.status_code == 302
    round_ = Round.objects.get(pk=survey["round"].pk)
    design = round_.parsed_design()
    assert [q.code for q in design.scored] == ["TC.1", "TC.2", "CC.1"] and round_.design_key == "docx-phieu-moi"
    assert round_.fingerprint != survey["round"].fingerprint
    ru = survey["units"]["justice"]
    form = client.get(reverse("surveys:public_form", args=[ru.key])).content.decode()
    assert "Câu 2/3. Có ứng dụng tra cứu hồ sơ" in form and "Trực tuyến" in form


def test_bad_json_and_bad_design_are_refused_naming_the_place(client, survey):
    client.force_login(survey["coordinator"])
    html = client.post(url(survey), {"design": '{"key": "x",'}).content.decode()
    assert "Thiết kế không phải JSON hợp lệ (dòng 1" in html
    broken = {"key": "x", "aspects": [{"code": "A", "name": "A", "factors": [
        {"code": "F", "name": "F", "questions": [{"code": "Q", "text": "T", "scale": "none"}]}]}]}
    html = client.post(url(survey), {"design": json.dumps(broken)}).content.decode()
    assert "x, yếu tố F, câu hỏi 1: không có thang đo “none”." in html
    assert Round.objects.get(pk=survey["round"].pk).design_key == "sipas-2023"


def test_files_that_are_not_questionnaires_are_refused(client, survey):
    client.force_login(survey["coordinator"])
    empty = io.BytesIO()
    docx.Document().save(empty)
    html = client.post(url(survey), {"file": SimpleUploadedFile("trong.docx", empty.getvalue())}).content.decode()
    assert "trong.docx: Không nhận ra bộ câu hỏi" in html
    html = client.post(url(survey), {"file": SimpleUploadedFile("phieu.docx", b"PK\x03\x04 broken")}).content.decode()
    assert "phieu.docx" in html and 'id="design-errors"' in html


def test_design_is_kept_once_the_round_has_answers_and_only_coordinators_change_it(client, survey):
    outcome = enter_paper_forms(survey["units"]["justice"], [{"TC.1": "5"}], survey["coordinator"])
    assert not outcome.errors
    client.force_login(survey["coordinator"])
    draft = json.dumps(survey["round"].design, ensure_ascii=False).replace("Nơi ngồi chờ", "Chỗ chờ")
    html = client.post(url(survey), {"design": draft}).content.decode()
    assert "Đợt khảo sát đã có 1 phiếu trả lời: không thay được bộ câu hỏi." in html
    assert "Nơi ngồi chờ" in json.dumps(Round.objects.get(pk=survey["round"].pk).design, ensure_ascii=False)
    client.force_login(survey["justice_officer"])
    assert client.get(url(survey)).status_code == 403
