"""Speed of the PAR Index results at national scale: the ranking, the results pages and the
publication annex of a province's round, beside the same aggregation as one SQL query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_par .venv/bin/python bench/par.py \
        [--requests 20] [--repeat 5] [--keep] [--reuse]

The database must be PostgreSQL and empty (the script migrates it; SQLite is refused, exit 2). It
loads the built-in criteria sets (the 2025 department set, 82 leaves, and commune set, 78 leaves)
and every province's real units through the unit registry (``load_all_provinces``, as ``cchc
load-units --all``: 34 provinces, 449 departments and 3,321 communes in force since 1/7/2025, with
their predecessors), then generates with COPY one published 2025 round per province with an
assessment for every department and commune in force, and a score for every leaf (self-assessed within the leaf's maximum; a third of them
adjusted in appraisal round 2): about 296,000 leaf scores.

Then, for the largest province (Hồ Chí Minh, 168 communes) and, for the query count, the smallest
(Huế, 40 communes):
(a) ``cchc.par.results.round_results`` (per unit the points per area, capped up the tree, total,
    index, rank, group) beside (b) the floor: one SQL ``SUM ... GROUP BY assessment, area`` over
    the same leaf scores, calls alternating, median of --repeat runs after a warm-up; ratio a/b;
(c) the pages with django.test.Client (3 warm-ups, --requests timed): the public results page
    (ranking bars, area profiles) and the coordinator's results page, beside the baseline of the
    anonymous login page; p95 ≤ 200 ms and a query count that does not change with the province's
    size (PASS / MISS);
(d) the annex .xlsx and .docx downloads (target ≤ 2 s).
Without --keep the data is flushed at the end; --reuse measures data kept by an earlier run.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _country import describe, load_country  # noqa: E402  (bench/ is on sys.path)
from _postgres import copy_rows, reset_sequences, run, timed_beside  # noqa: E402

SEED = 20251215
YEAR = 2025
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
P95_TARGET_MS = 200
ANNEX_TARGET_MS = 2000
QUARTER = Decimal("0.25")


def leaf_points(rng: random.Random, maximum: Decimal) -> Decimal:
    """A self-score within the leaf's maximum, most units scoring high (quarters of a point)."""
    share = min(1.0, max(0.0, rng.betavariate(5, 1.5)))
    steps = int(maximum / QUARTER)
    return min(maximum, QUARTER * round(share * steps)) if steps else maximum * Decimal(round(share))


def generate(rng: random.Random) -> dict[str, int]:
    from django.db import connection, transaction

    from cchc.core.units.country import REFORM_2025
    from cchc.par import services
    from cchc.par.models import Assessment, AssessmentRound, LeafScore
    from cchc.par.tree import template_tree

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    services.load_builtin_templates()
    templates = {kind: services.template_for(YEAR, kind) for kind in ("department", "commune")}
    leaves = {kind: [(n.code, n.area, n.max, n.computed) for n in template_tree(t).leaves] for kind, t in templates.items()}

    country, figures = load_country(REFORM_2025)
    print(describe(figures, country), flush=True)
    units = []  # (pk, kind, province index): every department and commune in force since 1/7/2025
    province_pks = []
    for index, province in enumerate(country):
        province_pks.append(province.pk)
        units += [(pk, "department", index) for pk, _, _ in province.departments]
        units += [(pk, "commune", index) for pk, _, _ in province.communes]

    counts = {}
    submitted = datetime.datetime(YEAR, 12, 10, 9, 0, tzinfo=TZ)
    with transaction.atomic():
        rounds = AssessmentRound.objects.bulk_create([
            AssessmentRound(province_id=pk, year=YEAR, title=f"Chỉ số CCHC năm {YEAR}", deadline=datetime.date(YEAR, 12, 15),
                            cutoff=datetime.date(YEAR, 12, 14), status=AssessmentRound.Status.PUBLISHED,
                            round1_released=True, round2_released=True, published_on=datetime.date(YEAR + 1, 1, 20),
                            decision=f"Quyết định số {100 + i}/QĐ-UBND ngày 20/01/{YEAR + 1}")
            for i, pk in enumerate(province_pks)
        ])
        for rnd in rounds:
            rnd.templates.set(templates.values())
        counts["rounds"] = len(rounds)
        assessment_rows, score_rows = [], []
        score_pk = 0
        for assessment_pk, (unit_pk, kind, province_index) in enumerate(units, 1):
            assessment_rows.append((assessment_pk, rounds[province_index].pk, unit_pk, templates[kind].pk,
                                    Assessment.Status.SUBMITTED, submitted))
            for code, area, maximum, computed in leaves[kind]:
                score_pk += 1
                points = leaf_points(rng, maximum)
                appraised, appraised_round = (None, 0)
                if rng.random() < 0.33:
                    appraised, appraised_round = max(Decimal(0), points - QUARTER * rng.randint(0, 2)), 2
                score_rows.append((score_pk, assessment_pk, code, area, points, computed, appraised, appraised_round))
        counts["assessments"] = copy_rows(
            Assessment, ["id", "round_id", "unit_id", "template_id", "status", "submitted_at"], assessment_rows)
        counts["leaf scores"] = copy_rows(
            LeafScore, ["id", "assessment_id", "code", "area", "self_points", "auto", "appraised_points", "appraised_round"],
            score_rows)
        reset_sequences([Assessment, LeafScore])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts


# --- measuring ---------------------------------------------------------------------------------


def floor_sums(round_id: int) -> dict[tuple[int, str], Decimal]:
    """The floor: one GROUP BY over the round's leaf scores (no capping, no ranking)."""
    from django.db import connection

    from cchc.par.models import Assessment, LeafScore

    sql = (f"SELECT s.assessment_id, s.area, SUM(COALESCE(CASE WHEN s.appraised_round > 0 THEN s.appraised_points "
           f"ELSE s.self_points END, 0)) FROM {LeafScore._meta.db_table} s JOIN {Assessment._meta.db_table} a "
           f"ON a.id = s.assessment_id WHERE a.round_id = %s GROUP BY s.assessment_id, s.area")
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_id])
        return {(a, area): total for a, area, total in cursor.fetchall()}


def p95(times: Sequence[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def timed_get(client, url: str, requests: int, warmups: int = 3) -> list[float]:
    for _ in range(warmups):
        get(client, url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured.captured_queries)


def coordinator(province):
    from django.contrib.auth import get_user_model

    from cchc.accounts.models import Membership
    from cchc.units.models import Unit

    home_affairs = Unit.objects.get(parent=province, name__startswith="Sở Nội vụ")
    user, _ = get_user_model().objects.get_or_create(username=f"bench-snv-{province.code}")
    Membership.objects.get_or_create(user=user, unit=home_affairs, defaults={"role": "coordinator"})
    return user


def measure(requests: int, repeat: int) -> None:
    from django.test import Client

    from cchc.par.models import AssessmentRound, LeafScore
    from cchc.par.results import round_results

    rounds = {r.province.name: r for r in AssessmentRound.objects.select_related("province")}
    big = next(r for name, r in rounds.items() if name.endswith("Hồ Chí Minh"))
    small = next(r for name, r in rounds.items() if name.endswith("Huế"))
    sizes = {label: (r.assessments.count(), LeafScore.objects.filter(assessment__round=r).count()) for label, r in
             (("big", big), ("small", small))}
    print(f"\nMeasured: {big.province.name} ({sizes['big'][0]} assessments, {sizes['big'][1]:,} leaf scores) vs "
          f"{small.province.name} ({sizes['small'][0]}, {sizes['small'][1]:,}); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs.\n")

    app_ms, tables, floor_ms, floor = timed_beside(lambda: round_results(big), lambda: floor_sums(big.pk), repeat)
    ranked = sum(len(t.rows) for t in tables)
    app_sums = {(r.assessment_id, code): v for t in tables for r in t.rows for code, v in r.areas.items()}
    same = sum(1 for key, total in floor.items() if app_sums.get(key) == total)
    print(f"(a) round_results, {ranked} units ranked: {app_ms:8.1f} ms   (b) floor GROUP BY: {floor_ms:6.1f} ms   "
          f"ratio a/b = {app_ms / floor_ms:4.1f}x   ({same} of {len(floor)} area sums equal the floor's)")

    public = Client()
    staff = Client()
    staff.force_login(coordinator(big.province))
    staff_small = Client()
    staff_small.force_login(coordinator(small.province))
    cases = [
        ("(c) public results page", public, public, "/chi-so-cchc/cong-bo/{pk}/", requests),
        ("(c) coordinator results page", staff, staff_small, "/chi-so-cchc/dot/{pk}/ket-qua/", requests),
        ("(d) annex .xlsx", public, public, "/chi-so-cchc/cong-bo/{pk}/phu-luc.xlsx", max(3, requests // 4)),
        ("(d) annex .docx", public, public, "/chi-so-cchc/cong-bo/{pk}/phu-luc.docx", max(3, requests // 4)),
        ("baseline: login page, anonymous", Client(), Client(), "/dang-nhap/", requests),
    ]
    results = []
    for label, client, client_small, url, n in cases:
        times = timed_get(client, url.format(pk=big.pk), n)
        results.append((label, n, statistics.median(times), p95(times), queries(client, url.format(pk=big.pk)),
                        queries(client_small, url.format(pk=small.pk))))
    base = results[-1][2]
    width = max(len(r[0]) for r in results)
    print(f"\n{'case':{width}} {'n':>3} {'median ms':>9} {'p95 ms':>8} {'x base':>7} {'queries':>7} {'small':>6}  targets")
    for label, n, median, p95_ms, q_big, q_small in results:
        if label.startswith("baseline"):
            verdict = ""
        else:
            target = ANNEX_TARGET_MS if "annex" in label else P95_TARGET_MS
            verdict = (f"p95<={target}ms {'PASS' if p95_ms <= target else 'MISS'}, "
                       f"queries constant {'PASS' if q_big == q_small else 'MISS'}")
        print(f"{label:{width}} {n:>3} {median:9.1f} {p95_ms:8.1f} {median / base:7.1f} {q_big:>7} {q_small:>6}  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page, after 3 warm-ups")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of round_results and its floor")
    parser.add_argument("--keep", action="store_true", help="keep the generated data (default: flush it at the end)")
    parser.add_argument("--reuse", action="store_true", help="skip generation if the database already holds units")
    args = parser.parse_args()
    if args.requests < 1 or args.repeat < 1:
        parser.error("--requests and --repeat must be at least 1")

    def generate_data():
        print("Loading every province's real units, then generating a published 2025 PAR round each...", flush=True)
        started = time.perf_counter()
        counts = generate(random.Random(SEED))
        print(f"Generation: {time.perf_counter() - started:.1f} s (COPY): "
              + ", ".join(f"{count:,} {label}" for label, count in counts.items()), flush=True)

    return run("bench/par.py", args.reuse, args.keep, generate_data, lambda: measure(args.requests, args.repeat))


if __name__ == "__main__":
    sys.exit(main())
