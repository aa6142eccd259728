"""Hostile uploads (issue 13 point 5): oversized PDFs, polyglot files, HTML/SVG served only as a download."""

import io
import zipfile

import pypdfium2 as pdfium
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.filetypes import PDF_MAX_PAGES, UploadRejected, check_upload
from cchc.plans.models import Obligation, Plan
from cchc.tracking.models import Evidence

SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
                   b'<script>alert(document.cookie)</script></svg>')


def make_pdf(pages=1, width=595, height=842) -> bytes:
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(width, height)
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    return buffer.getvalue()


def zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_MEMBERS = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}


def refusal(data: bytes, name: str) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_upload(io.BytesIO(data), name)
    return caught.value


def test_an_ordinary_pdf_passes():
    assert check_upload(io.BytesIO(make_pdf(3)), "quyet-dinh.pdf") == "pdf"


def test_a_pdf_of_thousands_of_pages_is_refused_by_its_page_count():
    error = refusal(make_pdf(PDF_MAX_PAGES + 500), "bao-cao.pdf")
    assert error.code == "pdf_too_many_pages"
    assert error.message == "Tệp “bao-cao.pdf” có 1.500 trang, quá số trang cho phép (1.000 trang)"


def test_a_huge_page_is_refused_by_its_media_box():
    error = refusal(make_pdf(2, 20000, 20000), "ban-do.pdf")
    assert error.code == "pdf_page_too_large"
    assert "trang 1 khổ quá lớn (20.000 × 20.000 điểm, tối đa 14.400 điểm mỗi cạnh)" in error.message


@pytest.mark.parametrize("data, name, other", [
    (make_pdf(1) + zip_bytes({"a.txt": "x"}), "a.pdf", "tệp nén ZIP"),  # PDF with a zip appended
    (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + make_pdf(1)[9:], "b.pdf", "trang web (HTML)"),
    (zip_bytes({"[Content_Types].xml": "<html><script>alert(1)</script>", "word/document.xml": "<w/>"}),
     "c.docx", "trang web (HTML)"),  # a .docx a browser would render as HTML
    (zip_bytes({"[Content_Types].xml": "%PDF-1.4 x", "word/document.xml": "<w/>"}), "d.docx", "tệp PDF"),
])
def test_a_polyglot_file_is_refused(data, name, other):
    error = refusal(data, name)
    assert error.code == "polyglot"
    assert f"vừa là {other} (tệp đa định dạng)" in error.message and f"“{name}”" in error.message


def test_a_picture_with_an_archive_appended_is_refused():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    error = refusal(buffer.getvalue() + zip_bytes({"payload.js": "alert(1)"}), "anh.png")
    assert error.code == "polyglot" and "vừa là ảnh PNG vừa là tệp nén ZIP" in error.message


def test_a_plain_docx_is_not_a_polyglot():
    assert check_upload(io.BytesIO(zip_bytes(DOCX_MEMBERS)), "ke-hoach.docx") == "docx"


@pytest.fixture
def officer(kien_tho_plan, make_user):
    return make_user("officer", kien_tho_plan.issuer, "officer")


def _obligation(plan):
    return Obligation.objects.filter(task__plan=plan, unit=plan.issuer).first()


def _post_evidence(client, obligation, upload):
    return client.post(reverse("tracking:update", args=[obligation.pk]), {
        "inline": "1", "state": "done", "completed_on": "15/03/2026", "narrative": "Đã ban hành.",
        "evidence_title": "Tài liệu", "evidence_file": upload,
    })


def test_an_evidence_pdf_of_thousands_of_pages_is_refused_with_nothing_saved(client, kien_tho_plan, officer):
    client.force_login(officer)
    response = _post_evidence(client, _obligation(kien_tho_plan), SimpleUploadedFile("dai.pdf", make_pdf(1200)))
    assert response.status_code == 400
    assert "có 1.200 trang, quá số trang cho phép" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_svg_with_a_script_is_refused_and_a_stored_one_is_served_only_as_a_download(
        client, kien_tho_plan, officer, pdf_bytes):
    client.force_login(officer)
    obligation = _obligation(kien_tho_plan)
    refused = _post_evidence(client, obligation, SimpleUploadedFile("so-do.svg", SVG_WITH_SCRIPT))
    assert refused.status_code == 400 and "so-do.svg" in refused.content.decode()
    assert not Evidence.objects.exists()
    # one kept from before the check (or put there by hand) must still never run in the browser
    assert _post_evidence(client, obligation, SimpleUploadedFile("qd.pdf", pdf_bytes)).status_code == 200
    evidence = Evidence.objects.get()
    evidence.file.save("so-do.svg", ContentFile(SVG_WITH_SCRIPT))
    for name, data in (("so-do.svg", SVG_WITH_SCRIPT), ("trang.html", b"<html><script>alert(1)</script>")):
        evidence.file.save(name, ContentFile(data))
        response = client.get(reverse("tracking:evidence_file", args=[evidence.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == data
        assert response["Content-Disposition"].startswith("attachment;") and name.split(".")[0] in response["Content-Disposition"]
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]


def test_a_stored_pdf_keeps_its_type_and_is_still_sandboxed(client, kien_tho_plan, officer, pdf_bytes):
    client.force_login(officer)
    assert _post_evidence(client, _obligation(kien_tho_plan), SimpleUploadedFile("qd.pdf", pdf_bytes)).status_code == 200
    response = client.get(reverse("tracking:evidence_file", args=[Evidence.objects.get().pk]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_plan_pdf_with_a_huge_page_is_refused_before_it_is_read(client, kien_tho_plan, make_user):
    client.force_login(make_user("manager", kien_tho_plan.issuer, "manager"))
    plans_before = Plan.objects.count()
    response = client.post(reverse("plans:import"), {
        "document": SimpleUploadedFile("ke-hoach.pdf", make_pdf(1, 20000, 20000))})
    assert response.status_code in (200, 400)
    assert "khổ quá lớn (20.000 × 20.000 điểm" in response.content.decode()
    assert Plan.objects.count() == plans_before
