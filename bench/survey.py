"""Surveys at national scale: the live index of a SIPAS year over 34 provinces beside one SQL
GROUP BY, and the public form endpoint on gunicorn under a bounded local load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_survey .venv/bin/python bench/survey.py \
        [--responses 200000] [--submissions 600] [--concurrency 8] [--repeat 5] [--keep] [--reuse]

The database must be PostgreSQL and empty (the script migrates it; SQLite is refused, exit 2). It
loads every province's real units through the unit registry (``load_all_provinces``, as ``cchc
load-units --all``: 34 provinces, 449 departments, 3,321 communes in force since 1/7/2025), then
generates with COPY one open 2025 SIPAS round per province (sipas-2023 design) over all its
departments and communes in force, and `--responses` responses spread over those 3,770 units,
each answering ~95% of the 24 rated questions (mostly satisfied, a few "no opinion") and ~90% of
the respondent questions. `--responses 1000000` is the issue's size (about 28 million answer rows;
several minutes of COPY on 2 cores); the default keeps the run near two minutes.

Then, median of --repeat runs after a warm-up, the app and the floor alternating:
(a) the index of the whole year: ``cchc.surveys.results.round_results`` for each of the 34 rounds
    (what the results page, the API and the PAR Index use), beside the floor, one
    ``SELECT round_unit_id, question, answer, COUNT(*) ... GROUP BY`` over the same answers; the
    app's answer counts are checked against the floor's. Target app / floor <= 3x;
(b) the same for Thanh Hóa's round (181 units).
Then gunicorn is started on 127.0.0.1 (gthread, --workers 2 --threads 4, as ``cchc serve`` runs it,
with the per-address rate limit out of reach but counted: every request comes from loopback), and with
--concurrency client threads:
(c) the baseline: GET of the sign-in page, requests/s;
(d) GET of the public form (each gives a signed one-use token), forms/s;
(e) POST of --submissions filled forms with those tokens, responses accepted/s; every POST must
    answer 200 with the thank-you page, and the database must hold exactly that many more
    responses, one per token, with every answer posted (nothing lost, nothing counted twice); the
    server's and the client's CPU seconds during the POSTs are printed. Target >= 300/s;
(f) a flood does not block the rest: the sign-in page's median latency while (e) runs, against
    its latency when idle.
Exit 0 unless the run itself failed. Without --keep the data is flushed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _country import describe, load_country  # noqa: E402  (bench/ is on sys.path)
from _postgres import copy_rows, reset_sequences, run, timed_beside  # noqa: E402

SEED = 20251130
YEAR = 2025
DESIGN = "sipas-2023"
MEASURED = "Thanh Hóa"
INDEX_TARGET = 3.0
RATE_TARGET = 300.0


# --- set-up ------------------------------------------------------------------------------------

def _answer(rng: random.Random, mood: float) -> str:
    if rng.random() < 0.04:
        return "0"
    if rng.random() < mood:
        return "5" if rng.random() < 0.45 else "4"
    return "3" if rng.random() < 0.6 else rng.choice("12")


def generate(rng: random.Random, responses: int) -> dict[str, int]:
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from cchc.core.surveys import load_design
    from cchc.core.units.country import REFORM_2025
    from cchc.surveys.models import AnswerRow, Response, Round, RoundUnit

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    design = load_design(DESIGN)
    rated = [q.code for q in design.scored]
    about = [(q.code, [a.code for a in q.answers], q.role) for q in design.respondent if q.answers]
    country, figures = load_country(REFORM_2025)
    print(describe(figures, country), flush=True)
    # Every department and commune in force since 1/7/2025 is surveyed, in its province's round.
    members = {p.pk: [pk for pk, _, _ in p.departments + p.communes] for p in country}
    provinces = [(p.pk, p.place) for p in country]

    counts = {}
    with transaction.atomic():
        round_units = []
        for pk, name in provinces:
            round_ = Round(province_id=pk, year=YEAR, title=f"Khảo sát sự hài lòng năm {YEAR} — {name}",
                           start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31))
            round_.set_design(design)
            round_.save()
            round_units += [RoundUnit(round=round_, unit_id=u, quota=250) for u in members[pk]]
        round_units = RoundUnit.objects.bulk_create(round_units, batch_size=2000)
        counts["rounds"], counts["round units"] = len(provinces), len(round_units)
        moods = [rng.uniform(0.6, 0.97) for _ in round_units]
        now = timezone.now()
        response_rows, answer_rows, answer_pk = [], [], 0
        counts["responses"] = counts["answers"] = 0

        def flush():
            counts["responses"] += copy_rows(Response, ["id", "round_unit_id", "source", "group", "channel",
                                                        "created_at"], response_rows)
            counts["answers"] += copy_rows(AnswerRow, ["id", "response_id", "round_unit_id", "question", "answer"],
                                           answer_rows)
            response_rows.clear()
            answer_rows.clear()

        for pk in range(1, responses + 1):
            i = rng.randrange(len(round_units))
            ru = round_units[i].pk
            chosen = {code: _answer(rng, moods[i]) for code in rated if rng.random() < 0.95}
            roles = {}
            for code, answers, role in about:
                if rng.random() < 0.9:
                    chosen[code] = rng.choice(answers)
                    if role:
                        roles[role] = chosen[code]
            response_rows.append((pk, ru, "paper", roles.get("group", ""), roles.get("channel", ""), now))
            for question, answer in chosen.items():
                answer_pk += 1
                answer_rows.append((answer_pk, pk, ru, question, answer))
            if len(answer_rows) > 500_000:
                flush()
        flush()
        reset_sequences([Response, AnswerRow])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts


# --- the index against the floor ---------------------------------------------------------------


def floor_counts(round_ids: list[int]) -> Counter:
    """The floor: one GROUP BY over the rounds' answers, (question, answer) → count."""
    from django.db import connection

    from cchc.surveys.models import AnswerRow, RoundUnit

    sql = (f"SELECT a.round_unit_id, a.question, a.answer, COUNT(*) FROM {AnswerRow._meta.db_table} a "
           f"JOIN {RoundUnit._meta.db_table} ru ON ru.id = a.round_unit_id WHERE ru.round_id = ANY(%s) "
           "GROUP BY 1, 2, 3")
    total: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_ids])
        for _, question, answer, n in cursor.fetchall():
            total[(question, answer)] += n
    return total


def app_counts(results) -> Counter:
    total: Counter = Counter()
    for result in results:
        for question, answers in result.province.distribution.items():
            for answer, n in answers.items():
                if n:
                    total[(question, answer)] += n
    return total


def measure_index(repeat: int) -> None:
    from cchc.core.surveys import show_pct
    from cchc.surveys.models import Round
    from cchc.surveys.results import round_results

    rounds = list(Round.objects.select_related("province").order_by("pk"))
    measured = next(r for r in rounds if r.province.name.endswith(MEASURED))
    print("\nLive index against the floor (one GROUP BY over the same answers), median of "
          f"{repeat} after a warm-up:")
    print(f"  {'case':44} {'app ms':>9} {'floor ms':>9} {'ratio':>7}  target")
    for label, chosen in ((f"the year, 34 rounds ({len(rounds)} calls)", rounds),
                          (f"one round: {MEASURED} ({measured.units.count()} units)", [measured])):
        app_ms, results, floor_ms, floor = timed_beside(
            lambda chosen=chosen: [round_results(r) for r in chosen],
            lambda chosen=chosen: floor_counts([r.pk for r in chosen]), repeat)
        same = app_counts(results) == floor
        ratio = app_ms / floor_ms
        verdict = "PASS" if ratio <= INDEX_TARGET and same else "MISS"
        print(f"  {label:44} {app_ms:9.0f} {floor_ms:9.0f} {ratio:6.2f}x  <= {INDEX_TARGET:.0f}x {verdict}"
              f"{'' if same else '  (answer counts differ from the floor!)'}")
        if len(chosen) == 1:
            result = results[0].province
            print(f"    {MEASURED}: index {show_pct(result.overall.pct)} ± {show_pct(result.overall.margin)}, "
                  f"{result.responses:,} responses, {result.overall.valid:,} valid answers")


# --- the public form on gunicorn ---------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client(threading.local):
    """One keep-alive connection per thread; reconnects when the server closed it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = None

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str, float]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                reply = self.conn.getresponse()
                text = reply.read().decode()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if reply.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return reply.status, text, time.perf_counter() - started
        raise AssertionError("unreachable")


def start_gunicorn(port: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "_survey_settings", "CCHC_DATA_DIR": data_dir,
           "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
           "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-survey-" + os.urandom(8).hex()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=ROOT)
    client = Client(port)
    for _ in range(120):
        time.sleep(0.5)
        try:
            if client.request("GET", "/dang-nhap/")[0] == 200:
                return proc
        except OSError:
            continue
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def server_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of the gunicorn master and its workers so far (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master or int(stat.parent.name) == master:  # fields[1]: the parent pid
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load(client: Client, jobs: list, concurrency: int) -> tuple[float, list]:
    """Run `jobs` (callables taking the client) on `concurrency` threads: wall seconds and results."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda job: job(client), jobs))
    return time.perf_counter() - started, results


TOKEN = re.compile(r'name="token" value="([^"]+)"')


def measure_form(submissions: int, concurrency: int) -> None:
    import tempfile

    from cchc.core.surveys import load_design
    from cchc.surveys.models import AnswerRow, Response, RoundUnit

    design = load_design(DESIGN)
    rng = random.Random(SEED + 1)
    keys = list(RoundUnit.objects.filter(round__province__name__endswith=MEASURED).values_list("key", flat=True))
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-gunicorn-") as data_dir:
        Path(data_dir, "static").mkdir()
        proc = start_gunicorn(port, data_dir)
        try:
            client = Client(port)
            warm = [lambda c: c.request("GET", "/dang-nhap/")] * (concurrency * 4)
            load(client, warm, concurrency)
            base_s, base = load(client, [lambda c: c.request("GET", "/dang-nhap/")] * submissions, concurrency)
            targets = [rng.choice(keys) for _ in range(submissions)]
            form_s, forms = load(client, [lambda c, k=k: c.request("GET", f"/khao-sat/p/{k}/") for k in targets],
                                 concurrency)
            tokens = [TOKEN.search(text).group(1) for status, text, _ in forms if status == 200]
            bodies, expected_answers = [], 0
            for key, token in zip(targets, tokens, strict=True):
                answers = {q.code: rng.choice("123455440") for q in design.scored if rng.random() < 0.9}
                answers["R6"] = rng.choice("123")
                expected_answers += len(answers)
                bodies.append((key, urllib.parse.urlencode({"token": token, **answers}).encode()))
            before = Response.objects.count()
            last_pk = Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            idle = [lat for _, _, lat in base]
            probe_latencies: list[float] = []
            stop = threading.Event()

            def probe():  # the rest of the system during the flood: the sign-in page, one at a time
                other = Client(port)
                while not stop.is_set():
                    probe_latencies.append(other.request("GET", "/dang-nhap/")[2])

            prober = threading.Thread(target=probe)
            prober.start()
            server_cpu, client_cpu = server_cpu_seconds(proc.pid), time.process_time()
            post_s, posts = load(client, [lambda c, k=k, b=b: c.request("POST", f"/khao-sat/p/{k}/", b)
                                          for k, b in bodies], concurrency)
            server_cpu, client_cpu = server_cpu_seconds(proc.pid) - server_cpu, time.process_time() - client_cpu
            stop.set()
            prober.join()
            statuses = Counter(status for status, _, _ in posts)
            thanked = sum(1 for status, text, _ in posts if status == 200 and "đã được ghi nhận" in text
                          and "không được tính thêm" not in text)
            stored = Response.objects.count() - before
            answers_stored = AnswerRow.objects.filter(response__pk__gt=last_pk, response__source="web").count()
            web_tokens = (Response.objects.filter(pk__gt=last_pk, source="web").exclude(token=None)
                          .values("token").distinct().count())
        finally:
            proc.terminate()
            proc.wait(30)
    base_rate, form_rate, post_rate = submissions / base_s, len(forms) / form_s, len(posts) / post_s
    print(f"\nPublic form on gunicorn (127.0.0.1, gthread 2 workers x 4 threads), {concurrency} client threads:")
    print(f"  baseline GET /dang-nhap/          {base_rate:8.0f} req/s  (1.00)")
    print(f"  GET the public form (token)       {form_rate:8.0f} req/s  ({form_rate / base_rate:.2f} of the baseline)")
    print(f"  POST a filled form                {post_rate:8.0f} responses/s  ({post_rate / base_rate:.2f} of the "
          f"baseline)  target >= {RATE_TARGET:.0f}/s {'PASS' if post_rate >= RATE_TARGET else 'MISS'}")
    lost = submissions - stored
    print(f"  statuses {dict(statuses)}; thanked {thanked:,} of {submissions:,}; stored {stored:,} "
          f"(lost {lost}); web responses with distinct tokens {web_tokens:,} "
          f"answers stored {answers_stored:,} of {expected_answers:,} "
          f"{'OK' if thanked == stored == submissions == web_tokens and answers_stored == expected_answers else 'ERROR'}")
    print(f"  CPU during the POSTs: server (gunicorn workers) {server_cpu:.1f} s, client {client_cpu:.1f} s, "
          f"wall {post_s:.1f} s on {os.cpu_count()} CPUs")
    if probe_latencies:
        flood, calm = statistics.median(probe_latencies) * 1000, statistics.median(idle) * 1000
        print(f"  sign-in page during the flood: median {flood:.0f} ms over {len(probe_latencies)} requests, "
              f"idle (baseline run at {concurrency} threads) {calm:.0f} ms: {flood / calm:.2f}x")


def row_counts() -> list[tuple[str, int]]:
    from cchc.surveys.models import AnswerRow, Response, Round, RoundUnit

    return [("rounds", Round.objects.count()), ("round units", RoundUnit.objects.count()),
            ("responses", Response.objects.count()), ("answers", AnswerRow.objects.count())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=200_000, help="responses generated over the 34 rounds")
    parser.add_argument("--submissions", type=int, default=600, help="forms posted to gunicorn")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the index, after one warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the generated data (default: flush it at the end)")
    parser.add_argument("--reuse", action="store_true", help="skip generation if the database already holds units")
    args = parser.parse_args()
    if min(args.responses, args.submissions, args.concurrency, args.repeat) < 1:
        parser.error("--responses, --submissions, --concurrency and --repeat must be at least 1")

    def generate_data():
        print(f"Loading every province's real units, then generating a round each, 3,770 surveyed units and "
              f"{args.responses:,} responses...", flush=True)
        started = time.perf_counter()
        counts = generate(random.Random(SEED), args.responses)
        print(f"Generation: {time.perf_counter() - started:.1f} s (COPY: {counts['responses']:,} responses, "
              f"{counts['answers']:,} answers)", flush=True)

    def measure_data():
        for label, count in row_counts():
            print(f"  {label:24} {count:>12,}")
        measure_index(args.repeat)
        measure_form(args.submissions, args.concurrency)

    return run("bench/survey.py", args.reuse, args.keep, generate_data, measure_data)


if __name__ == "__main__":
    sys.exit(main())
