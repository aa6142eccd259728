"""Scanned PDFs (no text layer) made readable with OCR: ocrmypdf + tesseract's Vietnamese model.

A signed paper plan scanned to PDF has pictures, no characters: `is_scan` tells it. `ocr_pdf` runs
ocrmypdf (Debian packages ``ocrmypdf`` and ``tesseract-ocr-vie``) to add a text layer, one OCR at a
time on the machine and on one core (the server is small), reporting progress page by page to a
callback; the result is then read as any PDF. Text read this way is marked as read from a scan, so
the review screen can ask a person to check it.

No Django import.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from cchc.core.exclusive import exclusive

__all__ = ["OcrError", "is_scan", "ocr_missing", "ocr_pdf", "page_count"]

INSTALL_HINT = (
    "máy chủ chưa cài công cụ nhận dạng ký tự. Hãy cài các gói Debian ocrmypdf và tesseract-ocr-vie "
    "(sudo apt-get install ocrmypdf tesseract-ocr-vie), hoặc tải lên bản PDF xuất trực tiếp từ Word"
)
DEFAULT_TIMEOUT = 30 * 60  # seconds for one document
_PAGE_LINE = re.compile(r"^\s{0,8}(\d{1,4})\s")

Progress = Callable[[int, int], None]  # (pages done, pages in all)


class OcrError(Exception):
    """OCR could not be run or failed; ``message`` is for the user (Vietnamese)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # "missing", "timeout", "failed"


def page_count(path: Path | str) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def is_scan(path: Path | str) -> bool:
    """A PDF with pages and not one character on any of them (pictures of paper)."""
    from cchc.core.plan_reader.pdfium_pages import has_text

    try:
        return page_count(path) > 0 and not has_text(path)
    except Exception:  # not a PDF PDFium can open: not a scan either
        return False


def ocr_missing(language: str = "vie") -> str | None:
    """Why OCR cannot run here (Vietnamese), or None when ocrmypdf and the language are installed."""
    if shutil.which("ocrmypdf") is None or shutil.which("tesseract") is None:
        return INSTALL_HINT
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return INSTALL_HINT
    return None if language in listed else INSTALL_HINT


def ocr_pdf(
    source: Path | str,
    target: Path | str,
    *,
    language: str = "vie",
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    shown: str = "",
) -> Path:
    """Write to ``target`` the PDF ``source`` with a text layer recognised by tesseract.

    ``progress(done, total)`` is called as pages are recognised (from ocrmypdf's per-page log) and
    once more at the end. Raises `OcrError` naming ``shown`` (default: the file's name).
    """
    source, target = Path(source), Path(target)
    name = shown or source.name
    missing = ocr_missing(language)
    if missing:
        raise OcrError(f"Tệp {name} là bản quét (không có lớp văn bản): {missing}.", code="missing")
    total = page_count(source)
    command = [
        "ocrmypdf", "-l", language, "--jobs", "1", "--output-type", "pdf", "--skip-text",
        "--optimize", "0", "-v", "1", str(source), str(target),
    ]
    done = 0
    if progress:
        progress(0, total)
    with exclusive("ocr"):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True, errors="replace", start_new_session=True,
        )
        timer = threading.Timer(timeout, lambda: _kill(process))
        timer.start()
        tail: list[str] = []
        try:
            assert process.stderr is not None
            for line in process.stderr:
                tail = (tail + [line.rstrip()])[-5:]
                m = _PAGE_LINE.match(line)
                if m and progress:
                    page = int(m.group(1))
                    if done < page <= total:
                        # A page's log line means the pages before it are done.
                        done = page - 1 if page - 1 > done else done
                        progress(done, total)
            process.wait()
        finally:
            timed_out = not timer.is_alive() and process.returncode not in (0, None) and process.returncode < 0
            timer.cancel()
    if timed_out:
        raise OcrError(f"Nhận dạng ký tự tệp {name} quá {timeout:g} giây nên đã bị dừng.", code="timeout")
    if process.returncode != 0 or not target.is_file():
        raise OcrError(
            f"Không nhận dạng được ký tự trong tệp {name} (ocrmypdf dừng với mã {process.returncode}).",
            code="failed",
        )
    if progress:
        progress(total, total)
    return target


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
