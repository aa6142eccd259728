"""One at a time across the threads of this process and across processes: the heavy external
programs (LibreOffice, OCR) each get a lock file in the temp directory."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[None]:
    with _GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(name, threading.Lock())
    lock_path = Path(tempfile.gettempdir()) / f"cchc-{name}-{os.getuid()}.lock"
    with thread_lock, open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
