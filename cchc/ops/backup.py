"""`cchc backup` / `cchc restore`: one .tar.gz archive holding a consistent snapshot of the
database (SQLite's online backup API, or pg_dump's custom format) and every uploaded file, with
a manifest of SHA-256 hashes checked before anything is restored.

The database is snapshotted first and the files copied after, so every file a stored record
names is in the archive (a file uploaded in between is an extra, never a missing one).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
BACKUP_FUNC = "cchc.ops.backup.scheduled_backup"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is for the operator (Vietnamese)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor(using: str) -> str:
    return connections[using].vendor


def _pg_args(using: str) -> tuple[list[str], dict]:
    db = connections[using].settings_dict
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args + ["-d", db["NAME"]], env


def _snapshot_database(using: str, dest: Path) -> str:
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)  # online, consistent even while others write
        finally:
            target.close()
        return SQLITE_MEMBER
    if connection.vendor == "postgresql":
        args, env = _pg_args(using)
        result = subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dest), *args],
                                env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump thất bại: {result.stderr.strip()}")
        return PG_MEMBER
    raise BackupError(f"Chưa hỗ trợ sao lưu CSDL loại {connection.vendor}.")


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


@dataclass
class BackupResult:
    path: Path
    files: int
    size: int


def create_backup(path: Path | str, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the archive to `path` (atomically: a temporary file renamed at the end)."""
    path = Path(path)
    if path.is_dir() or not path.name.endswith((".tar.gz", ".tgz")):
        # A directory (new or existing, e.g. the schedule's first run): a timestamped name in it.
        path.mkdir(parents=True, exist_ok=True)
        path = path / f"cchc-{datetime.datetime.now():%Y%m%d-%H%M%S-%f}.tar.gz"  # sortable, unique
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".cchc-backup-") as work:
        db_file = Path(work) / "db"
        member = _snapshot_database(using, db_file)
        files = {}
        for file in media_files(media_root):
            files[file.relative_to(media_root).as_posix()] = sha256_file(file)
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": _vendor(using),
            "database": {"member": member, "sha256": sha256_file(db_file)},
            "media": files,
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=member)
            for name in files:
                tar.add(media_root / name, arcname=MEDIA_PREFIX + name)
        os.replace(partial, path)
    return BackupResult(path=path, files=len(files), size=path.stat().st_size)


def _safe_member_name(name: str) -> str:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        raise BackupError(f"Tệp sao lưu chứa đường dẫn không an toàn: {name}")
    return name


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("Tệp sao lưu không có bản kê (manifest.json) hợp lệ.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu {manifest.get('format')} không được hỗ trợ.")
    return manifest


def is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """No table in the database and no uploaded file: safe to restore into."""
    tables = connections[using].introspection.table_names()
    return not tables and not media_files(Path(settings.MEDIA_ROOT))


def _extract_verified(tar: tarfile.TarFile, name: str, expected: str, dest: Path) -> None:
    member = tar.getmember(_safe_member_name(name))
    if not member.isfile():
        raise BackupError(f"Mục {name} trong tệp sao lưu không phải là tệp.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tar.extractfile(member) as source, open(dest, "wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != expected:
        raise BackupError(f"Mã băm của {name} không khớp bản kê: tệp sao lưu bị hỏng.")


def restore_backup(path: Path | str, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    if not force and not is_empty(using):
        raise BackupError(
            "Thư mục dữ liệu/CSDL đích không trống; dùng --force để ghi đè (dữ liệu hiện có sẽ mất)."
        )
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path.name} không phải tệp sao lưu cchc (.tar.gz).") from error
    with tar, tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".cchc-restore-") as work:
        manifest = read_manifest(tar)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Bản sao lưu là CSDL {manifest['vendor']}, CSDL hiện tại là {connection.vendor}."
            )
        # Verify everything into a staging area first: a corrupt archive changes nothing.
        staged_db = Path(work) / "db"
        _extract_verified(tar, manifest["database"]["member"], manifest["database"]["sha256"], staged_db)
        staged_media = Path(work) / "media"
        for name, digest in manifest["media"].items():
            _extract_verified(tar, MEDIA_PREFIX + name, digest, staged_media / name)
        _restore_database(using, staged_db)
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        if staged_media.exists():
            shutil.move(str(staged_media), str(media_root))
        else:
            media_root.mkdir()
    return manifest


def _restore_database(using: str, staged: Path) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(staged)
        try:
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
        connection.close()
        return
    args, env = _pg_args(using)
    connection.close()
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(staged)],
        env=env, capture_output=True, text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore thất bại: {result.stderr.strip()[:2000]}")


def backup_dir() -> Path:
    return Path(os.environ.get("CCHC_BACKUP_DIR", settings.DATA_DIR / "backups"))


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives written by the schedule; returns the deleted."""
    archives = sorted(directory.glob("cchc-*.tar.gz"), key=lambda p: p.name, reverse=True)
    removed = archives[keep:]
    for old in removed:
        old.unlink()
    return removed


def scheduled_backup(keep: int | None = None, **kwargs) -> str:
    """The daily job: a new archive in CCHC_BACKUP_DIR, keeping the last CCHC_BACKUP_KEEP (7)."""
    keep = keep if keep is not None else int(os.environ.get("CCHC_BACKUP_KEEP", "7"))
    directory = backup_dir()
    result = create_backup(directory)
    prune(directory, keep)
    return str(result.path)


def ensure_backup_schedule(using: str = DEFAULT_DB_ALIAS) -> bool:
    """The daily (02:00, Việt Nam time) backup schedule, created if missing."""
    from django_q.models import Schedule

    from cchc.notifications.schedules import next_local_time

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return False
    schedules = Schedule.objects.using(using)
    if schedules.filter(func=BACKUP_FUNC).exists():
        return False
    schedules.create(func=BACKUP_FUNC, name="Sao lưu hằng ngày (02:00)", schedule_type=Schedule.DAILY,
                     repeats=-1, next_run=next_local_time(datetime.datetime.now(datetime.UTC), 2))
    return True
