"""A deadline day under load: `cchc serve` (gunicorn + the worker, the demo data) on loopback,
driven by locust as a library — bounded, it stops by itself.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--postgres]

Phases, against one server started by this script on 127.0.0.1 (never another host):
  1. baseline: 1 user for 10 s, the same mix — the figures below are ratios against it;
  2. load: --users users (spawned 10 a second) for --seconds.
Each user waits --think seconds (a range, default 3-10) between actions: a person reads the page
before the next click, so 50 users are about 8 requests per second. `--think 0.2-1` is the
stress pace of earlier runs (about 80 requests per second from 50 users, far beyond a province's
deadline day), kept to find where the server saturates.
The users are signed in before the measured phases (a deadline day's users already are; a
PBKDF2 login per user inside the window measured the hasher, not the work): each locust user
takes one of the pre-made sessions. The mix: "my work" (30), the province dashboard (10), an
obligation page (10), the obligation API (10), a progress update with a PDF evidence file (8),
a form-entry save of the user's unit submission of the current reporting period (8), a
submission of a prepared draft by the PAR coordinator (1), a plan import of a seed plan made
unique (1). Afterwards the database is checked: every accepted progress update (HTTP 302) is
stored exactly once with its evidence record, every evidence file on disk has the hash of the
bytes sent, every accepted form save is exactly one change-log row of its cell, every accepted
submission is stored as submitted (and none twice), every accepted import is exactly one plan. `--postgres` runs the same on a scratch
PostgreSQL database (DATABASE_URL's server, default 127.0.0.1:5432), dropped at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gevent import monkey  # noqa: E402

monkey.patch_all()

import gevent  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from cchc.demo import DEMO_PASSWORD, SEEDS_DIR  # noqa: E402

SEED = SEEDS_DIR / "004_4c8b279deba99ff8.txt"
SENT: dict[str, dict] = {"updates": {}, "imports": {}, "saves": {}, "submits": {}}  # what was accepted
SESSIONS: list[dict] = []  # signed in before the measured phases
FIXTURE: dict = {}  # the reporting period's submissions (SETUP_FORMS)
ACCOUNTS = ["kientho", "hoangtien", "sonoivu", "sotuphap"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tiny_pdf(marker: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buffer, "PDF", title=marker)
    return buffer.getvalue()


_TURN = itertools.count()


def sign_in(host: str, count: int) -> None:
    """`count` signed-in sessions (cookies, CSRF token, the obligations the user sees), made
    before the measured phases."""
    import requests

    for i in range(count):
        account = ACCOUNTS[i % len(ACCOUNTS)]
        http = requests.Session()
        page = http.get(host + "/dang-nhap/", timeout=120)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        http.post(host + "/dang-nhap/", data={"username": account, "password": DEMO_PASSWORD,
                                               "csrfmiddlewaretoken": token}, timeout=120)
        rows = http.get(host + "/api/obligations/?limit=200", timeout=120).json().get("results", [])
        SESSIONS.append({"account": account, "csrf": http.cookies.get("csrftoken", ""),
                         "cookies": http.cookies.get_dict(), "obligations": [row["id"] for row in rows] or [None]})


class DeadlineUser(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        session = SESSIONS[next(_TURN) % len(SESSIONS)]
        self.account, self.csrf, self.obligations = session["account"], session["csrf"], session["obligations"]
        self.client.cookies.update(session["cookies"])
        self.n = 0

    def _post(self, url, name, **kwargs):
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + url}
        return self.client.post(url, headers=headers, allow_redirects=False, name=name, **kwargs)

    @task(30)
    def my_work(self):
        self.client.get("/viec/", name="my work")

    @task(10)
    def dashboard(self):
        self.client.get("/viec/bang-dieu-khien/", name="dashboard")

    @task(10)
    def obligation_page(self):
        pk = self.obligations[self.n % len(self.obligations)]
        self.n += 1
        if pk:
            self.client.get(f"/viec/{pk}/", name="obligation page")

    @task(10)
    def api(self):
        self.client.get("/api/obligations/?limit=50", name="api obligations")

    @task(8)
    def progress_update(self):
        pk = self.obligations[self.n % len(self.obligations)]
        self.n += 1
        if not pk:
            return
        marker = f"load-{uuid.uuid4().hex}"
        pdf = tiny_pdf(marker)
        with self._post(f"/viec/{pk}/cap-nhat/", "progress update + file", catch_response=True, data={
            "state": "in_progress", "percent": "50", "narrative": marker,
            "evidence_reference": "Báo cáo số 12/BC-UBND ngày 10/03/2026", "evidence_title": marker,
        }, files={"evidence_file": (f"{marker}.pdf", pdf, "application/pdf")}) as response:
            if response.status_code == 302:
                SENT["updates"][marker] = {"obligation": pk, "sha256": hashlib.sha256(pdf).hexdigest()}
                response.success()
            elif response.status_code in (400, 403, 404):
                response.failure(f"refused {response.status_code}")  # a business refusal, not a crash

    @task(8)
    def form_save(self):
        pk = FIXTURE.get("own", {}).get(self.account)
        if not pk:
            return
        marker = f"load-{uuid.uuid4().hex}"
        with self._post(f"/bao-cao/so-lieu/{pk}/", "form save", catch_response=True, data={
            "v-1:1": str(uuid.uuid4().int % 90 + 10), "n-1:1": marker, "action": "save",
        }) as response:
            if response.status_code == 302:
                SENT["saves"][marker] = pk
                response.success()

    @task(1)
    def form_submit(self):
        drafts = FIXTURE.get("drafts", [])
        if self.account != "sonoivu" or not drafts:
            return
        pk = drafts[self.n % len(drafts)]
        self.n += 1
        with self._post(f"/bao-cao/so-lieu/{pk}/gui/", "form submission", catch_response=True,
                        data={}) as response:
            done = response.status_code == 302 and self.client.get(
                response.headers["Location"], name="submission page").text
            if done and "Đã gửi báo cáo" in done:
                SENT["submits"][str(pk)] = SENT["submits"].get(str(pk), 0) + 1
            response.success()  # a refusal (already sent) is the business rule, not a failure

    @task(1)
    def plan_import(self):
        if self.account != "kientho":
            return
        marker = f"load-{uuid.uuid4().hex}"
        text = SEED.read_text(encoding="utf-8") + f"\nGhi chú: {marker}\n"
        page = self.client.get("/ke-hoach/nhap/", name="import page")
        issuer = re.search(r'<option value="(\d+)"[^>]*>[^<]*Kiên Thọ', page.text)
        if not issuer:
            return
        with self._post("/ke-hoach/nhap/", "plan import", catch_response=True,
                        data={"issuer": issuer.group(1), "year": "2026"},
                        files={"document": (f"{marker}.txt", text.encode(), "text/plain")}) as response:
            if response.status_code == 302:
                SENT["imports"][marker] = True
                response.success()


SERVER_ERRORS: dict[str, int] = {}


def _count_5xx(name, response=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        key = f"{name} {response.status_code}"
        SERVER_ERRORS[key] = SERVER_ERRORS.get(key, 0) + 1


def run_phase(host: str, users: int, seconds: int) -> Environment:
    env = Environment(user_classes=[DeadlineUser], host=host, stop_timeout=30)  # in-flight tasks finish
    env.events.request.add_listener(_count_5xx)
    runner = env.create_local_runner()
    # Ten users a second, as the docstring says: 50 users clicking in the same 100 ms measured one
    # synchronised burst (every slow request of a run fell in its first two seconds), not a deadline day.
    runner.start(users, spawn_rate=min(users, 10))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env


def percentiles(entry) -> tuple[float, float, float]:
    return tuple(entry.get_response_time_percentile(p) or 0 for p in (0.5, 0.95, 0.99))


SETUP_FORMS = r"""
import json
from decimal import Decimal
import django
django.setup()
from django.contrib.auth import get_user_model
from cchc.core.statforms import FORMS_DIR
from cchc.demo import DEMO_USERS
from cchc.reporting import services
from cchc.reporting.models import ReportingPeriod, Submission
from cchc.units.models import Unit
admin = get_user_model().objects.get(username="admin")
period = ReportingPeriod.objects.filter(status="open").order_by("-year", "-pk").first()
own = {}
for username, _name, code, _role in DEMO_USERS:
    try:
        submission = services.open_submission(period, Unit.objects.get(code=code), admin)
    except services.ReportingError:
        continue
    if submission.status in ("draft", "returned"):
        own[username] = submission.pk
# Drafts the coordinator submits under load: complete, their warnings explained (as a unit would).
seed = json.loads((FORMS_DIR / "seed-003-values.json").read_text(encoding="utf-8"), parse_float=Decimal)
values = {code: Decimal(str(v)) for code, v in seed["inputs"].items()}
taken = set(Submission.objects.filter(period=period).values_list("unit_id", flat=True))
drafts = []
for unit in services.expected_units(period).filter(kind="commune").exclude(pk__in=taken).order_by("code")[:10]:
    submission = services.open_submission(period, unit, admin)
    services.save_values(submission, values, seed["notes"])
    for finding in services.pending_warnings(submission, services.findings_for(submission)):
        services.acknowledge(submission, finding.rule, "Số liệu theo báo cáo của các bộ phận.", admin)
    drafts.append(submission.pk)
print(json.dumps({"own": own, "drafts": drafts}))
"""

VERIFY = r"""
import hashlib, json, sys
from pathlib import Path
import django
django.setup()
from django.conf import settings
from cchc.plans.models import Plan
from cchc.tracking.models import Evidence, ProgressUpdate
sent = json.load(open(sys.argv[1]))
out = {"updates_sent": len(sent["updates"]), "imports_sent": len(sent["imports"])}
rows = {}
for marker, obligation in ProgressUpdate.objects.filter(narrative__startswith="load-").values_list("narrative", "obligation"):
    rows.setdefault(marker, []).append(obligation)
out["updates_stored"] = sum(len(v) for v in rows.values())
out["updates_duplicated"] = sum(1 for v in rows.values() if len(v) > 1)
out["updates_lost"] = sum(1 for m in sent["updates"] if m not in rows)
out["updates_unaccounted"] = sum(1 for m in rows if m not in sent["updates"])
bad_files = 0
evidence = {e.title: e for e in Evidence.objects.filter(title__startswith="load-")}
for marker, info in sent["updates"].items():
    e = evidence.get(marker)
    path = Path(settings.MEDIA_ROOT) / e.file.name if e and e.file else None
    if not path or not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != info["sha256"]:
        bad_files += 1
out["evidence_files_bad"] = bad_files
from cchc.history.models import ObjectChange
from cchc.reporting.models import Submission, SubmissionValue
from django.contrib.contenttypes.models import ContentType
saves = {}
value_type = ContentType.objects.get_for_model(SubmissionValue)
for after in ObjectChange.objects.filter(object_type=value_type).values_list("postchange_data", flat=True):
    note = (after or {}).get("note", "")
    if note.startswith("load-"):
        saves[note] = saves.get(note, 0) + 1
out["saves_sent"] = len(sent["saves"])
out["saves_duplicated"] = sum(1 for m in sent["saves"] if saves.get(m, 0) > 1)
out["saves_lost"] = sum(1 for m in sent["saves"] if saves.get(m, 0) == 0)
out["submits_sent"] = sum(sent["submits"].values())
out["submits_twice"] = sum(1 for n in sent["submits"].values() if n > 1)
out["submits_lost"] = sum(1 for pk in sent["submits"]
                          if Submission.objects.get(pk=int(pk)).status != Submission.Status.SUBMITTED)
plans = {}
for name in Plan.objects.filter(source_name__startswith="load-").values_list("source_name", flat=True):
    plans[name] = plans.get(name, 0) + 1
out["imports_stored"] = sum(plans.values())
out["imports_duplicated"] = sum(1 for v in plans.values() if v > 1)
out["imports_lost"] = sum(1 for m in sent["imports"] if plans.get(m + ".txt", 0) == 0)
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--baseline-seconds", type=int, default=10)
    parser.add_argument("--think", default="3-10", help="seconds between a user's actions, MIN-MAX")
    parser.add_argument("--postgres", action="store_true", help="gunicorn + a scratch PostgreSQL database")
    args = parser.parse_args()
    try:
        low, high = (float(part) for part in args.think.split("-"))
    except ValueError:
        parser.error("--think takes MIN-MAX seconds, e.g. 3-10")
    think = between(low, high)
    if not 1 <= args.users <= 200 or not 5 <= args.seconds <= 600:
        parser.error("bounded: 1–200 users, 5–600 seconds")

    work = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(CCHC_DATA_DIR=str(work / "data"), PYTHONPATH=str(ROOT), CCHC_DEBUG="0")
    db_name = None
    if args.postgres:
        db_name = f"cchc_load_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name}"
    else:
        env.pop("DATABASE_URL", None)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = open(work / "serve.log", "w")
    print(f"starting cchc serve ({'gunicorn + PostgreSQL' if args.postgres else 'gunicorn + SQLite'}) "
          f"on {host}, loading the demo…", flush=True)
    server = subprocess.Popen([sys.executable, "-m", "cchc", "serve", "--addr", f"127.0.0.1:{port}"], cwd=ROOT,
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        import requests

        deadline = time.monotonic() + 600
        while True:
            if server.poll() is not None:
                print((work / "serve.log").read_text()[-3000:], file=sys.stderr)
                return 1
            try:
                if requests.get(host + "/dang-nhap/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                print("the server did not start within 10 minutes", file=sys.stderr)
                return 1
            time.sleep(1)

        setup = subprocess.run([sys.executable, "-c", SETUP_FORMS], cwd=ROOT, capture_output=True, text=True,
                               env=env | {"DJANGO_SETTINGS_MODULE": "cchc.settings"}, timeout=600)
        if setup.returncode:
            print(setup.stderr[-3000:], file=sys.stderr)
            return 1
        FIXTURE.update(json.loads(setup.stdout.strip().splitlines()[-1]))
        print(f"signing {args.users} users in before the measured phases…", flush=True)
        sign_in(host, args.users)
        # The baseline user clicks at the stress pace, so its short phase has enough samples.
        DeadlineUser.wait_time = between(0.2, 1.0)
        base = run_phase(host, 1, args.baseline_seconds)  # its writes are checked with the load's
        DeadlineUser.wait_time = think
        started = time.monotonic()
        load = run_phase(host, args.users, args.seconds)
        elapsed = time.monotonic() - started
        report(base, load, args, elapsed)
        sent_file = work / "sent.json"
        sent_file.write_text(json.dumps(SENT))
        verify = subprocess.run([sys.executable, "-c", VERIFY, str(sent_file)], cwd=ROOT,
                                env=env | {"DJANGO_SETTINGS_MODULE": "cchc.settings"},
                                capture_output=True, text=True, timeout=300)
        if verify.returncode:
            print(verify.stderr[-3000:], file=sys.stderr)
            return 1
        checked = json.loads(verify.stdout.strip().splitlines()[-1])
        print("\ndatabase check after the run:")
        for key, value in checked.items():
            print(f"  {key:22} {value}")
        log_text = (work / "serve.log").read_text(errors="replace")
        locked = log_text.count("database is locked")
        print(f"  {'database is locked':22} {locked} (in the server log)")
        ok = (checked["updates_duplicated"] == checked["updates_lost"] == checked["evidence_files_bad"] == 0
              and checked["saves_duplicated"] == checked["saves_lost"] == 0
              and checked["submits_twice"] == checked["submits_lost"] == 0
              and checked["imports_duplicated"] == checked["imports_lost"] == 0 and locked == 0
              and not SERVER_ERRORS)
        print(f"  {'5xx answers':22} {sum(SERVER_ERRORS.values())} {dict(SERVER_ERRORS) or ''}")
        print("nothing lost or duplicated" if ok else "MISMATCH: see above")
        return 0 if ok else 1
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        log.close()
        if db_name:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", db_name])


def report(base: Environment, load: Environment, args, elapsed: float) -> None:
    baseline = {e.name: e for e in base.stats.entries.values()}
    total = load.stats.total
    print(f"\n{args.users} users thinking {args.think} s, {elapsed:.0f} s: {total.num_requests} requests, "
          f"{total.num_requests / elapsed:.1f} req/s, {total.num_failures} failures")
    print(f"{'kind':26}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'fail':>6}   p95 vs 1 user")
    for entry in sorted(load.stats.entries.values(), key=lambda e: -e.num_requests):
        p50, p95, p99 = percentiles(entry)
        ref = baseline.get(entry.name)
        ratio = f"{p95 / percentiles(ref)[1]:.1f}x" if ref and percentiles(ref)[1] else "-"
        print(f"{entry.name:26}{entry.num_requests:>7}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{entry.num_failures:>6}   {ratio}")
    p95_all = percentiles(total)[1]
    base_p95 = percentiles(base.stats.total)[1]
    print(f"{'all':26}{total.num_requests:>7}{percentiles(total)[0]:>9.0f}{p95_all:>9.0f}"
          f"{percentiles(total)[2]:>9.0f}{total.num_failures:>6}   {p95_all / base_p95:.1f}x" if base_p95 else "")
    if load.stats.errors:
        print("errors by kind:")
        for error in load.stats.errors.values():
            print(f"  {error.method} {error.name}: {error.error} × {error.occurrences}")
    else:
        print("errors by kind: none")


if __name__ == "__main__":
    sys.exit(main())
