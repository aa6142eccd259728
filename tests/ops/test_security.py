"""The security an audit checks (OWASP ASVS level 2): login throttling and lockout, password
rules, session expiry, the headers of production, `check --deploy` clean, oversized requests
refused before they are read."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    (tmp_path / "data").mkdir(exist_ok=True)
    env.update(CCHC_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT), CCHC_PRODUCTION="1",
               ALLOWED_HOSTS="cchc.thanhhoa.gov.vn", SECRET_KEY="x" * 10 + os.urandom(24).hex(), **extra)
    return env


def test_check_deploy_is_clean_in_production(tmp_path):
    done = subprocess.run([sys.executable, "-m", "cchc", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
assert settings.PRODUCTION and not settings.DEBUG
# Everything of production but the hashed static manifest (collectstatic: see the test below).
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
c = Client(HTTP_HOST="cchc.thanhhoa.gov.vn")
out = {}
r = c.get("/dang-nhap/", secure=True)
out["login"] = {"status": r.status_code, "headers": dict(r.headers),
                "cookies": {k: {"secure": v["secure"], "httponly": v["httponly"], "samesite": v["samesite"]}
                            for k, v in r.cookies.items()}}
r = c.get("/dang-nhap/", secure=False)
out["plain"] = {"status": r.status_code, "location": r.get("Location", "")}
r = c.get("/healthz", secure=False)
out["healthz_plain"] = r.status_code
print(json.dumps(out))
"""


def test_production_sends_the_security_headers_and_secure_cookies(tmp_path):
    env = production_env(tmp_path)
    subprocess.run([sys.executable, "-m", "cchc", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "cchc.settings"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    login = out["login"]
    assert login["status"] == 200
    headers = {k.lower(): v for k, v in login["headers"].items()}
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["strict-transport-security"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'",
                      "form-action 'self'"):
        assert directive in csp
    cookie = login["cookies"]["__Host-csrftoken"]
    assert cookie["secure"] is True and cookie["samesite"] == "Lax"
    # Plain HTTP is redirected to HTTPS, except the health probe.
    assert out["plain"]["status"] == 301 and out["plain"]["location"].startswith("https://")
    assert out["healthz_plain"] in (200, 503)


def test_production_static_storage_processes_the_vendored_libraries(tmp_path):
    """`cchc serve` runs collectstatic in production: the hashed storage must accept minified
    libraries whose source map is not shipped (Chart.js names chart.umd.min.js.map)."""
    from django.contrib.staticfiles.finders import get_finder

    from cchc.ops.storage import StaticStorage

    finder = get_finder("django.contrib.staticfiles.finders.FileSystemFinder")
    names = [path for path, _ in finder.list([])]  # the project's own static files, vendored ones included
    assert "vendor/chartjs/chart.umd.min.js" in names
    storage = StaticStorage(location=tmp_path)
    for name in names:
        with open(finder.find(name), "rb") as source:
            storage.save(name, source)
    paths = {name: (storage, name) for name in names}
    errors = [result for _, _, result in storage.post_process(paths) if isinstance(result, Exception)]
    assert not errors
    assert (tmp_path / "staticfiles.json").exists()
    hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert set(names) <= set(hashed)


def login(client, username, password, ip="10.0.0.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_for_that_address(client, make_user, settings):
    make_user("canbo", None)
    make_user("other", None)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "canbo", "sai-mat-khau")
        assert response.status_code == 200 and "Đăng nhập" in response.content.decode()
    locked = login(client, "canbo", "sai-mat-khau")
    assert locked.status_code == 429
    assert "tạm bị khoá" in locked.content.decode() and "15 phút" in locked.content.decode()
    # Even the right password is refused while locked.
    assert login(client, "canbo", "pw-canbo").status_code == 429
    # Another user at the same office address, and the same user elsewhere, are not locked.
    assert login(client, "other", "pw-other").status_code == 302
    client.logout()
    assert login(client, "canbo", "pw-canbo", ip="10.0.0.99").status_code == 302


def test_lockout_ends_after_the_cool_off(client, make_user, settings):
    from axes.models import AccessAttempt

    make_user("canbo", None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai")
    assert login(client, "canbo", "pw-canbo").status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert login(client, "canbo", "pw-canbo").status_code == 302


def test_lockout_counts_the_address_nginx_saw(client, make_user, settings):
    """Behind the proxy every request comes from 127.0.0.1; failures count against the client's
    address from X-Forwarded-For, so one office does not lock out another."""
    make_user("canbo", None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "canbo", "password": "sai"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post(reverse("login"), {"username": "canbo", "password": "pw-canbo"}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(reverse("login"), {"username": "canbo", "password": "pw-canbo"}, REMOTE_ADDR="127.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.3").status_code == 302


@pytest.mark.parametrize("password,reason", [
    ("cchc-demo", "quá ngắn"), ("1234567890123", "toàn là số"), ("password1234", "quá phổ biến"),
])
def test_weak_passwords_are_refused_in_vietnamese(password, reason, db):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert reason in " ".join(error.value.messages)


def test_a_long_passphrase_is_accepted(db):
    validate_password("Sở Nội vụ Thanh Hóa 2026")


def test_session_expires_after_a_working_day(client, make_user, settings):
    from django.contrib.sessions.models import Session

    make_user("canbo", None)
    assert login(client, "canbo", "pw-canbo").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get()
    age = session.expire_date - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(hours=7, minutes=59) < age <= datetime.timedelta(hours=8)
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    Session.objects.update(expire_date=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


class ExplodingStream:
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_100_mb_upload_is_refused_before_it_is_read(client, make_user):
    user = make_user("canbo", None)
    client.force_login(user)
    for path in (reverse("plans:import"), "/api/plans/"):
        response = client.generic("POST", path, b"", content_type="multipart/form-data; boundary=x",
                                  CONTENT_LENGTH=str(100 * 1024 * 1024), **{"wsgi.input": ExplodingStream()})
        assert response.status_code == 413
        text = response.content.decode()
        assert "quá lớn" in text and "50 MB" in text
