"""The periodic PAR report as .docx and PDF (cchc.reporting.documents): pure functions, no database.

The report below is modelled on seed 003 (UBND tỉnh Thanh Hóa, 6-month report 2024). One test has
LibreOffice open the generated .docx and render its first page; it is skipped when soffice is not
installed, except under CI=true where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.reporting.documents import FONT_DIR, FORM_COLUMNS, build_report_docx, build_report_pdf

TITLE = "Báo cáo tình hình thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024"
PRINTED_TITLE = "Tình hình thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024"
HEADINGS = [
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CCHC",
    "1. Cải cách thể chế",
    "2. Cải cách thủ tục hành chính",
    "3. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM 06 THÁNG CUỐI NĂM 2024",
]
SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Thi"]


def seed_003_report() -> dict:
    return {
        "issuer": "UBND TỈNH THANH HÓA",
        "number": "",
        "place": "Thanh Hóa",
        "date": None,
        "title": TITLE,
        "period_label": "6 tháng đầu năm 2024",
        "sections": [
            {
                "heading": HEADINGS[0],
                "paragraphs": [
                    "Trong 06 tháng đầu năm 2024, UBND tỉnh, Chủ tịch UBND tỉnh tập trung lãnh đạo, chỉ đạo các "
                    "cấp, các ngành, các địa phương quán triệt sâu sắc chủ trương, đường lối của Đảng, các Nghị "
                    "quyết, Chỉ thị, văn bản chỉ đạo của Chính phủ, Thủ tướng Chính phủ về đẩy mạnh cải cách "
                    "hành chính (CCHC), xây dựng nền hành chính phục vụ, dân chủ, chuyên nghiệp, hiện đại.",
                    "- Số nhiệm vụ được giao trong quý II: 21 nhiệm vụ.",
                    "- Số nhiệm vụ đã hoàn thành: 21 nhiệm vụ.",
                ],
            },
            {
                "heading": HEADINGS[1],
                "subsections": [
                    {
                        "heading": HEADINGS[2],
                        "paragraphs": [
                            "Trong 06 tháng đầu năm 2024, UBND tỉnh ban hành 27 văn bản QPPL tập trung vào các "
                            "lĩnh vực: Đối ngoại; giáo dục và đào tạo; chức năng, nhiệm vụ, quyền hạn và cơ cấu "
                            "tổ chức của các đơn vị;... Sau khi ban hành, 100% văn bản đã được cập nhật vào cơ sở "
                            "dữ liệu văn bản QPPL Quốc gia.",
                            "- Công tác kiểm tra, rà soát văn bản QPPL theo thẩm quyền được chú trọng thực hiện: "
                            "tự kiểm tra 1.274 văn bản QPPL; tham gia ý kiến vào 26 dự thảo văn bản của Trung ương.",
                        ],
                    },
                    {
                        "heading": HEADINGS[3],
                        "paragraphs": [
                            "Tổng số hồ sơ TTHC tiếp nhận là: 517.417 hồ sơ (Trong đó: Tiếp nhận trực tuyến "
                            "349.557 hồ sơ); các sở, ngành đã giải quyết 238.146 hồ sơ, trong đó đúng hạn 238.144 "
                            "hồ sơ, đạt tỷ lệ 99,99%.",
                        ],
                    },
                    {"heading": HEADINGS[4], "paragraphs": ["Tiếp tục xây dựng, cập nhật Khung Kiến trúc."]},
                ],
            },
            {
                "heading": HEADINGS[5],
                "paragraphs": [
                    "1. Tiếp tục quán triệt, triển khai thực hiện có hiệu quả các văn bản chỉ đạo của Trung ương.",
                    "7. Tích cực tuyên truyền công tác CCHC dưới nhiều hình thức./.",
                ],
            },
        ],
        "recipients": [
            "Bộ Nội vụ (để b/c);",
            "Văn phòng Chính phủ (để b/c);",
            "TTr Tỉnh ủy, TTr HĐND tỉnh (để b/c);",
            "Các sở, ban, ngành, đơn vị cấp tỉnh;",
            "Lưu: VT, THKH, KSTTHC-NC, CNTT.",
        ],
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Thi",
        "forms": [
            {
                "number": 1,
                "title": "Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC",
                "rows": [
                    {"code": "I.", "name": "Công tác chỉ đạo điều hành CCHC", "unit": "", "value": ""},
                    {
                        "code": "1",
                        "name": "Số văn bản chỉ đạo CCHC đã ban hành",
                        "unit": "Văn bản",
                        "value": "36",
                    },
                    {
                        "code": "2",
                        "name": "Tỷ lệ hoàn thành Kế hoạch CCHC năm",
                        "unit": "%",
                        "value": "44,7",
                        "derived": True,
                    },
                    {
                        "code": "2.1.",
                        "name": "Số nhiệm vụ đề ra trong kế hoạch",
                        "unit": "Nhiệm vụ",
                        "value": "47",
                        "level": 1,
                    },
                    {
                        "code": "2.2.",
                        "name": "Số nhiệm vụ đã hoàn thành",
                        "unit": "Nhiệm vụ",
                        "value": "21",
                        "note": "26 nhiệm vụ còn lại đang trong thời gian triển khai thực hiện.",
                        "level": 1,
                    },
                    {"code": "3", "name": "Kiểm tra CCHC", "unit": "", "value": ""},
                    {
                        "code": "3.1.",
                        "name": "Số sở, ngành đã kiểm tra",
                        "unit": "Cơ quan, đơn vị",
                        "value": "",
                        "level": 1,
                    },
                    {
                        "code": "3.2.",
                        "name": "Số UBND cấp huyện đã kiểm tra",
                        "unit": "Cơ quan, đơn vị",
                        "value": "02",
                        "level": 1,
                    },
                    {
                        "code": "3.3.1.",
                        "name": "Tổng số vấn đề phát hiện qua kiểm tra",
                        "unit": "Vấn đề",
                        "value": "08",
                        "level": 2,
                    },
                    {
                        "code": "3.3.2.",
                        "name": "Số vấn đề phát hiện đã xử lý xong",
                        "unit": "Vấn đề",
                        "value": "0",
                        "level": 2,
                    },
                ],
            },
            {
                "number": 3,
                "title": "Biểu mẫu 3: Cải cách thủ tục hành chính",
                "rows": [
                    {"code": "III.", "name": "Cải cách thủ tục hành chính", "unit": "", "value": ""},
                    {
                        "code": "1.2.",
                        "name": "Số TTHC công bố mới",
                        "unit": "Thủ tục",
                        "value": "453",
                        "note": "99 TTHC mới; 354 TTHC sửa đổi, bổ sung.",
                        "level": 1,
                    },
                    {
                        "code": "1.3.",
                        "name": "Số TTHC bãi bỏ, thay thế",
                        "unit": "Thủ tục",
                        "value": "120",
                        "level": 1,
                    },
                    {
                        "code": "1.4.",
                        "name": "Tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương",
                        "unit": "Thủ tục",
                        "value": "2.133",
                        "level": 1,
                        "derived": True,
                    },
                    {
                        "code": "1.4.1.",
                        "name": "Số TTHC cấp tỉnh (Bao gồm cả TTHC của cơ quan ngành dọc)",
                        "unit": "Thủ tục",
                        "value": "1.556",
                        "note": "1.498 TTHC cấp tỉnh; 58 TTHC cơ quan khác",
                        "level": 2,
                    },
                    {
                        "code": "2.1.",
                        "name": "Số TTHC liên thông cùng cấp",
                        "unit": "Thủ tục",
                        "value": "556",
                        "level": 1,
                    },
                    {
                        "code": "3.1.",
                        "name": "Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn",
                        "unit": "%",
                        "value": "99,99",
                        "level": 1,
                        "derived": True,
                    },
                    {
                        "code": "3.1.1.",
                        "name": "Tổng số hồ sơ TTHC đã giải quyết xong",
                        "unit": "Hồ sơ",
                        "value": "238.146",
                        "level": 2,
                    },
                    {
                        "code": "3.1.2.",
                        "name": "Số hồ sơ TTHC giải quyết đúng hạn",
                        "unit": "Hồ sơ",
                        "value": "238.144",
                        "level": 2,
                    },
                    {
                        "code": "3.2.1.",
                        "name": "Tổng số hồ sơ TTHC đã giải quyết xong",
                        "unit": "Hồ sơ",
                        "value": "23.552",
                        "level": 2,
                    },
                ],
            },
        ],
    }


def texts(document) -> list[str]:
    """Every paragraph of the body, tables included, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
    return out


def open_docx(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def pdf_text(data: bytes) -> tuple[str, list]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(page.width, page.height, page.extract_text() or "") for page in pdf.pages]
        fonts = {char["fontname"] for page in pdf.pages for char in page.chars}
    return "\n".join(text for _, _, text in pages), [pages, fonts]


def flat(text: str) -> str:
    return " ".join(text.split())


def form_tables(document) -> dict[str, object]:
    """The bordered form tables by the "Biểu mẫu N" paragraph that precedes them."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    found, label = {}, None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if text.startswith("Biểu mẫu"):
                label = text
        elif tag == "tbl" and label:
            found[label], label = Table(child, document), None
    return found


@pytest.fixture(scope="module")
def report() -> dict:
    return seed_003_report()


@pytest.fixture(scope="module")
def docx_bytes(report) -> bytes:
    return build_report_docx(report)


@pytest.fixture(scope="module")
def pdf_bytes(report) -> bytes:
    return build_report_pdf(report)


# --- .docx ----------------------------------------------------------------------------------------


def test_docx_page_setup_and_font(docx_bytes):
    from docx.enum.section import WD_ORIENT

    def mm(*lengths):
        return tuple(round(length.mm) for length in lengths)  # stored in twips

    document = open_docx(docx_bytes)
    first, appendix = document.sections[0], document.sections[-1]
    assert mm(first.page_width, first.page_height) == (210, 297)
    for section in (first, appendix):
        assert mm(section.top_margin, section.bottom_margin) == (20, 15)
        assert mm(section.left_margin, section.right_margin) == (30, 20)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and mm(appendix.page_width) == (297,)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert document.core_properties.title == TITLE
    # Page numbers top centre, not on the first page (Nghị định 30/2020/NĐ-CP).
    assert first.different_first_page_header_footer
    assert 'instr=" PAGE "' in first.header._element.xml


def test_docx_masthead_title_sections_and_signature(docx_bytes):
    document = open_docx(docx_bytes)
    all_text = texts(document)

    masthead = document.tables[0]
    left, right = (cell.text for cell in masthead.rows[0].cells)
    assert "UBND TỈNH THANH HÓA" in left and "/BC-UBND" in left and left.count("Số:") == 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    date_line = [p for p in masthead.rows[0].cells[1].paragraphs if p.text.startswith("Thanh Hóa, ngày")][0]
    assert date_line.text.split() == ["Thanh", "Hóa,", "ngày", "tháng", "năm", "2024"]
    assert all(run.italic for run in date_line.runs)
    issuer = masthead.rows[0].cells[0].paragraphs[0]
    assert issuer.text == "UBND TỈNH THANH HÓA" and all(run.bold for run in issuer.runs)
    assert masthead._tbl.xml.count('w:val="nil"') >= 6  # borderless

    body = [p for p in document.paragraphs]
    title_at = [p.text for p in body].index("BÁO CÁO")
    assert body[title_at + 1].text == PRINTED_TITLE
    assert all(run.bold for run in body[title_at].runs + body[title_at + 1].runs)

    positions = [all_text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    for heading in HEADINGS:
        paragraph = next(p for p in body if p.text == heading)
        assert all(run.bold for run in paragraph.runs)
    paragraph = next(p for p in body if p.text.startswith("Trong 06 tháng đầu năm 2024, UBND tỉnh ban hành"))
    assert paragraph.alignment == 3 and paragraph.paragraph_format.first_line_indent > 0  # JUSTIFY

    closing = next(t for t in document.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    recipients, signature = closing.rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert [p.text for p in recipients.paragraphs[1:]][0] == "- Bộ Nội vụ (để b/c);"
    assert recipients.paragraphs[-1].text == "- Lưu: VT, THKH, KSTTHC-NC, CNTT."
    assert [p.text for p in signature.paragraphs if p.text] == SIGNATURE
    assert all_text.index("Nơi nhận:") > all_text.index(HEADINGS[-1])

    assert "PHỤ LỤC" in all_text
    assert "(Kèm theo Báo cáo số       /BC-UBND ngày       /      /2024 của UBND tỉnh Thanh Hóa)" in all_text


def test_docx_form_tables(docx_bytes, report):
    document = open_docx(docx_bytes)
    tables = form_tables(document)
    assert list(tables) == ["Biểu mẫu 1", "Biểu mẫu 3"]
    all_text = texts(document)
    assert "Công tác chỉ đạo điều hành CCHC" in all_text and "Cải cách thủ tục hành chính" in all_text

    for form, table in zip(report["forms"], tables.values(), strict=True):
        header = table.rows[0]
        assert [cell.text for cell in header.cells] == list(FORM_COLUMNS)
        assert header._tr.trPr is not None and header._tr.trPr.xpath("./w:tblHeader")  # repeats on each page
        assert "w:tblBorders" in table._tbl.xml and 'w:val="single"' in table._tbl.xml
        rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert rows == [
            [r["code"], r["name"], r["unit"], r["value"], r.get("note", "")] for r in form["rows"]
        ]

    procedures = {row.cells[0].text: row for row in tables["Biểu mẫu 3"].rows[1:]}
    assert procedures["3.1.2."].cells[3].text == "238.144"
    assert procedures["3.1.2."].cells[2].text == "Hồ sơ"
    assert procedures["3.1."].cells[3].text == "99,99"
    assert all(run.italic for run in procedures["3.1."].cells[3].paragraphs[0].runs)  # derived
    assert procedures["1.4.1."].cells[1].paragraphs[0].paragraph_format.left_indent > 0  # level 2
    assert all(run.bold for run in procedures["III."].cells[1].paragraphs[0].runs)  # group row


def test_docx_forms_read_back_by_the_statistical_form_reader(docx_bytes, tmp_path):
    """The appendix uses the layout the form reader understands: a generated report can be
    imported again."""
    from cchc.core.statforms import read_form_document

    path = tmp_path / "bao-cao.docx"
    path.write_bytes(docx_bytes)
    document = read_form_document(path)
    assert document.printed["3:3.1.2"] == "238.144"
    assert document.printed["3:1.4"] == "2.133"
    assert document.printed["1:2.2"] == "21"
    assert document.values["3:3.1.1"] == Decimal("238146")
    assert document.notes["1:2.2"] == "26 nhiệm vụ còn lại đang trong thời gian triển khai thực hiện."


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_content_font_and_pages(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF")
    text, (pages, fonts) = pdf_text(pdf_bytes)
    assert unicodedata.is_normalized("NFC", text)
    words = flat(text)
    assert PRINTED_TITLE in words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "Độc lập - Tự do - Hạnh phúc" in words
    for heading in HEADINGS:
        assert heading in words
    assert "Nơi nhận:" in words and "- Lưu: VT, THKH, KSTTHC-NC, CNTT." in words
    for line in SIGNATURE:
        assert line in words
    assert "3.1.2. Số hồ sơ TTHC giải quyết đúng hạn Hồ sơ 238.144" in words
    assert "PHỤ LỤC" in words and words.count("STT Nội dung chỉ tiêu Đơn vị tính Số liệu Ghi chú") >= 2
    # Only the vendored DejaVu Sans (embedded under its @font-face name), never a system font.
    assert fonts and all(name.split("+")[-1].startswith("CCHC-Sans") for name in fonts), fonts
    width, height, first = pages[0]
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    assert round(pages[-1][0]) == 842  # the appendix is landscape
    # Page numbers in the footer from page 2 on.
    assert pages[1][2].split()[-1] == "2"
    assert first.split()[-1] != "1"


# --- LibreOffice ---------------------------------------------------------------------------------


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install --no-install-recommends {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: required under CI=true")
    pytest.skip(message)


def test_libreoffice_opens_and_renders_the_docx(docx_bytes, tmp_path):
    soffice = _tool("soffice", "libreoffice-writer-nogui")
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(docx_bytes)
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash with a running soffice
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rendered = tmp_path / "bao-cao.pdf"
    assert rendered.exists(), "LibreOffice did not convert the document"
    text, (pages, _) = pdf_text(rendered.read_bytes())
    words = flat(text)
    # Without a Times-compatible font (fonts-liberation2) the national title may wrap, and the two
    # masthead columns then interleave in the extracted text: look for pieces that never wrap.
    for piece in (
        "BÁO CÁO",
        "CỘNG HÒA XÃ HỘI",
        "Độc lập - Tự do - Hạnh phúc",
        "Nơi nhận:",
        "PHỤ LỤC",
        "238.144",
    ):
        assert piece in words, piece
    assert (round(pages[0][0]), round(pages[0][1])) == (595, 842)
    assert round(pages[-1][0]) == 842  # LibreOffice kept the landscape appendix section

    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(rendered), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
        assert 1.38 < height / width < 1.45  # portrait A4
        gray = image.convert("L")
        dark = sum(gray.histogram()[:128])
    assert dark > 0.01 * width * height, "the first page rendered blank"


# --- edge cases ------------------------------------------------------------------------------------


def test_empty_sections_and_no_forms():
    report = {
        "issuer": "SỞ NỘI VỤ",
        "parent_issuer": "UBND TỈNH THANH HÓA",
        "number": "12",
        "place": "Thanh Hóa",
        "date": datetime.date(2024, 2, 5),
        "title": "",
        "period_label": "quý I năm 2024",
        "sections": [
            {"heading": "I. KẾT QUẢ", "paragraphs": []},
            {"heading": "", "paragraphs": ["", "  "]},
            {},
        ],
        "recipients": [],
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
        "forms": [],
    }
    document = open_docx(build_report_docx(report))
    all_text = texts(document)
    assert "UBND TỈNH THANH HÓA" in all_text and "SỞ NỘI VỤ" in all_text
    assert "Số: 12/BC" in all_text
    assert "Thanh Hóa, ngày 05 tháng 02 năm 2024" in all_text  # leading zeros as Nghị định 30 requires
    assert "Tình hình thực hiện công tác cải cách hành chính quý I năm 2024" in all_text
    assert "I. KẾT QUẢ" in all_text
    assert "GIÁM ĐỐC" in all_text and "TM. ỦY BAN NHÂN DÂN" not in all_text
    assert "PHỤ LỤC" not in all_text and len(document.sections) == 1
    assert len(document.tables) == 2  # masthead and closing, no form table

    assert build_report_docx({})[:2] == b"PK"  # nothing at all still makes a document


def test_special_characters_long_text_and_odd_values():
    nasty = "A & B <b>\"Q\"</b> 'x' ]]> \x00\x0b\x1f\ufeff tab\there"
    decomposed = unicodedata.normalize("NFD", "Báo cáo kết quả cải cách hành chính năm 2024")
    url = "https://hscv2.thanhhoa.gov.vn/qlvb/VBden.nsf/str/" + "D8C5D85B1FB0FEF8" * 40
    long_paragraph = " ".join(["Cải cách hành chính là nhiệm vụ trọng tâm."] * 600) + " " + url
    report = {
        "issuer": "UBND XÃ KIÊN THỌ",
        "title": decomposed,
        "date": "2024-07-15",
        "sections": [{"heading": f"I. {nasty}", "paragraphs": [nasty, long_paragraph, "dòng 1\r\ndòng 2"]}],
        "recipients": [nasty],
        "signer_title": "CHỦ TỊCH",
        "forms": [
            {
                "number": 2,
                "title": "Cải cách thể chế & <pháp luật>",
                "rows": [
                    {"code": "1", "name": nasty, "unit": "Văn bản", "value": 238144, "note": nasty},
                    {"code": "2", "name": "Tỷ lệ", "unit": "%", "value": Decimal("99.99"), "level": "x"},
                    {"code": "3", "name": "Không có số liệu", "value": None},
                ],
            },
            {"title": "Biểu mẫu 5", "rows": []},
        ],
    }
    clean = "A & B <b>\"Q\"</b> 'x' ]]> tab here"
    document = open_docx(build_report_docx(report))
    all_text = texts(document)
    assert "Kết quả cải cách hành chính năm 2024" in all_text  # NFC, "Báo cáo" is the line above
    assert "Ngày 15 tháng 7 năm 2024" in all_text  # no place given
    assert f"I. {clean}" in all_text and clean in all_text and f"- {clean}" in all_text
    assert long_paragraph in all_text and "dòng 1" in all_text and "dòng 2" in all_text
    assert "TM. ỦY BAN NHÂN DÂN" in all_text and "CHỦ TỊCH" in all_text
    tables = form_tables(document)
    assert list(tables) == ["Biểu mẫu 2", "Biểu mẫu 5"]
    rows = [[c.text for c in row.cells] for row in tables["Biểu mẫu 2"].rows[1:]]
    assert rows[0] == ["1", clean, "Văn bản", "238.144", clean]
    assert rows[1][3] == "99,99" and rows[2][3] == ""
    assert "(Chưa có số liệu)" in tables["Biểu mẫu 5"].rows[1].cells[0].text

    pdf = build_report_pdf(report)
    text, (pages, fonts) = pdf_text(pdf)
    words = flat(text)
    assert "A & B <b>\"Q\"</b> 'x' ]]>" in words
    assert "Kết quả cải cách hành chính năm 2024" in words and "238.144" in words and "99,99" in words
    assert "Ngày 15 tháng 7 năm 2024" in words
    assert len(pages) >= 4 and all(name.split("+")[-1].startswith("CCHC-Sans") for name in fonts)


def test_module_is_pure_python_without_django():
    code = (
        "import sys; import cchc.reporting.documents as d; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'docx', 'weasyprint')], "
        "sorted(m for m in sys.modules if m.startswith(('django', 'docx', 'weasyprint')))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True, timeout=60)
    assert (FONT_DIR / "DejaVuSans.ttf").is_file() and (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()


def test_lenient_inputs():
    report = {
        "issuer": "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA",
        "number": "Số: 245/BC-UBND",
        "date": datetime.date(2024, 12, 1),
        "recipients": "Như trên;\nLưu: VT.",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "forms": [
            None,
            {"title": "Biểu mẫu 7", "rows": [None, {"code": "1", "name": "Chỉ tiêu", "value": 5}]},
        ],
    }
    document = open_docx(build_report_docx(report))
    all_text = texts(document)
    assert ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"] == all_text[:2]
    assert "Số: 245/BC-UBND" in all_text and "Ngày 01 tháng 12 năm 2024" in all_text
    assert "- Như trên;" in all_text and "- Lưu: VT." in all_text
    assert all_text.count("KT. CHỦ TỊCH") == 1 and "TM. ỦY BAN NHÂN DÂN" in all_text
    assert "(Kèm theo Báo cáo số 245/BC-UBND ngày 01/12/2024 của UBND tỉnh Thanh Hóa)" in all_text
    rows = form_tables(document)["Biểu mẫu 7"].rows
    assert [c.text for c in rows[1].cells] == ["1", "Chỉ tiêu", "", "5", ""]
