"""`cchc serve`: a production WSGI server and the django-q2 worker, started and stopped together.

gunicorn on Linux/macOS, waitress where gunicorn cannot run (Windows, or gunicorn missing). Both
run as child processes of `cchc serve`; SIGTERM/SIGINT to `cchc serve` is passed on to both, and
gunicorn finishes the requests in flight (up to `graceful_timeout`) before it exits. If the worker
dies on its own it is restarted; if the web server dies, the worker is stopped and serve exits.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time

WSGI_APP = "cchc.wsgi:application"
GRACEFUL_TIMEOUT = 30


def server_kind() -> str:
    if sys.platform == "win32" or importlib.util.find_spec("gunicorn") is None:
        return "waitress"
    return "gunicorn"


def web_command(addr: str, workers: int, threads: int, kind: str, app: str = WSGI_APP) -> list[str]:
    if kind == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", app,
            "--bind", addr,
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread",
            "--graceful-timeout", str(GRACEFUL_TIMEOUT),
            "--timeout", "120",
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        ]
    return [sys.executable, "-m", "waitress", f"--listen={addr}", f"--threads={workers * threads}", app]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "cchc", "qcluster"]


class Supervisor:
    """Runs the web server and (optionally) the worker; blocks until stopped."""

    def __init__(self, web: list[str], worker: list[str] | None, log=print):
        self.web_cmd, self.worker_cmd, self.log = web, worker, log
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.stopping = False

    def _spawn(self, cmd):
        return subprocess.Popen(cmd, env=os.environ.copy())

    def _on_signal(self, signum, frame):
        self.stopping = True

    def stop(self):
        for proc in (self.web, self.worker):
            if proc and proc.poll() is None:
                proc.terminate()  # SIGTERM on POSIX (graceful for gunicorn and qcluster)
        deadline = time.monotonic() + GRACEFUL_TIMEOUT + 5
        for proc in (self.web, self.worker):
            if proc is None:
                continue
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        if self.worker_cmd:
            self.worker = self._spawn(self.worker_cmd)
        self.web = self._spawn(self.web_cmd)
        code = 0
        try:
            while not self.stopping:
                if self.web.poll() is not None:
                    code = self.web.returncode
                    self.log(f"Máy chủ web đã dừng (mã {code}); dừng tiến trình nền.")
                    break
                if self.worker is not None and self.worker.poll() is not None:
                    self.log(f"Tiến trình nền đã dừng (mã {self.worker.returncode}); khởi động lại.")
                    self.worker = self._spawn(self.worker_cmd)
                time.sleep(0.2)
        finally:
            self.stop()
        return code
