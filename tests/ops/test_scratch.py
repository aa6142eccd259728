"""Scratch space (cchc/scratch.py): what a killed process was reading is removed at the next start,
what a live process is reading is left alone; large uploads are spooled there too."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc import scratch


def test_sweep_removes_the_dead_and_the_stale_and_keeps_the_living(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    root = scratch.scratch_root()
    (root / f"{dead}-abc").mkdir()
    (root / f"{dead}-abc" / "plan.pdf").write_bytes(b"%PDF-")
    (root / f"{os.getppid()}-live").mkdir()  # the test runner's parent: alive
    old = root / "tmpx.upload.pdf"  # Django's own spooled upload, named without a pid
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * scratch.MAX_AGE_SECONDS,) * 2)
    with scratch.scratch_dir() as mine:
        removed = {p.name for p in scratch.sweep()}
        assert mine.is_dir()  # this process is reading: kept
    assert removed == {f"{dead}-abc", "tmpx.upload.pdf"}
    assert sorted(p.name for p in root.iterdir()) == [f"{os.getppid()}-live"]


def test_an_upload_on_disk_is_gone_when_read(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("../../ke-hoach.txt", "Kế hoạch".encode())
    with scratch.upload_on_disk(upload, upload.name) as path:
        assert path.parent.parent == tmp_path / "scratch" and path.name == "ke-hoach.txt"
        assert path.read_text(encoding="utf-8") == "Kế hoạch" and upload.read() == "Kế hoạch".encode()
    assert list((tmp_path / "scratch").iterdir()) == []


def test_large_uploads_spool_into_the_data_directory():
    assert settings.FILE_UPLOAD_TEMP_DIR == str(settings.DATA_DIR / "scratch")
