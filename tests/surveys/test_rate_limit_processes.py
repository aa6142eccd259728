"""The public form's rate limit holds across processes: two separate Python processes (each its
own Django, its own database connection, its own memory cache), posting at the same time from
one address, are refused together past the limit, as two gunicorn workers would be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cchc.surveys.models import RateCounter, Response

ROOT = Path(__file__).resolve().parents[2]

# One process: Django on the test database, the form opened and posted `n` times through the whole
# request stack (middleware, view, the storing statement); prints the statuses of the POSTs.
CHILD = """
import json, os, re, sys
import cchc.settings as project
project.DATABASES["default"]["NAME"] = os.environ["CCHC_TEST_DB_NAME"]
project.SURVEYS_RATE_LIMIT = int(os.environ["CCHC_TEST_LIMIT"])
os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
import django
django.setup()
from django.test import Client
client = Client()
key, n = sys.argv[1], int(sys.argv[2])
sys.stdin.readline()  # the go signal: both processes post at the same time
statuses = []
for i in range(n):
    page = client.get(f"/khao-sat/p/{key}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    statuses.append(client.post(f"/khao-sat/p/{key}/", {"token": token, "TC.1": "5", "TC.2": "4"}).status_code)
print(json.dumps(statuses))
"""


@pytest.mark.django_db(transaction=True)  # committed data: the other processes must see the round
def test_rate_limit_is_shared_by_two_processes_posting_at_once(survey, tmp_path):
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and (not name or "memory" in str(name)):
        pytest.skip("the in-memory SQLite test database cannot be opened by another process")
    ru = survey["units"]["justice"]
    env = {**os.environ, "CCHC_TEST_DB_NAME": str(name), "CCHC_TEST_LIMIT": "5",
           "CCHC_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "SECRET_KEY": "rate-limit-test-" + "x" * 40}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, ru.key, "4"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
                for _ in range(2)]
    for child in children:  # both are set up; now both post
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-2000:]
    statuses = [json.loads(out) for out, _ in outputs]
    assert all(len(s) == 4 for s in statuses)
    # 8 forms from one address against a limit of 5: exactly 5 stored wherever they were posted,
    # 3 refused, and the refused ones left nothing behind
    flat = [status for per_process in statuses for status in per_process]
    assert sorted(flat) == [200] * 5 + [429] * 3, statuses
    assert RateCounter.objects.get(address="127.0.0.1").count == 8
    assert Response.objects.filter(round_unit=ru).count() == 5
