"""`cchc backup` / `cchc restore` round-trip: every table's rows and every uploaded file's hash
come back identical; a non-empty target is refused; a corrupt archive changes nothing; the daily
schedule keeps the last N archives."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from cchc.ops.backup import (
    BACKUP_FUNC,
    BackupError,
    create_backup,
    ensure_backup_schedule,
    restore_backup,
    scheduled_backup,
)

ROOT = Path(__file__).resolve().parents[2]


def table_rows(cursor, tables) -> dict[str, list[tuple]]:
    out = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        out[table] = sorted(cursor.fetchall(), key=repr)
    return out


def live_snapshot() -> dict[str, list[tuple]]:
    """Raw rows as SQLite stores them (no Django type conversion), so files compare with files."""
    tables = sorted(connection.introspection.table_names())
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            return table_rows(cursor, tables)
    connection.ensure_connection()
    plain = sqlite3.connect(":memory:")  # Django's connection converts dates; a plain copy does not
    try:
        connection.connection.backup(plain)
        return table_rows(plain.cursor(), tables)
    finally:
        plain.close()


def file_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def pdf_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.fixture
def filled(transactional_db, media, registry, plan_factory, make_user, pdf_bytes):
    """Committed data in most apps: units, a plan issued to communes, progress with evidence files."""
    from cchc.plans.models import Obligation
    from cchc.plans.services import issue_plan
    from cchc.tracking.models import Evidence, ProgressUpdate

    plan = plan_factory(registry["province"], 2026,
                        tasks={"1": [("lead", registry["communes"])], "2": [("lead", registry["justice"])]})
    issue_plan(plan, today=datetime.date(2026, 1, 5))
    officer = make_user("officer_a", registry["new_a"], "officer")
    for index, obligation in enumerate(Obligation.objects.order_by("pk")):
        update = ProgressUpdate.objects.create(obligation=obligation, author=officer, state="in_progress",
                                               percent=10 * index, narrative=f"Đang làm {index} — ý kiến")
        evidence = Evidence(update=update, reference=f"Báo cáo số {index}/BC-UBND", file_kind="pdf")
        evidence.file.save(f"bao-cao-{index}.pdf", ContentFile(pdf_bytes + str(index).encode()))
    plan.source_file.save("ke-hoach.txt", ContentFile("Kế hoạch cải cách hành chính năm 2026".encode()))
    assert Evidence.objects.count() >= 2
    return plan


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("compares the restored SQLite file; the other tests cover PostgreSQL (pg_dump)")


def test_round_trip_restores_every_row_and_every_file(filled, media, tmp_path):
    from cchc.plans.models import Plan

    before_rows, before_files = live_snapshot(), file_hashes(media)
    assert sum(len(rows) for rows in before_rows.values()) > 50 and len(before_files) >= 3
    result = create_backup(tmp_path / "backups")
    assert result.path.name.startswith("cchc-") and result.files == len(before_files)

    with tarfile.open(result.path) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"} <= names
    assert {"media/" + name for name in before_files} <= names

    with pytest.raises(BackupError, match="không trống"):
        restore_backup(result.path)

    # Damage the live data: delete rows, rename a unit, lose a file, add a stray file.
    plan = Plan.objects.get(pk=filled.pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_evidence")
        cursor.execute("UPDATE units_unit SET name = 'hỏng' ")
    (media / plan.source_file.name).unlink()
    (media / "stray.bin").write_bytes(b"x")
    assert live_snapshot() != before_rows

    restore_backup(result.path, force=True)
    connection.close()
    assert live_snapshot() == before_rows
    assert file_hashes(media) == before_files


def test_restore_refuses_a_corrupt_archive_and_changes_nothing(filled, media, tmp_path):
    archive = create_backup(tmp_path / "a.tar.gz").path
    # Rewrite the archive with one evidence file altered but the manifest unchanged.
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(broken, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/evidence/"):
                data = data + b"tampered"
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    before_rows, before_files = live_snapshot(), file_hashes(media)
    with pytest.raises(BackupError, match="không khớp"):
        restore_backup(broken, force=True)
    assert live_snapshot() == before_rows and file_hashes(media) == before_files

    not_archive = tmp_path / "x.tar.gz"
    not_archive.write_bytes(b"not a tar")
    with pytest.raises(BackupError, match="không phải tệp sao lưu"):
        restore_backup(not_archive, force=True)


def test_commands_restore_into_an_empty_data_dir_and_refuse_a_full_one(sqlite_only, filled, media, tmp_path):
    """The CLI as an operator runs it: restore into a brand-new data directory (another machine),
    every table and file identical; a second restore there is refused without --force."""
    archive = tmp_path / "demo.tar.gz"
    create_backup(archive)
    target = tmp_path / "new-machine"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}}
    env.update(CCHC_DATA_DIR=str(target), PYTHONPATH=str(ROOT))
    run = [sys.executable, "-m", "cchc", "restore", str(archive)]
    done = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Đã khôi phục" in done.stdout

    restored = sqlite3.connect(target / "cchc.sqlite3")
    try:
        tables = [t for (t,) in restored.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                  "AND name NOT LIKE 'sqlite_%'")]
        assert sorted(tables) == sorted(connection.introspection.table_names())
        assert table_rows(restored.cursor(), sorted(tables)) == live_snapshot()
    finally:
        restored.close()
    assert file_hashes(target / "media") == file_hashes(media)

    again = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0 and "không trống" in again.stderr and "--force" in again.stderr


def test_daily_schedule_keeps_the_last_n(filled, media, tmp_path, monkeypatch):
    from django_q.models import Schedule

    Schedule.objects.filter(func=BACKUP_FUNC).delete()
    assert ensure_backup_schedule() is True
    assert ensure_backup_schedule() is False  # idempotent
    schedule = Schedule.objects.get(func=BACKUP_FUNC)
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1

    directory = tmp_path / "daily"
    monkeypatch.setenv("CCHC_BACKUP_DIR", str(directory))
    monkeypatch.setenv("CCHC_BACKUP_KEEP", "2")
    made = [scheduled_backup() for _ in range(4)]  # as the worker calls it (no arguments)
    assert len(set(made)) == 4  # distinct names even within one second
    kept = sorted(p.name for p in directory.glob("cchc-*.tar.gz"))
    assert kept == sorted(Path(p).name for p in made[-2:])
    # Each kept archive is a complete backup.
    restore_backup(Path(made[-1]), force=True)
