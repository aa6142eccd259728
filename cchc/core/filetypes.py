"""What an uploaded file really is, decided from its content, never from its name.

Evidence documents (tài liệu kiểm chứng) and report attachments arrive from hundreds of offices; a
file's name says little (an .exe renamed "bao-cao.pdf", a .docx saved as .doc). `sniff` reads the
first bytes, `detect` adds what only the whole file tells (the member list of a zip, the directory of
an OLE compound file) without extracting anything, and `check_upload` turns the answer into an accept
or a refusal with a message in Vietnamese that names the file.

Kinds returned by `sniff`/`detect`; only those in ALLOWED pass `check_upload`:

    pdf, docx, xlsx, doc, xls, png, jpeg, gif, webp, txt      -- ALLOWED, see below
    ole        OLE compound file that is neither Word nor Excel nor PowerPoint (msi, Visio, …)
    encrypted  password-protected Office file (an OLE file holding an EncryptedPackage)
    ppt, pptx, docm, xlsm, odf, zip, rar, 7z, gzip, exe, html, svg, xml, utf16

Pure Python: no Django import.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

__all__ = [
    "ALLOWED",
    "DESCRIPTIONS",
    "EXTENSIONS",
    "HEAD_SIZE",
    "UploadRejected",
    "check_not_polyglot",
    "check_pdf_pages",
    "check_upload",
    "check_zip_expansion",
    "detect",
    "sniff",
]

#: Kinds accepted as evidence and attachments:
#:   pdf           PDF, the usual form of a signed and scanned document
#:   docx, xlsx    Word and Excel (Office Open XML) without macros
#:   doc, xls      Word and Excel 97-2003, still common in commune offices
#:   png, jpeg, gif, webp   photos and screenshots (a board of public notices, a one-stop desk)
#:   txt           plain text, UTF-8 only
ALLOWED = frozenset({"pdf", "docx", "xlsx", "doc", "xls", "png", "jpeg", "gif", "webp", "txt"})

#: File-name extension (lower case, no dot) -> the kind its content must be.
EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "doc": "doc",
    "xls": "xls",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "jfif": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "txt": "txt",
}

#: What a kind of content is, in the words of an upload message ("nội dung là …").
DESCRIPTIONS = {
    "pdf": "tệp PDF",
    "docx": "tệp Word (.docx)",
    "xlsx": "tệp Excel (.xlsx)",
    "doc": "tệp Word 97-2003 (.doc)",
    "xls": "tệp Excel 97-2003 (.xls)",
    "png": "ảnh PNG",
    "jpeg": "ảnh JPEG",
    "gif": "ảnh GIF",
    "webp": "ảnh WebP",
    "txt": "tệp văn bản (.txt)",
    "ole": "tệp Office cũ không rõ loại",
    "encrypted": "tệp Office được đặt mật khẩu",
    "ppt": "tệp PowerPoint (.ppt)",
    "pptx": "tệp PowerPoint (.pptx)",
    "docm": "tệp Word có macro (.docm)",
    "xlsm": "tệp Excel có macro (.xlsm)",
    "odf": "tệp OpenDocument (.odt, .ods)",
    "zip": "tệp nén ZIP",
    "rar": "tệp nén RAR",
    "7z": "tệp nén 7z",
    "gzip": "tệp nén GZIP",
    "exe": "tệp chương trình (.exe)",
    "html": "trang web (HTML)",
    "svg": "ảnh SVG",
    "xml": "tệp XML",
    "utf16": "văn bản mã UTF-16 (cần lưu lại với mã UTF-8)",
}

# What a file named .<ext> should have been, in "không phải …".
_EXPECTED = {**DESCRIPTIONS, "pdf": "PDF"}

HEAD_SIZE = 8192
MB = 1024 * 1024

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EXE_MAGICS = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O 32/64, both byte orders, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # tab, newlines and form feed are text


class UploadRejected(ValueError):
    """An upload refused; `message` is for the user (Vietnamese), `code` for programs."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # "empty", "too_large", "extension", "unknown", "mismatch"


# ---------------------------------------------------------------------------------------------------------
# sniffing


def sniff(
    head: bytes,
    *,
    zip_names: Iterable[str] | None = None,
    ole_names: Iterable[str] | None = None,
) -> str | None:
    """The kind of content from the first bytes of a file; None when empty or unknown.

    A zip is told apart by its member names ("word/document.xml", "xl/workbook.xml", with
    "[Content_Types].xml"), an OLE file by its stream names ("WordDocument", "Workbook"). Give them
    when known (`detect` does); otherwise they are looked for in `head` itself, which is enough for
    small files and gives "zip" / "ole" when it is not.
    """
    head = bytes(head) if head else b""
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(_ole_names(io.BytesIO(head)) if ole_names is None else ole_names)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(_ZIP_MAGICS):
        return _zip_kind(_local_zip_names(head) if zip_names is None else zip_names)
    if head.startswith(_EXE_MAGICS):
        return "exe"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    text = _utf8_text(head)
    if text is None:
        return None
    return _markup_kind(text) or "txt"


def _utf8_text(head: bytes) -> str | None:
    """`head` decoded when it is UTF-8 text (a character cut at the end is fine), else None."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if not text or _CONTROL.search(text):
        return None
    return text


def _markup_kind(text: str) -> str | None:
    """HTML, SVG or XML: text that a browser would run or render, not a plain .txt."""
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")):
        return "html"
    if start.startswith("<svg") or (start.startswith("<?xml") and "<svg" in start[:2048]):
        return "svg"
    if start.startswith("<?xml"):
        return "xml"
    return None


def _zip_kind(names: Iterable[str]) -> str:
    members = set(names)
    ooxml = "[Content_Types].xml" in members
    if ooxml and "word/document.xml" in members:
        return "docm" if "word/vbaProject.bin" in members else "docx"
    if ooxml and "xl/workbook.xml" in members:
        return "xlsm" if "xl/vbaProject.bin" in members else "xlsx"
    if ooxml and "ppt/presentation.xml" in members:
        return "pptx"
    if "mimetype" in members and "content.xml" in members:
        return "odf"
    return "zip"


def _local_zip_names(head: bytes) -> list[str]:
    """Member names from the local file headers inside `head` (a zip's first members)."""
    names = []
    for m in re.finditer(re.escape(b"PK\x03\x04"), head):
        start = m.start()
        if start + 30 > len(head):
            break
        name_len = struct.unpack_from("<H", head, start + 26)[0]
        name = head[start + 30 : start + 30 + name_len]
        if len(name) == name_len:
            names.append(name.decode("utf-8", "replace"))
    return names


# OLE compound files ([MS-CFB]): walk the directory chain through the FAT, reading only what is needed.
_ENDOFCHAIN_OR_SPECIAL = 0xFFFFFFFA
_MAX_DIRECTORY_SECTORS = 1024
_MAX_DIFAT_SECTORS = 1024


def _ole_kind(names: Iterable[str]) -> str:
    streams = {name.lower() for name in names}
    if "encryptedpackage" in streams:
        return "encrypted"  # a password-protected .docx/.xlsx is an OLE file
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "powerpoint document" in streams:
        return "ppt"
    return "ole"


def _ole_names(f: BinaryIO) -> list[str]:
    """Names in the directory of an OLE compound file; what could be read when it is damaged."""
    names: list[str] = []
    try:
        f.seek(0)
        header = f.read(512)
        if len(header) < 512 or not header.startswith(_OLE_MAGIC):
            return names
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            return names
        size = 1 << shift
        per_sector = size // 4
        (first_dir,) = struct.unpack_from("<I", header, 0x30)
        first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
        difat = list(struct.unpack_from("<109I", header, 0x4C))
        fat_cache: dict[int, bytes] = {}

        def sector(sid: int) -> bytes | None:
            f.seek((sid + 1) * size)
            data = f.read(size)
            return data if len(data) == size else None

        def fat_sector_id(index: int) -> int | None:
            # the first 109 FAT sectors are listed in the header, the rest in a chain of DIFAT sectors
            nonlocal first_difat, difat_count
            while index >= len(difat) and difat_count > 0 and first_difat < _ENDOFCHAIN_OR_SPECIAL:
                if len(difat) > 109 + _MAX_DIFAT_SECTORS * per_sector:
                    return None
                data = sector(first_difat)
                if data is None:
                    return None
                ids = struct.unpack_from(f"<{per_sector}I", data)
                difat.extend(ids[:-1])
                first_difat, difat_count = ids[-1], difat_count - 1
            return difat[index] if index < len(difat) else None

        def next_sector(sid: int) -> int:
            fat_id = fat_sector_id(sid // per_sector)
            if fat_id is None or fat_id >= _ENDOFCHAIN_OR_SPECIAL:
                return _ENDOFCHAIN_OR_SPECIAL
            if fat_id not in fat_cache:
                data = sector(fat_id)
                if data is None:
                    return _ENDOFCHAIN_OR_SPECIAL
                fat_cache[fat_id] = data
            return struct.unpack_from("<I", fat_cache[fat_id], (sid % per_sector) * 4)[0]

        sid, seen = first_dir, set()
        while sid < _ENDOFCHAIN_OR_SPECIAL and sid not in seen and len(seen) < _MAX_DIRECTORY_SECTORS:
            seen.add(sid)
            data = sector(sid)
            if data is None:
                break
            for offset in range(0, size, 128):
                name_len = struct.unpack_from("<H", data, offset + 64)[0]
                if data[offset + 66] in (1, 2, 5) and 2 <= name_len <= 64 and name_len % 2 == 0:
                    names.append(data[offset : offset + name_len - 2].decode("utf-16-le", "replace"))
            sid = next_sector(sid)
    except (OSError, ValueError, struct.error, OverflowError):
        pass
    return names


# ---------------------------------------------------------------------------------------------------------
# files


def detect(fileobj: BinaryIO) -> str | None:
    """The kind of an open binary file (seekable), read from its start; leaves it rewound to 0.

    Reads the first HEAD_SIZE bytes and, for a zip, its central directory (names only, nothing is
    extracted); for an OLE file, its directory. A zip whose directory cannot be read (a truncated
    upload) is None: unknown or damaged.
    """
    try:
        fileobj.seek(0)
        head = fileobj.read(HEAD_SIZE)
        if isinstance(head, str):
            raise TypeError("detect() needs a file opened in binary mode")
        zip_names = ole_names = None
        if head.startswith(_ZIP_MAGICS):
            fileobj.seek(0)
            try:
                with zipfile.ZipFile(fileobj) as archive:  # a passed-in file is not closed by ZipFile
                    zip_names = archive.namelist()
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
                return None
        elif head.startswith(_OLE_MAGIC):
            ole_names = _ole_names(fileobj)
        return sniff(head, zip_names=zip_names, ole_names=ole_names)
    finally:
        fileobj.seek(0)


def check_upload(fileobj: BinaryIO, name: str, *, max_bytes: int = 20 * MB) -> str:
    """The kind of an upload that may be kept, or UploadRejected with a message naming the file.

    Refused: an empty file, one over `max_bytes`, a name whose extension is not one of EXTENSIONS,
    content that cannot be recognised, and content that contradicts the extension (an .exe renamed
    .pdf, a .docx renamed .xlsx). A .txt must be UTF-8 from end to end. Leaves the file rewound.
    """
    shown = _base_name(name)
    size = _size(fileobj)
    if size == 0:
        raise UploadRejected(f"Tệp “{shown}” rỗng (0 byte)", code="empty")
    if size > max_bytes:
        raise UploadRejected(f"Tệp “{shown}” lớn hơn {_human_size(max_bytes)}", code="too_large")
    ext = shown.rsplit(".", 1)[1].lower() if "." in shown.strip(".") else ""
    expected = EXTENSIONS.get(ext)
    if expected is None:
        accepted = ", ".join(f".{e}" for e in EXTENSIONS)
        what = f"đuôi .{ext}" if ext else "không có đuôi"
        raise UploadRejected(
            f"Tệp “{shown}” không được chấp nhận ({what}); chỉ nhận các loại tệp {accepted}",
            code="extension",
        )
    kind = detect(fileobj)
    if kind is None:
        raise UploadRejected(
            f"Tệp “{shown}” có nội dung không nhận dạng được hoặc đã bị hỏng", code="unknown"
        )
    if kind != expected:
        raise UploadRejected(
            f"Tệp “{shown}” không phải {_EXPECTED[expected]}: nội dung là {DESCRIPTIONS.get(kind, kind)}",
            code="mismatch",
        )
    check_not_polyglot(fileobj, shown, kind)
    if kind in ("docx", "xlsx"):
        check_zip_expansion(fileobj, shown)
    if kind == "pdf":
        check_pdf_pages(fileobj, shown)
    if kind == "txt" and not _utf8_to_the_end(fileobj):
        raise UploadRejected(
            f"Tệp “{shown}” không phải văn bản thuần mã UTF-8 (có ký tự lạ hoặc sai mã)", code="unknown"
        )
    return kind


#: Limits of an Office (zip) file, read from its directory before anything is decompressed.
ZIP_MAX_TOTAL = 200 * MB  # all members together, uncompressed
ZIP_MAX_RATIO = 200  # uncompressed/compressed for a member over 1 MB uncompressed
ZIP_MAX_MEMBERS = 5000


def check_zip_expansion(fileobj: BinaryIO, name: str) -> None:
    """Refuse a zip bomb (.docx/.xlsx) from its central directory, before any parser inflates it:
    too many members, too much uncompressed data, or a member compressed beyond any real
    document's ratio. Leaves the file rewound."""
    shown = _base_name(name)
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRejected(f"Tệp “{shown}” bị hỏng (không đọc được cấu trúc tệp nén)", code="unknown") from error
    finally:
        fileobj.seek(0)
    if len(members) > ZIP_MAX_MEMBERS:
        raise UploadRejected(f"Tệp “{shown}” chứa quá nhiều thành phần ({len(members)})", code="zip_bomb")
    total = sum(m.file_size for m in members)
    if total > ZIP_MAX_TOTAL:
        raise UploadRejected(
            f"Tệp “{shown}” khi giải nén lớn tới {_human_size(total)} (tối đa {_human_size(ZIP_MAX_TOTAL)}): "
            "có thể là tệp độc hại (zip bomb)", code="zip_bomb")
    for m in members:
        if m.file_size > MB and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1):
            raise UploadRejected(
                f"Tệp “{shown}” có thành phần {m.filename} nén bất thường "
                f"({m.file_size // max(m.compress_size, 1)}:1): có thể là tệp độc hại (zip bomb)", code="zip_bomb")


#: Limits of a PDF, read from its page tree before any text or layout is parsed. A plan or an evidence
#: document runs to tens of pages; A0 is 2384 x 3370 pt and 14400 pt (200 inches) is the PDF limit.
PDF_MAX_PAGES = 1000
PDF_MAX_SIDE = 14400  # points


def check_pdf_pages(fileobj: BinaryIO, name: str) -> None:
    """Refuse a PDF of too many pages or a page too large, from PDFium's page tree (no page is
    rendered, no text extracted). A PDF PDFium cannot open is left to the reader that comes next.
    Leaves the file rewound."""
    import pypdfium2 as pdfium

    shown = _base_name(name)
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return
    try:
        pages = len(doc)
        if pages > PDF_MAX_PAGES:
            raise UploadRejected(
                f"Tệp “{shown}” có {_vn_int(pages)} trang, quá số trang cho phép ({_vn_int(PDF_MAX_PAGES)} trang)",
                code="pdf_too_many_pages")
        for index in range(pages):
            width, height = doc.get_page_size(index)
            if max(width, height) > PDF_MAX_SIDE:
                raise UploadRejected(
                    f"Tệp “{shown}” có trang {index + 1} khổ quá lớn ({_vn_int(round(width))} × "
                    f"{_vn_int(round(height))} điểm, tối đa {_vn_int(PDF_MAX_SIDE)} điểm mỗi cạnh)",
                    code="pdf_page_too_large")
    finally:
        doc.close()


_HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.IGNORECASE)
_ZIP_END = b"PK\x05\x06"


def check_not_polyglot(fileobj: BinaryIO, name: str, kind: str) -> None:
    """Refuse a file that is two things at once (a PDF that is also a zip or a web page, a .docx that
    a PDF reader would open, a picture with an archive appended): its kind would depend on the program
    that opens it. Browsers sniff HTML in the first 512 bytes and PDF readers look for "%PDF-" in the
    first 1024; a zip is found from its end record. Leaves the file rewound."""
    shown = _base_name(name)
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(max(0, size - (65535 + 22)))
    tail = fileobj.read()
    fileobj.seek(0)
    other = None
    if kind != "txt" and _HTML_MARKERS.search(head):
        other = DESCRIPTIONS["html"]
    elif kind not in ("pdf",) and b"%PDF-" in head:
        other = DESCRIPTIONS["pdf"]
    elif kind not in ("docx", "xlsx", "txt") and _ZIP_END in tail:
        other = DESCRIPTIONS["zip"]
    if other is not None:
        raise UploadRejected(
            f"Tệp “{shown}” vừa là {DESCRIPTIONS.get(kind, kind)} vừa là {other} (tệp đa định dạng): "
            "không được chấp nhận; hãy lưu lại tệp từ chương trình gốc", code="polyglot")


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _base_name(name: str) -> str:
    """The file's own name, without a browser's "C:\\fakepath\\" or any folder."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or "không tên"


def _size(fileobj: BinaryIO) -> int:
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _human_size(n: int) -> str:
    for unit, factor in (("MB", MB), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            text = str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{n} byte"


def _utf8_to_the_end(fileobj: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        fileobj.seek(0)
        while chunk := fileobj.read(64 * 1024):
            if _CONTROL.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
