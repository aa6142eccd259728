"""Uploads judged by their content: real small files built with Pillow, python-docx and openpyxl."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from cchc.core.filetypes import (
    ALLOWED,
    DESCRIPTIONS,
    EXTENSIONS,
    HEAD_SIZE,
    UploadRejected,
    check_upload,
    detect,
    sniff,
)

VIETNAMESE = "Báo cáo kết quả thực hiện cải cách hành chính 6 tháng đầu năm 2024 của Sở Nội vụ.\n"

# --- building real files ----------------------------------------------------------------------------------

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole_file(stream_names: list[str], *, shift: int = 9, padding: int = 0) -> bytes:
    """A minimal OLE compound file (MS-CFB): a FAT sector, then a chain of directory sectors.

    `padding` empty sectors sit between the FAT and the directory, to put the directory beyond
    the first bytes that `sniff` sees.
    """
    size = 1 << shift
    entries = [("Root Entry", 5)] + [(name, 2) for name in stream_names]
    per_sector = size // 128
    n_dir = -(-len(entries) // per_sector)
    first_dir = 1 + padding
    fat = [FATSECT] + [FREE] * padding
    fat += [first_dir + i + 1 for i in range(n_dir - 1)] + [END]
    fat += [FREE] * (size // 4 - len(fat))
    header = bytearray(size)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if shift == 9 else 4, 0xFFFE, shift, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, first_dir, 0, 4096, END, 0, END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    directory = bytearray(n_dir * size)
    for i, (name, kind) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128 : i * 128 + len(encoded)] = encoded
        struct.pack_into("<HB", directory, i * 128 + 64, len(encoded), kind)
    return bytes(header) + struct.pack(f"<{size // 4}I", *fat) + bytes(size * padding) + bytes(directory)


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("uploads")
    made: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        made[name] = root / name
        made[name].write_bytes(data)

    image = Image.new("RGB", (24, 16), (200, 30, 30))
    for name, fmt in (("anh.png", "PNG"), ("anh.jpg", "JPEG"), ("anh.gif", "GIF"), ("anh.webp", "WEBP")):
        image.save(root / name, fmt)
        made[name] = root / name
    image.save(root / "bao-cao-scan.pdf", "PDF")
    made["bao-cao-scan.pdf"] = root / "bao-cao-scan.pdf"

    import docx
    import openpyxl

    document = docx.Document()
    document.add_paragraph(VIETNAMESE)
    document.save(root / "bao-cao.docx")
    made["bao-cao.docx"] = root / "bao-cao.docx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Chỉ tiêu"
    workbook.save(root / "bieu-mau.xlsx")
    made["bieu-mau.xlsx"] = root / "bieu-mau.xlsx"

    put("ghi-chu.txt", VIETNAMESE.encode() * 3)
    put("rong.pdf", b"")
    put("ngau-nhien.bin", random.Random(7).randbytes(4096))
    put(
        "virus.exe",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(500) + b"This program cannot be run",
    )
    put("nen.zip", zip_bytes(["a.txt", "b/c.xml"]))
    put("to-trinh.doc", ole_file(["\x01CompObj", "WordDocument", "1Table", "\x05SummaryInformation"]))
    put("so-lieu.xls", ole_file(["Workbook", "\x05DocumentSummaryInformation"]))
    return made


def opened(path: Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())


# --- sniff --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"GIF87a\x01\x00", "gif"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"MZ\x90\x00", "exe"),
        (b"\x7fELF\x02\x01\x01", "exe"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        ("\ufeffHọ và tên".encode("utf-16-le"), "utf16"),
        (VIETNAMESE.encode(), "txt"),
        ("\ufeff".encode() + VIETNAMESE.encode(), "txt"),
        (VIETNAMESE.encode() + "ệ".encode()[:2], "txt"),  # a character cut by the end of the head
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "html"),
        (b"  <html><body>", "html"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "svg"),
        (b"<svg onload=alert(1)>", "svg"),
        (b'<?xml version="1.0"?><root/>', "xml"),
        (b"", None),
        (b"\x00\x01\x02\x03binary", None),
        (b"\xc3\x28 not utf-8", None),
        (b"Ti\xeau \xf0\xe8 (TCVN3)", None),
    ],
)
def test_sniff_magic_bytes(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"], "docx"),
        (["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"], "xlsx"),
        (["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"], "docm"),
        (["[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"], "xlsm"),
        (["[Content_Types].xml", "ppt/presentation.xml"], "pptx"),
        (["word/document.xml"], "zip"),  # no [Content_Types].xml: not an Office document
        (["mimetype", "content.xml", "META-INF/manifest.xml"], "odf"),
        (["a.txt", "setup.exe"], "zip"),
        ([], "zip"),
    ],
)
def test_sniff_zip_by_member_names(names, kind):
    assert sniff(b"PK\x03\x04\x14\x00", zip_names=names) == kind
    # without the list, the names come from the local headers inside the head
    assert sniff(zip_bytes(names) if names else b"PK\x05\x06" + bytes(18)) == kind


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["WordDocument", "1Table"], "doc"),
        (["Workbook"], "xls"),
        (["Book"], "xls"),  # Excel 5/95
        (["PowerPoint Document", "Current User"], "ppt"),
        (["EncryptionInfo", "EncryptedPackage"], "encrypted"),
        (["\x05SummaryInformation", "Property"], "ole"),
        ([], "ole"),
    ],
)
def test_sniff_ole_by_stream_names(names, kind):
    assert sniff(OLE_MAGIC + bytes(24), ole_names=names) == kind
    assert sniff(ole_file(names)) == kind
    assert sniff(ole_file(names, shift=12)) == kind


def test_sniff_ole_without_its_directory_is_ole():
    data = ole_file(["WordDocument"], padding=20)  # the directory starts beyond HEAD_SIZE
    assert len(data) > HEAD_SIZE
    assert sniff(data[:HEAD_SIZE]) == "ole"
    assert detect(io.BytesIO(data)) == "doc"


def test_ole_directory_chain_is_followed():
    names = [f"Stream{i}" for i in range(9)] + ["WordDocument"]  # 11 entries: three directory sectors
    assert detect(io.BytesIO(ole_file(names))) == "doc"
    assert detect(io.BytesIO(ole_file(names, shift=12))) == "doc"


def test_sniff_accepts_bytearray_and_memoryview():
    assert sniff(bytearray(b"%PDF-1.4")) == "pdf"
    assert sniff(memoryview(b"\x89PNG\r\n\x1a\n")) == "png"


# --- detect on real files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("bao-cao-scan.pdf", "pdf"),
        ("bao-cao.docx", "docx"),
        ("bieu-mau.xlsx", "xlsx"),
        ("to-trinh.doc", "doc"),
        ("so-lieu.xls", "xls"),
        ("anh.png", "png"),
        ("anh.jpg", "jpeg"),
        ("anh.gif", "gif"),
        ("anh.webp", "webp"),
        ("ghi-chu.txt", "txt"),
        ("rong.pdf", None),
        ("ngau-nhien.bin", None),
        ("virus.exe", "exe"),
        ("nen.zip", "zip"),
    ],
)
def test_detect_real_files(files, name, kind):
    with open(files[name], "rb") as f:
        f.read(5)  # wherever the caller left it, detection starts at the beginning
        assert detect(f) == kind
        assert f.tell() == 0


def test_detect_rewinds_and_leaves_content_intact(files):
    data = files["bao-cao.docx"].read_bytes()
    f = io.BytesIO(data)
    assert detect(f) == "docx"
    assert f.tell() == 0 and f.read() == data


def test_detect_truncated_docx_is_unknown(files):
    data = files["bao-cao.docx"].read_bytes()
    assert detect(io.BytesIO(data[: len(data) // 2])) is None


def test_detect_needs_binary_mode(files):
    with open(files["ghi-chu.txt"], encoding="utf-8") as f, pytest.raises(TypeError):
        detect(f)


# --- check_upload -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "upload_as", "kind"),
    [
        ("bao-cao-scan.pdf", "bao-cao-scan.pdf", "pdf"),
        ("bao-cao.docx", "bao-cao.docx", "docx"),
        ("bao-cao.docx", "BAO CAO.DOCX", "docx"),
        ("bieu-mau.xlsx", "Biểu mẫu 1.xlsx", "xlsx"),
        ("to-trinh.doc", "to-trinh.doc", "doc"),
        ("so-lieu.xls", "so-lieu.xls", "xls"),
        ("anh.png", "anh.png", "png"),
        ("anh.jpg", "anh.jpg", "jpeg"),
        ("anh.jpg", "anh.jpeg", "jpeg"),
        ("anh.gif", "anh.gif", "gif"),
        ("anh.webp", "anh.webp", "webp"),
        ("ghi-chu.txt", "ghi-chu.txt", "txt"),
        ("bao-cao-scan.pdf", "C:\\fakepath\\bao-cao.pdf", "pdf"),
    ],
)
def test_check_upload_accepts_matching_content(files, name, upload_as, kind):
    f = opened(files[name])
    assert check_upload(f, upload_as) == kind
    assert f.tell() == 0
    assert kind in ALLOWED


def reject(f, name, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_upload(f, name, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == caught.value.message
    return caught.value


def test_docx_named_pdf_is_refused_with_the_message(files):
    error = reject(opened(files["bao-cao.docx"]), "bao-cao.pdf")
    assert error.message == "Tệp “bao-cao.pdf” không phải PDF: nội dung là tệp Word (.docx)"
    assert error.code == "mismatch"


def test_exe_renamed_pdf_is_refused(files):
    error = reject(opened(files["virus.exe"]), "bao-cao.pdf")
    assert error.code == "mismatch"
    assert error.message == "Tệp “bao-cao.pdf” không phải PDF: nội dung là tệp chương trình (.exe)"


@pytest.mark.parametrize(
    ("name", "upload_as", "message"),
    [
        (
            "bieu-mau.xlsx",
            "bieu-mau.docx",
            "Tệp “bieu-mau.docx” không phải tệp Word (.docx): nội dung là tệp Excel (.xlsx)",
        ),
        (
            "bao-cao.docx",
            "bao-cao.doc",
            "Tệp “bao-cao.doc” không phải tệp Word 97-2003 (.doc): nội dung là tệp Word (.docx)",
        ),
        (
            "so-lieu.xls",
            "so-lieu.xlsx",
            "Tệp “so-lieu.xlsx” không phải tệp Excel (.xlsx): nội dung là tệp Excel 97-2003 (.xls)",
        ),
        (
            "nen.zip",
            "bao-cao.docx",
            "Tệp “bao-cao.docx” không phải tệp Word (.docx): nội dung là tệp nén ZIP",
        ),
        ("anh.png", "anh.jpg", "Tệp “anh.jpg” không phải ảnh JPEG: nội dung là ảnh PNG"),
        (
            "bao-cao-scan.pdf",
            "ghi-chu.txt",
            "Tệp “ghi-chu.txt” không phải tệp văn bản (.txt): nội dung là tệp PDF",
        ),
        ("ghi-chu.txt", "bao-cao.pdf", "Tệp “bao-cao.pdf” không phải PDF: nội dung là tệp văn bản (.txt)"),
    ],
)
def test_content_contradicting_the_extension(files, name, upload_as, message):
    error = reject(opened(files[name]), upload_as)
    assert (error.code, error.message) == ("mismatch", message)


def test_empty_file(files):
    error = reject(opened(files["rong.pdf"]), "rong.pdf")
    assert (error.code, error.message) == ("empty", "Tệp “rong.pdf” rỗng (0 byte)")


def test_too_large_with_the_default_limit(tmp_path):
    path = tmp_path / "x.pdf"
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(20 * 1024 * 1024 + 1)  # sparse: nothing is written
    with open(path, "rb") as f:
        error = reject(f, "x.pdf")
    assert (error.code, error.message) == ("too_large", "Tệp “x.pdf” lớn hơn 20 MB")
    with open(path, "rb") as f:
        assert check_upload(f, "x.pdf", max_bytes=21 * 1024 * 1024) == "pdf"


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(5 * 1024 * 1024, "5 MB"), (1536 * 1024, "1,5 MB"), (1536, "1,5 KB"), (100, "100 byte")],
)
def test_too_large_names_the_limit(limit, shown):
    error = reject(io.BytesIO(b"%PDF-1.4\n" + bytes(limit)), "scan.pdf", max_bytes=limit)
    assert (error.code, error.message) == ("too_large", f"Tệp “scan.pdf” lớn hơn {shown}")


def test_exactly_at_the_limit_is_accepted():
    data = b"%PDF-1.4\n" + bytes(991)
    assert check_upload(io.BytesIO(data), "a.pdf", max_bytes=len(data)) == "pdf"


def test_unknown_content(files):
    error = reject(opened(files["ngau-nhien.bin"]), "bao-cao.pdf")
    assert error.code == "unknown"
    assert error.message == "Tệp “bao-cao.pdf” có nội dung không nhận dạng được hoặc đã bị hỏng"


def test_truncated_docx_is_refused_as_damaged(files):
    data = files["bao-cao.docx"].read_bytes()
    assert reject(io.BytesIO(data[:3000]), "bao-cao.docx").code == "unknown"


@pytest.mark.parametrize("name", ["setup.exe", "bao-cao", "bao-cao.pdf.exe", "nen.zip", "trang.html", ".pdf"])
def test_extension_not_accepted(files, name):
    error = reject(opened(files["virus.exe"]), name)
    assert error.code == "extension"
    assert error.message.startswith(f"Tệp “{name}” không được chấp nhận (")
    assert ".pdf, .docx" in error.message


def test_double_extension_counts_the_last_one(files):
    assert check_upload(opened(files["bao-cao-scan.pdf"]), "bao-cao.docx.pdf") == "pdf"
    assert reject(opened(files["virus.exe"]), "bao-cao.exe.pdf").code == "mismatch"


def test_txt_must_be_utf8_to_the_end():
    head = VIETNAMESE.encode() * 200  # longer than HEAD_SIZE
    assert len(head) > HEAD_SIZE
    assert check_upload(io.BytesIO(head), "a.txt") == "txt"
    error = reject(io.BytesIO(head + b"\xff\xfe broken"), "a.txt")
    assert error.code == "unknown"
    assert "UTF-8" in error.message
    assert reject(io.BytesIO(head + b"\x00\x00"), "a.txt").code == "unknown"


def test_markup_renamed_txt_is_refused():
    error = reject(io.BytesIO(b"<!DOCTYPE html><script>alert(1)</script>"), "ghi-chu.txt")
    assert error.message == "Tệp “ghi-chu.txt” không phải tệp văn bản (.txt): nội dung là trang web (HTML)"


def test_password_protected_office_file_is_explained():
    data = ole_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    error = reject(io.BytesIO(data), "bao-cao.docx")
    assert (
        error.message
        == "Tệp “bao-cao.docx” không phải tệp Word (.docx): nội dung là tệp Office được đặt mật khẩu"
    )


def test_tables_are_consistent():
    assert set(EXTENSIONS.values()) == ALLOWED
    assert ALLOWED <= set(DESCRIPTIONS)


# --- properties ---------------------------------------------------------------------------------------------

MAGICS = [
    b"",
    b"%PDF-",
    OLE_MAGIC,
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF\0\0\0\0WEBP",
    b"MZ",
    b"\xef\xbb\xbf",
    b"<?xml",
]


@settings(max_examples=100, deadline=None)
@given(prefix=st.sampled_from(MAGICS), rest=st.binary(max_size=1500))
def test_never_raises_on_any_bytes(prefix, rest):
    data = prefix + rest
    kind = sniff(data)
    assert kind is None or kind in DESCRIPTIONS
    f = io.BytesIO(data)
    assert detect(f) in (None, *DESCRIPTIONS)
    assert f.tell() == 0
    try:
        assert check_upload(f, "x.pdf") == "pdf"
    except UploadRejected as error:
        assert error.message.startswith("Tệp “x.pdf” ")
    assert f.tell() == 0


@settings(max_examples=60, deadline=None)
@given(
    sectors=st.lists(st.integers(min_value=0, max_value=0xFFFFFFFF), min_size=4, max_size=4),
    shift=st.sampled_from([9, 12, 0, 65535]),
    tail=st.binary(max_size=3000),
)
def test_damaged_ole_headers_never_raise(sectors, shift, tail):
    header = bytearray(ole_file(["WordDocument"]))
    struct.pack_into("<H", header, 0x1E, shift)
    struct.pack_into("<IIII", header, 0x30, sectors[0], 0, 0, 0)
    struct.pack_into("<II", header, 0x44, sectors[1], sectors[2] % 5)
    struct.pack_into("<I", header, 0x4C, sectors[3])
    data = bytes(header) + tail
    assert sniff(data) in ("doc", "ole")
    assert detect(io.BytesIO(data)) in ("doc", "ole")


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300))
def test_any_printable_utf8_text_is_txt(text):
    assume(not text.startswith(("MZ", "%PDF-", "GIF87a", "GIF89a")))  # magic numbers that happen to be text
    assert sniff(text.encode()) in ("txt", "html", "svg", "xml")
    assert sniff(("Ghi chú: " + text).encode()) == "txt"
