"""Read a CCHC (Public Administration Reform) plan document into a plain dict.

    read_plan(path, year=None) -> dict           # .txt, .docx or .pdf
    read_plan_text(text, *, year=None, source_name="<text>") -> dict

The dict's shape is documented in docs/plan-json.md. A document the reader cannot understand
raises `PlanReadError` naming the line where understanding stopped; it never returns half a plan.
Pure Python: no Django import.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import PlanReadError
from .reader import read as _read

__all__ = ["PlanReadError", "document_text", "read_plan", "read_plan_text"]


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


def read_plan(path: str | os.PathLike, year: int | None = None) -> dict:
    """Read a plan file: .txt as text, .docx and .pdf through their text converters."""
    return read_plan_text(document_text(path), year=year, source_name=str(path))


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
