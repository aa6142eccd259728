"""Power cuts, tested: the server is SIGKILLed (its whole process group, as a power cut would)
in the middle of a plan import and in the middle of issuing a plan, restarted, and the database
must be consistent — no half-imported plan, no plan half issued, no orphan file left in the media
directory — and the same action must then succeed. Plus: the database unreachable gives a
Vietnamese 503 and recovers by itself; a full disk for uploads gives a clear error and leaves
the database unchanged.

The killed server runs on the suite's own database engine: SQLite by default, and a scratch
PostgreSQL database on the same server when the suite runs with a postgres DATABASE_URL (as CI's
second pass does)."""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

SETUP = r"""
import django
django.setup()
from django.contrib.auth import get_user_model
from cchc.accounts.models import Membership
from cchc.units.models import Unit
from cchc.units.registry import load_province
load_province("thanh-hoa")
user = get_user_model().objects.create_user("kientho", password="mat-khau-dai-2026")
commune = Unit.objects.get(code="38.15112")
Membership.objects.create(user=user, unit=commune, role="manager")
print(commune.pk)
"""


def suite_postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class _PgConnection:
    """A psycopg connection with sqlite3's ``execute(sql, params)`` and "?" placeholders."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, params=()):
        return self.conn.execute(sql.replace("?", "%s"), params)

    def close(self):
        self.conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    def __init__(self, tmp_path: Path):
        self.data = tmp_path / "data"
        self.data.mkdir()
        self.marker = tmp_path / "fault-reached"
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        self.env.update(CCHC_DATA_DIR=str(self.data), PYTHONPATH=str(ROOT), CCHC_FAULT_MARKER=str(self.marker),
                        DJANGO_SETTINGS_MODULE="cchc.settings")
        self.pg_url = None
        if server := suite_postgres_url():
            name = f"cchc_fault_{os.getpid()}_{free_port()}"
            self.pg_url = server.rsplit("/", 1)[0] + "/" + name
            self._pg_admin(f'CREATE DATABASE "{name}"')
            self.env["DATABASE_URL"] = self.pg_url
        self.proc: subprocess.Popen | None = None
        subprocess.run([sys.executable, "-m", "cchc", "migrate", "-v0"], cwd=ROOT, env=self.env, check=True,
                       timeout=300)
        out = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=self.env, check=True, timeout=300,
                             capture_output=True, text=True).stdout
        self.commune_pk = int(out.split()[-1])

    def start(self, fault: str = "") -> None:
        self.marker.unlink(missing_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(self.data.parent / f"serve-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cchc", "serve", "--no-demo", "--no-worker", "--workers", "1",
             "--addr", f"127.0.0.1:{self.port}", "--wsgi-app", "tests.ops.fault_wsgi:application"],
            cwd=ROOT, env=self.env | {"CCHC_FAULT": fault}, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.data.parent / f"serve-{self.port}.log").read_text()[-3000:]
            try:
                if requests.get(self.base + "/dang-nhap/", timeout=15).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not start")
        self.http = requests.Session()
        token = self.token("/dang-nhap/")
        done = self.http.post(self.base + "/dang-nhap/", data={
            "username": "kientho", "password": "mat-khau-dai-2026", "csrfmiddlewaretoken": token}, timeout=60)
        assert done.status_code == 200 and "Đăng nhập" not in done.text[:3000]

    def token(self, path: str) -> str:
        page = self.http.get(self.base + path, timeout=60)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def power_cut(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.power_cut()

    def in_background(self, send) -> threading.Thread:
        """Send a request that will never answer (the server dies in it), then wait for the
        fault point to be reached."""
        thread = threading.Thread(target=lambda: _ignore_errors(send), daemon=True)
        thread.start()
        deadline = time.monotonic() + 120
        while not self.marker.exists():
            assert time.monotonic() < deadline, "the fault point was never reached"
            time.sleep(0.1)
        return thread

    def import_plan(self) -> requests.Response:
        from cchc.demo import SEEDS_DIR

        seed = SEEDS_DIR / "004_4c8b279deba99ff8.txt"
        token = self.token("/ke-hoach/nhap/")
        return self.http.post(self.base + "/ke-hoach/nhap/", timeout=120, data={
            "csrfmiddlewaretoken": token, "issuer": self.commune_pk, "year": 2026,
        }, files={"document": (seed.name, seed.read_bytes(), "text/plain")})

    def issue(self, plan_pk: int) -> requests.Response:
        token = self.token(f"/ke-hoach/{plan_pk}/")
        return self.http.post(self.base + f"/ke-hoach/{plan_pk}/ban-hanh/", data={"csrfmiddlewaretoken": token},
                              timeout=120)

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.pg_url:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def db(self):
        if self.pg_url:
            return _PgConnection(self.pg_url)
        conn = sqlite3.connect(self.data / "cchc.sqlite3")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn

    def count(self, sql: str) -> int:
        conn = self.db()
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()

    def media(self) -> set[str]:
        root = self.data / "media"
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()

    def recorded_files(self) -> set[str]:
        conn = self.db()
        try:
            names = set()
            for table, column in (("plans_plan", "source_file"), ("tracking_evidence", "file"),
                                  ("par_scoreevidence", "file")):
                names |= {n for (n,) in conn.execute(f"SELECT {column} FROM {table} WHERE {column} != ''")}
            return names
        finally:
            conn.close()


def _ignore_errors(send):
    try:
        send()
    except requests.RequestException:
        pass


@pytest.fixture
def site(tmp_path):
    s = Site(tmp_path)
    try:
        yield s
    finally:
        s.stop()
        s.drop()


def test_power_cut_mid_import_and_mid_issue_leaves_the_database_consistent(site):
    changes_before = site.count("SELECT count(*) FROM history_objectchange")

    # 0. Killed while the upload is read from its scratch copy: nothing stored, the copy left behind...
    site.start(fault="reading")
    site.in_background(site.import_plan)
    site.power_cut()
    assert site.count("SELECT count(*) FROM plans_plan") == 0
    left = [p.name for p in (site.data / "scratch").rglob("*") if p.is_file()]
    assert left == ["004_4c8b279deba99ff8.txt"]

    # 1. ...and removed at the restart. Killed after the plan's file and five of its tasks were
    # written, before the commit.
    site.start(fault="tasks:5")
    assert not list((site.data / "scratch").rglob("*.txt"))
    site.in_background(site.import_plan)
    site.power_cut()
    assert site.count("SELECT count(*) FROM plans_plan") == 0
    assert site.count("SELECT count(*) FROM plans_task") == 0
    assert site.count("SELECT count(*) FROM plans_section") == 0
    assert site.count("SELECT count(*) FROM history_objectchange") == changes_before
    orphans = site.media()
    assert orphans and all(name.startswith("plans/") for name in orphans)  # the file outlived its record

    # 2. Restart: the orphan leaves the media directory (kept aside, not deleted); the import succeeds.
    site.start(fault="obligations")
    assert site.media() == set()
    assert len(list((site.data / "orphans").rglob("*.txt"))) == len(orphans)
    response = site.import_plan()
    assert response.status_code == 200 and "nhiệm vụ" in response.text
    tasks = site.count("SELECT count(*) FROM plans_task")
    assert site.count("SELECT count(*) FROM plans_plan") == 1 and tasks > 5
    plan_pk = site.count("SELECT id FROM plans_plan")
    assert site.media() == site.recorded_files()

    # 3. Killed while issuing, after the obligations were inserted, before the commit.
    site.in_background(lambda: site.issue(plan_pk))
    site.power_cut()
    assert site.count("SELECT count(*) FROM plans_obligation") == 0
    conn = site.db()
    assert conn.execute("SELECT status FROM plans_plan").fetchone() == ("draft",)
    conn.close()
    assert site.count("SELECT count(*) FROM plans_plan") == 1
    assert site.count("SELECT count(*) FROM plans_task") == tasks

    # 4. Restart without the fault: issuing completes, once, and files match records.
    site.start()
    response = site.issue(plan_pk)
    assert response.status_code == 200
    conn = site.db()
    try:
        assert conn.execute("SELECT status FROM plans_plan").fetchone() == ("issued",)
        obligations = conn.execute("SELECT count(*) FROM plans_obligation").fetchone()[0]
        distinct = conn.execute("SELECT count(*) FROM (SELECT DISTINCT task_id, unit_id FROM plans_obligation) AS d")
        assert obligations > 0 and distinct.fetchone()[0] == obligations
    finally:
        conn.close()
    assert site.media() == site.recorded_files()


class TcpProxy:
    """A loopback TCP forwarder to PostgreSQL that can be cut and restored: the database server
    "restarting" as its clients see it (connections dropped, new ones refused, then accepted)."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.target, self.port = target, free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (close alone does not)
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets.clear()


def postgres_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def pg_site(tmp_path):
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required under CI")
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    name = f"cchc_fault_{os.getpid()}"
    admin = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
    subprocess.run(["createdb", *admin, name], check=True)
    proxy = TcpProxy()
    proxy.start()
    data = tmp_path / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(CCHC_DATA_DIR=str(data), PYTHONPATH=str(ROOT),
               DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/{name}")
    subprocess.run([sys.executable, "-m", "cchc", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.contrib.auth import "
                    "get_user_model as g; g().objects.create_user('canbo', password='mat-khau-dai-2026')"],
                   cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "cchc.settings"}, check=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cchc", "serve", "--no-demo", "--no-worker", "--workers", "1",
                             "--addr", f"127.0.0.1:{port}"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proxy, f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        proxy.cut()
        subprocess.run(["dropdb", *admin, "--if-exists", "--force", name])


def test_postgresql_restart_gives_a_vietnamese_503_and_recovers_by_itself(pg_site):
    proxy, base = pg_site
    http = requests.Session()
    deadline = time.monotonic() + 120
    while True:
        try:
            page = http.get(base + "/dang-nhap/", timeout=15)
            break
        except requests.RequestException:
            assert time.monotonic() < deadline
            time.sleep(0.5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    home = http.post(base + "/dang-nhap/", data={"username": "canbo", "password": "mat-khau-dai-2026",
                                                "csrfmiddlewaretoken": token}, timeout=60)
    assert home.status_code == 200 and home.url.rstrip("/") == base

    proxy.cut()  # PostgreSQL goes away under the running server
    for _ in range(3):
        down = http.get(base + "/ke-hoach/", timeout=60)
        assert down.status_code == 503
        assert "không kết nối được cơ sở dữ liệu" in down.text and down.headers["Retry-After"] == "30"
    api = http.get(base + "/api/plans/", timeout=60)
    assert api.status_code == 503 and "cơ sở dữ liệu" in api.json()["detail"]
    assert http.get(base + "/healthz", timeout=60).status_code == 503

    proxy.start()  # PostgreSQL is back: the next requests succeed without restarting cchc
    back = http.get(base + "/ke-hoach/", timeout=60)
    assert back.status_code == 200 and "Kế hoạch" in back.text
    assert http.get(base + "/api/plans/", timeout=60).status_code == 200


def test_a_full_disk_for_uploads_is_a_clear_error_and_changes_nothing(client, db, registry, make_user, settings,
                                                                       tmp_path, monkeypatch):
    """The media storage raises ENOSPC as a full disk does: the import page says so in Vietnamese
    and no plan, task or history row is stored."""
    from django.core.files.storage import FileSystemStorage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.demo import SEEDS_DIR
    from cchc.history.models import ObjectChange
    from cchc.plans.models import Plan, Task

    settings.MEDIA_ROOT = tmp_path / "media"

    def no_space(self, name, content, max_length=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    manager = make_user("manager_a", registry["new_b"], "manager")
    client.force_login(manager)
    changes = ObjectChange.objects.count()
    seed = SEEDS_DIR / "004_4c8b279deba99ff8.txt"
    response = client.post("/ke-hoach/nhap/", {
        "issuer": registry["new_b"].pk, "year": 2026,
        "document": SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain"),
    })
    assert response.status_code == 507
    text = response.content.decode()
    assert "hết dung lượng" in text
    assert Plan.objects.count() == 0 and Task.objects.count() == 0
    assert ObjectChange.objects.count() == changes
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
