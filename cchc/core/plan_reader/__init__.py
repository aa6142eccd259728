"""Read a CCHC (Public Administration Reform) plan document into a plain dict.

    read_plan(path, year=None) -> dict           # .txt, .docx, .doc, .rtf or .pdf (a scan is OCR'd)
    read_plan_text(text, *, year=None, source_name="<text>") -> dict

A scanned PDF (no text layer) is OCR'd first (cchc.core.ocr); the plan then says
``"read_from_scan": true`` and each of its tasks ``"from_scan": true``, for the review screen.

The dict's shape is documented in docs/plan-json.md. A document the reader cannot understand
raises `PlanReadError` naming the line where understanding stopped; it never returns half a plan.
Pure Python: no Django import.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import PlanReadError
from .reader import read as _read

__all__ = ["PlanReadError", "document_text", "mark_read_from_scan", "read_plan", "read_plan_text", "scan_text"]


def read_plan_text(text: str, *, year: int | None = None, source_name: str = "<text>") -> dict:
    """Parse the text of a plan (either dialect: flowing PDF text or tab-separated Word rows)."""
    return _read(text, year=year, source_name=source_name)


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise PlanReadError(
                "Không đọc được tệp: mã hóa ký tự không được hỗ trợ (cần UTF-8).", source_name=str(path)
            ) from exc


def read_plan(path: str | os.PathLike, year: int | None = None, *, progress=None) -> dict:
    """Read a plan file: .txt as text, .docx and .pdf through their text converters; a scanned
    PDF through OCR (``progress(done, total)`` hears about its pages), its tasks marked."""
    p = Path(path)
    from cchc.core.ocr import is_scan

    if p.suffix.lower() == ".pdf" and p.is_file() and is_scan(p):
        plan = read_plan_text(scan_text(p, progress=progress), year=year, source_name=str(path))
        return mark_read_from_scan(plan)
    return read_plan_text(document_text(path), year=year, source_name=str(path))


def mark_read_from_scan(plan: dict) -> dict:
    """Mark a plan read through OCR and every task of it: a person should check them."""
    plan["read_from_scan"] = True
    for section in plan.get("sections") or []:
        for task in section.get("tasks") or []:
            task["from_scan"] = True
    return plan


def scan_text(path: str | os.PathLike, *, progress=None) -> str:
    """The reader text of a scanned PDF, through OCR (ocrmypdf + tesseract-ocr-vie)."""
    import tempfile

    from cchc.core.ocr import OcrError, ocr_pdf

    from .pdf import pdf_to_text

    p = Path(path)
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:
        try:
            recognised = ocr_pdf(p, Path(tmp) / "ocr.pdf", progress=progress, shown=p.name)
        except OcrError as exc:
            raise PlanReadError(exc.message, source_name=str(p)) from exc
        return repair_row_numbers(pdf_to_text(recognised, drawn_rules=True))


_NUMBER_CELL = re.compile(r"^\d{1,3}\.?$")


def repair_row_numbers(text: str) -> str:
    """Mend task numbers OCR misread: in a table row (tab-separated) whose first cell is a short
    non-number ("nh", "l", "y¿" for a "1" beside a rule), an unlikely number ("22" after "1") or
    empty while the row's other cells are filled, and whose content cell starts a sentence, the
    number is the one after the previous row's. A heading line between tables starts the count
    again; a header row repeated on a new page does not."""
    from cchc.core.text import fold

    out: list[str] = []
    last: int | None = None
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) < 4:
            if any(ch.isalpha() for ch in line):  # a heading ("Phụ lục 02: …") ends the table
                last = None
        else:
            first = cells[0].strip()
            if first.upper() in ("TT", "STT") or fold(cells[1]).startswith(("noi dung", "nhiem vu", "ten nhiem vu")):
                last = last or 0  # a header, maybe repeated on a new page: the count goes on
            elif _NUMBER_CELL.match(first) and (last is None or 0 < int(first.rstrip(".")) <= last + 5):
                last = int(first.rstrip("."))
            elif last is not None and len(first) <= 3 and cells[1].strip()[:1].isupper() and (
                first or sum(1 for c in cells[1:] if c.strip()) >= 3
            ):
                # a short misread ("nh", "22" for "2") or a number OCR did not see at all
                last += 1
                cells[0] = str(last)
                line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def document_text(path: str | os.PathLike) -> str:
    """The text the reader parses, whatever the format; its line numbers are the `source_lines`."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".txt":
            text = _read_text_file(p)
        elif suffix == ".docx":
            from .docx import docx_to_text

            text = docx_to_text(p)
        elif suffix == ".pdf":
            from .pdf import pdf_to_text

            text = pdf_to_text(p)
        elif suffix in (".doc", ".rtf"):  # legacy Word and RTF: converted by LibreOffice, read as .docx
            from cchc.core.office import ConversionError, as_docx

            from .docx import docx_to_text

            try:
                with as_docx(p) as converted:
                    text = docx_to_text(converted)
            except ConversionError as exc:
                raise PlanReadError(exc.message, source_name=str(p)) from exc
        else:
            raise PlanReadError(
                f"Định dạng tệp không được hỗ trợ: “{suffix or p.name}” (chỉ nhận .txt, .docx, .doc, .rtf, .pdf).",
                source_name=str(p),
            )
    except PlanReadError:
        raise
    except OSError as exc:
        raise PlanReadError(f"Không mở được tệp: {exc.strerror or exc}.", source_name=str(p)) from exc
    except Exception as exc:  # a damaged .docx/.pdf: tell the user, keep the cause for the log
        raise PlanReadError(
            f"Không đọc được tệp {suffix}: tệp bị hỏng hoặc không đúng định dạng ({type(exc).__name__}).",
            source_name=str(p),
        ) from exc
    return text
