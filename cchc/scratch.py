"""Scratch space for files being read (an uploaded plan, a filled form, a scan being OCR'd).

Everything goes under DATA_DIR/scratch/, one directory per use named after the process, so that
what a killed process left (SIGKILL or a power cut in the middle of an import, where no `finally`
runs) is found and removed when the server starts again (`sweep`), instead of piling up in the
system's temporary directory, which Windows never empties. Django's own temporary upload files
(uploads over FILE_UPLOAD_MAX_MEMORY_SIZE) go there too (settings.FILE_UPLOAD_TEMP_DIR).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

#: A scratch entry older than this is stale whatever its process (no read takes a day).
MAX_AGE_SECONDS = 24 * 3600


def scratch_root() -> Path:
    root = Path(settings.DATA_DIR) / "scratch"
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private directory, removed on leaving (and by `sweep` if the process dies inside)."""
    with tempfile.TemporaryDirectory(dir=scratch_root(), prefix=f"{os.getpid()}-") as folder:
        yield Path(folder)


@contextlib.contextmanager
def upload_on_disk(upload, name: str) -> Iterator[Path]:
    """An uploaded file (Django's UploadedFile, or bytes) written to ``name`` in a scratch directory."""
    with scratch_dir() as folder:
        path = folder / (Path(name).name or "tep")
        if isinstance(upload, bytes | bytearray):
            path.write_bytes(upload)
        else:
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            upload.seek(0)
        yield path


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate it on Windows: only age counts there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # Linux: a killed process nobody reaped (a container's init may not) is a zombie, not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def sweep(now: float | None = None) -> list[Path]:
    """Remove the scratch entries of processes that are gone, and any older than MAX_AGE_SECONDS;
    the removed paths."""
    now = time.time() if now is None else now
    removed = []
    for entry in scratch_root().iterdir():
        owner = entry.name.split("-", 1)[0]
        try:
            stale = now - entry.lstat().st_mtime > MAX_AGE_SECONDS
        except FileNotFoundError:
            continue
        if stale or (owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner))):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
