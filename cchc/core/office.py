"""Legacy Word (.doc, Word 97-2003) and RTF documents to .docx, with LibreOffice headless.

Provinces still exchange plans, reports and form annexes as .doc; cchc reads .docx, so such a file is
first converted by LibreOffice (the Debian package ``libreoffice-writer-nogui`` or ``libreoffice``),
started by cchc itself: one conversion at a time (a lock shared by every process on the machine, since
LibreOffice cannot run twice on one profile), with a timeout, in a private profile directory.

    with as_docx(path) as docx_path:   # the .docx itself, or a converted copy removed afterwards
        text = docx_to_text(docx_path)

Without LibreOffice, `ConversionError` says what to install. No Django import.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cchc.core.exclusive import exclusive

__all__ = ["LEGACY_SUFFIXES", "ConversionError", "as_docx", "convert_with_soffice", "soffice_path"]

#: Suffixes converted to .docx before reading.
LEGACY_SUFFIXES = (".doc", ".rtf")
#: Seconds one conversion may take before LibreOffice is stopped.
DEFAULT_TIMEOUT = 120

INSTALL_HINT = (
    "máy chủ chưa cài LibreOffice. Hãy cài gói Debian libreoffice-writer-nogui "
    "(sudo apt-get install libreoffice-writer-nogui) hoặc mở tệp bằng Word, lưu thành .docx rồi tải lên lại"
)



class ConversionError(Exception):
    """A document LibreOffice could not convert; ``message`` is for the user (Vietnamese)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # "missing", "timeout", "failed"


def soffice_path() -> str | None:
    """The LibreOffice program: $CCHC_SOFFICE if set (empty: none), else soffice/libreoffice on PATH."""
    configured = os.environ.get("CCHC_SOFFICE")
    if configured is not None:
        return configured if configured and shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _describe(path: Path) -> str:
    return {".doc": "Word 97-2003 (.doc)", ".rtf": "RTF (.rtf)"}.get(path.suffix.lower(), path.suffix or "tệp")


def convert_with_soffice(
    path: Path | str, out_dir: Path | str, target: str, *, timeout: float = DEFAULT_TIMEOUT, shown: str = ""
) -> Path:
    """Convert ``path`` with LibreOffice to ``target`` ("docx", "doc:MS Word 97", "rtf", "pdf", …)
    into ``out_dir``; the converted file's path. Raises `ConversionError` naming ``shown`` (default:
    the file's name)."""
    path, out_dir = Path(path), Path(out_dir)
    name = shown or path.name
    program = soffice_path()
    if program is None:
        raise ConversionError(f"Không chuyển được tệp {name} ({_describe(path)}): {INSTALL_HINT}.", code="missing")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"cchc-soffice-profile-{os.getuid()}"
    command = [
        program, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", target, "--outdir", str(out_dir), str(path.resolve()),
    ]
    extension = target.split(":", 1)[0]
    produced = out_dir / f"{path.stem}.{extension}"
    with exclusive("soffice"):
        with contextlib.suppress(FileNotFoundError):
            produced.unlink()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            start_new_session=True, env={**os.environ, "HOME": str(profile.parent)},
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(
                f"LibreOffice chuyển tệp {name} quá {timeout:g} giây nên đã bị dừng: "
                "tệp có thể bị hỏng hoặc quá lớn.",
                code="timeout",
            ) from None
    if process.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        raise ConversionError(
            f"LibreOffice không chuyển được tệp {name} ({_describe(path)}) sang .{extension}: "
            "tệp bị hỏng hoặc không đúng định dạng.",
            code="failed",
        )
    return produced


@contextlib.contextmanager
def as_docx(path: Path | str, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[Path]:
    """``path`` itself unless it is a .doc/.rtf, else a .docx converted from it (removed on exit)."""
    path = Path(path)
    if path.suffix.lower() not in LEGACY_SUFFIXES:
        yield path
        return
    with open(path, "rb"):  # a missing/unreadable file raises OSError as usual
        pass
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as tmp:
        # A copy with a plain name: LibreOffice names the output after the input's stem.
        source = Path(tmp) / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        converted = convert_with_soffice(
            source, Path(tmp) / "out", "docx:MS Word 2007 XML", timeout=timeout, shown=path.name
        )
        yield converted
