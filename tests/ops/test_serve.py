"""`cchc serve` as operators run it: gunicorn and the django-q2 worker as children, /healthz,
and a graceful stop on SIGTERM that lets a request in flight finish."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_until(condition, seconds: float, what: str) -> None:
    """Poll ``condition`` until true; the deadlines are generous because the machine running the
    tests may be saturated (a loaded CI runner), and polling returns as soon as it holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    marker = tmp_path / "slow-in-flight"
    env.update(CCHC_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT), CCHC_SLOW_MARKER=str(marker))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc", "serve", "--no-demo", "--addr", f"127.0.0.1:{port}",
         "--workers", "1", "--wsgi-app", "tests.ops.slow_wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # migrations, then gunicorn and the worker's first heartbeat
    status, body = None, b""
    while time.monotonic() < deadline:
        try:
            status, body = get(base + "/healthz", timeout=30)
            if status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    try:
        yield proc, base, status, body, marker
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_runs_gunicorn_and_worker_and_stops_gracefully(server):
    proc, base, status, body, marker = server
    assert status == 200, body
    health = json.loads(body)
    assert health["status"] == "ok"
    assert set(health["checks"]) == {"database", "worker", "disk"}
    assert all(check["ok"] for check in health["checks"].values())

    code, page = get(base + "/dang-nhap/", timeout=60)
    assert code == 200 and "Đăng nhập".encode() in page

    kids = children_of(proc.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in kids]
    assert any(b"gunicorn" in c for c in commands) and any(b"qcluster" in c for c in commands), commands

    slow: dict = {}
    thread = threading.Thread(target=lambda: slow.update(result=get(base + "/__slow__", timeout=120)))
    thread.start()
    wait_until(marker.exists, 120, "the slow request reached the worker")  # now it is in flight
    proc.send_signal(signal.SIGTERM)
    thread.join(timeout=120)
    assert slow["result"] == (200, b"slow done")
    assert proc.wait(timeout=120) == 0
    wait_until(lambda: not [pid for pid in kids if alive(pid)], 30, "every child stopped")
