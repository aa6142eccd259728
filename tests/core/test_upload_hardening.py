"""Hostile Office files: zip bombs refused from the zip directory before anything is inflated,
entity expansion (billion laughs) and external entities never resolved, path tricks in names."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from cchc.core.filetypes import UploadRejected, check_upload, check_zip_expansion
from cchc.core.plan_reader import PlanReadError, document_text

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(document: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def paragraph_doc(text: bytes, doctype: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>' + doctype +
            b"<w:document " + W + b"><w:body><w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p></w:body></w:document>")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A .docx whose one extra member inflates 250 MB of zeros from about 250 KB."""
    return docx(paragraph_doc("KẾ HOẠCH".encode()), {"word/media/image1.bin": bytes(250 * 1024 * 1024)})


def test_a_zip_bomb_is_refused_from_its_directory(bomb):
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(UploadRejected) as refusal:
        check_upload(io.BytesIO(bomb), "ke-hoach.docx")
    assert time.monotonic() - started < 2
    assert refusal.value.code == "zip_bomb" and "ke-hoach.docx" in str(refusal.value)
    assert "zip bomb" in str(refusal.value)


def test_a_highly_compressed_member_is_refused_even_under_the_total(tmp_path):
    data = docx(paragraph_doc(b"x"), {"xl/sharedStrings.xml": b"A" * (20 * 1024 * 1024)})
    with pytest.raises(UploadRejected) as refusal:
        check_zip_expansion(io.BytesIO(data), "bieu-mau.xlsx")
    assert "nén bất thường" in str(refusal.value)


def test_the_plan_reader_refuses_a_bomb_with_its_own_error(bomb, tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(bomb)
    with pytest.raises(PlanReadError) as refusal:
        document_text(path)
    assert "zip bomb" in refusal.value.message


def test_real_office_files_pass(tmp_path):
    """Word and Excel files as the libraries write them, with a photo inside, are not bombs."""
    import docx as python_docx
    import openpyxl
    from PIL import Image

    photo = tmp_path / "anh.png"
    Image.effect_noise((400, 300), 64).convert("RGB").save(photo)
    document = python_docx.Document()
    for i in range(300):
        document.add_paragraph(f"Nhiệm vụ {i}: rà soát, cập nhật thủ tục hành chính của Sở Tư pháp.")
    document.add_picture(str(photo))
    document.save(tmp_path / "ke-hoach.docx")
    book = openpyxl.Workbook()
    for row in range(2000):
        book.active.append([row, "Số thủ tục hành chính được công bố", row * 3, 99.5])
    book.save(tmp_path / "bieu-mau.xlsx")
    for name in ("ke-hoach.docx", "bieu-mau.xlsx"):
        with open(tmp_path / name, "rb") as handle:
            assert check_upload(handle, name) == name.rsplit(".", 1)[1]


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")


def test_entity_expansion_is_never_performed(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(docx(paragraph_doc(b"KE HOACH &lol9;", LAUGHS)))
    started = time.monotonic()
    try:
        text = document_text(path)
    except PlanReadError:
        text = ""
    assert time.monotonic() - started < 5
    assert "lollol" not in text


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MAT-KHAU-BI-MAT")
    doctype = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>'
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(docx(paragraph_doc(b"KE HOACH &x;", doctype)))
    try:
        text = document_text(path)
    except PlanReadError:
        text = ""
    assert "MAT-KHAU" not in text


def test_openpyxl_reads_workbooks_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl refuses entity declarations when defusedxml is installed


@pytest.mark.parametrize("name", ["../../etc/bao-cao.txt", "..\\..\\windows\\bao-cao.txt", "/tmp/bao-cao.txt",
                                  "C:\\fakepath\\bao-cao.txt"])
def test_path_tricks_in_names_name_only_the_file(name):
    with pytest.raises(UploadRejected) as refusal:
        check_upload(io.BytesIO(b""), name)
    assert "“bao-cao.txt”" in str(refusal.value)
    assert check_upload(io.BytesIO("Báo cáo".encode()), name) == "txt"
