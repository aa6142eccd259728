"""`cchc serve` on an empty data directory: migrates, loads the demo, serves a Vietnamese login
page, and the printed demo logins work. This is the README's run command minus the venv."""

import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from cchc.demo import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {"CCHC_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "cchc", "serve", "--addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"cchc serve exited: {log.read()[-3000:]}")
            try:
                requests.get(base + "/dang-nhap/", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):  # listening, workers still booting
                time.sleep(0.5)
        else:
            pytest.fail("cchc serve did not answer within 240 s")
        log.seek(0)
        yield base, log.read(), tmp_path / "data"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_starts_on_an_empty_directory_with_demo_logins(served):
    base, output, data_dir = served
    assert f"{base}/" in output and DEMO_PASSWORD in output
    usernames = re.findall(r"^  (\w+) — ", output, flags=re.M)
    assert {"admin", "sonoivu", "hoangtien", "kientho"} <= set(usernames)
    assert (data_dir / "cchc.sqlite3").exists() and (data_dir / "secret_key").exists()

    session = requests.Session()
    login_page = session.get(base + "/dang-nhap/")
    assert login_page.status_code == 200 and "Đăng nhập" in login_page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    home = session.post(
        base + "/dang-nhap/",
        data={"username": "kientho", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/dang-nhap/"},
    )
    assert home.status_code == 200 and "Tổng quan" in home.text and "Kiên Thọ" in home.text
    plans = session.get(base + "/api/plans/").json()
    assert {plan["year"] for plan in plans["results"]} >= {2026}
    static = session.get(base + "/static/vendor/bootstrap/bootstrap.min.css")
    assert static.status_code == 200 and "bootstrap" in static.text[:200].lower()
