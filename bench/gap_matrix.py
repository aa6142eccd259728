"""The gap matrix of a province: Thanh Hóa's 166 communes × its plan, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_gaps .venv/bin/python bench/gap_matrix.py [--repeat 7] [--keep] [--reuse]

Needs an empty PostgreSQL database (refuses SQLite, exit 2) and migrates it. It loads Thanh Hóa's
units (166 communes after 1/7/2025), imports the province's 2022 plan (seed 000) and moves it to
2026 (`cchc.planning.demo.copy_plan`), issues it (every commune obliged by its class tasks), and
builds a 2026 plan for every commune from it with `cascade_plan`, each leaving out about one duty
in eight (seeded). It then times, median of --repeat runs after a warm-up:

(a) `cchc.planning.lineage.gap_matrix(plan, kind="commune")` — the units × tasks matrix with its
    counts per task;
(b) the baseline measured in the same run: one query reading the (task, unit) pairs of the plan's
    active obligations, the least any matrix must read;

and prints the ratio (a)/(b) and PASS/MISS against the issue's ≤ 1 s for (a).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _postgres import run  # noqa: E402  (bench/ is on sys.path)

TARGET_MS = 1000.0


def median_ms(function, repeat: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def generate() -> None:
    from cchc.demo import SEEDS_DIR
    from cchc.planning.demo import copy_plan
    from cchc.planning.lineage import CONCERN_ROLES
    from cchc.plans.importing import import_plan_file
    from cchc.plans.models import Obligation
    from cchc.plans.services import cascade_plan, issue_plan
    from cchc.units.models import Unit, UnitKind
    from cchc.units.registry import load_province

    start = time.perf_counter()
    load_province("thanh-hoa")
    province = Unit.objects.get(code="38")
    source = import_plan_file(SEEDS_DIR / "000_2e2ce113b0e961ad.txt", issuer=province).plan
    plan = copy_plan(source, 2026, number="257/KH-UBND")
    issue_plan(plan)
    rng = random.Random(2026)
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE, pk__in=Obligation.objects.filter(
        task__plan=plan, role__in=CONCERN_ROLES).values("unit_id")).order_by("code")
    for commune in communes:
        duties = list(Obligation.objects.filter(task__plan=plan, unit=commune, role__in=CONCERN_ROLES)
                      .values_list("task_id", flat=True).order_by("task_id"))
        cascade_plan(plan, commune, [t for t in duties if rng.random() > 0.12])
    print(f"Generated in {time.perf_counter() - start:.0f} s: {communes.count()} communes, each with a 2026 plan "
          f"built from the province's ({plan.tasks.count()} tasks).")


def measure(repeat: int):
    def inner() -> None:
        from cchc.planning.lineage import gap_matrix
        from cchc.plans.models import Obligation, Plan

        plan = Plan.objects.get(issuer__code="38", year=2026, status="issued")
        matrix = gap_matrix(plan, kind="commune")
        missing = sum(r.missing for r in matrix.rows)
        cells = sum(r.concerned for r in matrix.rows)
        print(f"Matrix: {len(matrix.units)} communes × {len(matrix.rows)} tasks concerning them; {missing} of "
              f"{cells} (commune, task) duties not taken up.")
        worst = max(matrix.rows, key=lambda r: r.missing)
        print(f"  e.g. {worst.message}")
        app = median_ms(lambda: gap_matrix(plan, kind="commune"), repeat)
        floor = median_ms(lambda: list(Obligation.objects.active().filter(task__plan=plan).values_list(
            "task_id", "unit_id")), repeat)
        verdict = "PASS" if app <= TARGET_MS else "MISS"
        print(f"gap_matrix {app:.0f} ms (median of {repeat}); baseline obligation pairs query {floor:.1f} ms; "
              f"ratio {app / floor:.1f}×; target ≤ {TARGET_MS:.0f} ms: {verdict}")

    return inner


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    return run("bench/gap_matrix.py", args.reuse, args.keep, generate, measure(args.repeat))


if __name__ == "__main__":
    sys.exit(main())
