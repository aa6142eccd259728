"""Speed of a period's aggregate (Biểu mẫu 1–7 of a province, and of the whole country) against
the floor of one SQL GROUP BY, and of the period report's .docx / .pdf.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_agg .venv/bin/python bench/aggregate.py \
        [--repeat 7] [--keep] [--reuse]

The database must be PostgreSQL and empty (the script migrates it; SQLite is refused, exit 2). It
loads every province's real units through the unit registry (``load_all_provinces``, as ``cchc
load-units --all``): 34 provinces and cities, 449 departments and 3,321 communes in force since
1/7/2025 (Thanh Hóa, the largest-but-one with 166 communes and 15 departments, is the province
measured), with their predecessors before 2025 and the successions. On the units in force it
generates with COPY one 6-month 2024 reporting period per province on the bnv-2024 form set (on
today's units: the bench measures the aggregate, not the reform), and for every unit (province,
departments, communes) an accepted submission holding a value for every input row. Values are seed 003's province figures (cchc/data/forms/seed-003-values.json, Thanh Hóa 6
months 2024) scaled down to the unit (a department weighs 3 communes, the province's own office 4)
with log-normal noise and stochastic rounding, so a province's sum is about its size times seed 003;
numerators never exceed their denominators, yes/no and coded answers are valid codes, percentages
stay within 0..100, and the form set's rules (same_as, sum, part ≤ whole) are repaired per unit and
then checked with ``cchc.core.statforms.validate``.

Then, median of --repeat runs after one warm-up (the app's calls alternating with the floor's):
(a) ``cchc.reporting.aggregation.period_aggregate(period)`` for the province, the function the
    aggregate page, its API and the report use;
(b) the country: ``cchc.reporting.aggregation.national_aggregate(2024, "h1")``, the function of
    the national page and API (every province's period of that kind and year); and, for
    comparison, ``period_aggregate`` called once per province (34 calls) with the 34 results
    added by the bench (sums and answer counts added, ratios recomputed from the added parts),
    which must give the same figures;
(c) the floor, in the same run: one ``SELECT code, SUM(value) ... GROUP BY code`` over the same
    accepted submissions' stored values, for the province and for the country. The app's sums are
    checked against it. Target app / floor ≤ 3x (PASS / MISS);
(e) what blanks cost: the province again after a fifth of its submissions lost the value of one
    row a formula rests on (those are computed one by one); the values are restored afterwards.
(d) the report: ``build_report`` (which aggregates again), ``build_report_docx`` and
    ``build_report_pdf`` for the province's period.
SQL queries per call are counted once, outside the timings. Exit 0 unless the run itself failed.
Without --keep the data is flushed at the end; --keep leaves it and --reuse measures it again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _country import describe, load_country  # noqa: E402  (bench/ is on sys.path)
from _postgres import copy_rows, reset_sequences, run, timed_beside  # noqa: E402

SEED = 20240614
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FORM_SET = "bnv-2024"
YEAR = 2024
RATIO_TARGET = 3.0
MEASURED = "Thanh Hóa"

# Weight of a unit's own figures, in communes (seed 003 is a province of 166 communes + 20 departments).
WEIGHT = {"province": 4, "department": 3, "commune": 1}
SEED_WEIGHT = WEIGHT["province"] + 20 * WEIGHT["department"] + 166 * WEIGHT["commune"]
# Province totals for the input rows seed 003 left blank or dashed (a plausible order of magnitude).
FALLBACK = {"1:3.1": 12, "3:1.1": 40, "5:1.3": 2, "5:2.3": 6, "5:3": 4, "5:4.1": 0, "5:4.2": 2, "5:4.3": 5,
            "5:4.4": 8, "6:2.6": 1}
FALLBACK_PERCENT = Decimal(95)


# --- set-up ------------------------------------------------------------------------------------



# --- values of one unit ------------------------------------------------------------------------

class Values:
    """Realistic input values of one unit, from seed 003's province figures."""

    def __init__(self, form_set, rng: random.Random):
        self.fs, self.rng = form_set, rng
        seed = json.loads((ROOT / "cchc" / "data" / "forms" / "seed-003-values.json").read_text(encoding="utf-8"))
        self.seed = {c: Decimal(str(v)) for c, v in seed["inputs"].items() if v is not None}
        self.inputs = form_set.input_codes()
        self.ratios = [r.formula for r in form_set.rows.values()
                       if r.formula is not None and r.formula.op == "ratio"
                       and r.formula.numerator in self.inputs and r.formula.denominator in self.inputs]
        self.numerators = {f.numerator for f in self.ratios}
        # Rules the generator repairs: same_as and sum onto an input row, part <= whole.
        self.rules = [r for r in form_set.rules
                      if r.kind == "same_as" and r.params["codes"][1] in self.inputs
                      or r.kind == "sum" and r.params["total"] in self.inputs
                      or r.kind == "part_le_whole"]
        self.leaves_of = {r.id: [leaf for part in r.params["parts"] for leaf in self.leaves(part)]
                          for r in self.rules if r.kind != "same_as"}

    def noise(self, sigma: float = 0.6) -> float:
        return math.exp(self.rng.gauss(-sigma * sigma / 2, sigma))  # log-normal, mean 1

    def whole(self, x: float) -> int:
        """Stochastic rounding: the expected value is kept, so sums over units stay near the seed."""
        low = math.floor(x)
        return max(0, low + (1 if self.rng.random() < x - low else 0))

    def unit(self, weight: float) -> dict[str, Decimal]:
        share = weight / SEED_WEIGHT
        out: dict[str, Decimal] = {}
        for code in self.inputs:
            row = self.fs.rows[code]
            seeded = self.seed.get(code)
            if row.value_type in ("count", "amount"):
                if code in self.numerators:
                    continue
                total = float(seeded if seeded is not None else FALLBACK.get(code, 5))
                out[code] = Decimal(self.whole(total * share * self.noise()))
            elif row.value_type == "percent":
                p = seeded if seeded is not None else FALLBACK_PERCENT
                if self.rng.random() >= 0.5:
                    p = p * Decimal(1 - abs(self.rng.gauss(0, 0.04)))
                out[code] = min(Decimal(100), max(Decimal(0), p)).quantize(Decimal("0.01"))
            elif row.value_type in ("yes_no", "choice"):
                codes = [c.code for c in row.choices]
                usual = int(seeded) if seeded is not None and int(seeded) in codes else codes[-1]
                pick = usual if self.rng.random() < 0.7 else self.rng.choice(codes)
                out[code] = Decimal(pick)
        for f in self.ratios:
            den = out[f.denominator]
            sn, sd = self.seed.get(f.numerator), self.seed.get(f.denominator)
            rate = float(sn / sd) if sn is not None and sd else 0.9
            out[f.numerator] = Decimal(min(int(den), self.whole(float(den) * rate * self.rng.uniform(0.97, 1.03))))
        self.repair(out)
        return out

    # The rules of the form set, repaired in turn until they hold (a few passes at most).

    def leaves(self, code: str) -> list[str]:
        row = self.fs.rows[code]
        if row.formula is not None and row.formula.op == "sum":
            return [leaf for term in row.formula.terms for leaf in self.leaves(term)]
        return [code] if code in self.inputs else []

    def spread(self, out: dict[str, Decimal], codes: list[str], target: int) -> None:
        """Set the input ``codes`` to add up to ``target``, keeping their proportions."""
        current = [int(out[c]) for c in codes]
        whole = sum(current)
        if whole == 0:
            shares = [0.0] * (len(codes) - 1) + [float(target)]
        else:
            shares = [target * v / whole for v in current]
        counts = [math.floor(s) for s in shares]
        for i in sorted(range(len(codes)), key=lambda i: counts[i] - shares[i])[: target - sum(counts)]:
            counts[i] += 1
        for c, v in zip(codes, counts, strict=True):
            out[c] = Decimal(v)

    def repair(self, out: dict[str, Decimal]) -> None:
        from cchc.core.statforms import compute

        for _ in range(6):
            changed = False
            computed = compute(self.fs, out)
            for rule in self.rules:
                p = rule.params
                if rule.kind == "same_as":
                    first, second = p["codes"]
                    if out[second] != computed[first]:
                        out[second] = computed[first]
                    else:
                        continue
                elif rule.kind == "sum":
                    if sum(computed[part] for part in p["parts"]) == out[p["total"]]:
                        continue
                    self.spread(out, self.leaves_of[rule.id], int(out[p["total"]]))
                else:  # part_le_whole
                    whole = computed[p["whole"]]
                    if sum(out[c] for c in self.leaves_of[rule.id]) <= whole:
                        continue
                    self.spread(out, self.leaves_of[rule.id], int(whole))
                changed = True
                computed = compute(self.fs, out)
            for f in self.ratios:
                if out[f.numerator] > out[f.denominator]:
                    out[f.numerator], changed = out[f.denominator], True
            if not changed:
                return


# --- the dataset -------------------------------------------------------------------------------

def generate(rng: random.Random) -> dict[str, int]:
    from django.db import connection, transaction

    from cchc.core.statforms import validate
    from cchc.core.units.country import REFORM_2025
    from cchc.reporting.formsets import form_set_of
    from cchc.reporting.models import FormSetVersion, ReportingPeriod, Submission, SubmissionValue

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    version = FormSetVersion.objects.filter(key=FORM_SET).order_by("-loaded_at").first()
    if version is None:
        raise SystemExit(f"Form set {FORM_SET} is not in the database after migrate.")
    form_set = form_set_of(version)
    maker = Values(form_set, rng)
    counts = {"errors": 0, "warnings": 0, "units with findings": 0}

    country, figures = load_country(REFORM_2025)
    print(describe(figures, country), flush=True)
    counts["real units"] = figures
    units = []  # (pk, kind, province index): every province, its departments and communes
    province_pks = []
    for index, province in enumerate(country):
        province_pks.append(province.pk)
        units.append((province.pk, "province", index))
        units += [(pk, "department", index) for pk, _, _ in province.departments]
        units += [(pk, "commune", index) for pk, _, _ in province.communes]

    now = datetime.datetime(YEAR, 6, 20, 9, 0, tzinfo=TZ)
    with transaction.atomic():
        periods = []
        for pk in province_pks:
            period = ReportingPeriod(province_id=pk, kind=ReportingPeriod.Kind.H1, year=YEAR, form_set=version,
                                     status=ReportingPeriod.Status.CLOSED)
            period.fill_default_dates()
            periods.append(period)
        periods = ReportingPeriod.objects.bulk_create(periods)
        counts["periods"] = len(periods)
        submission_rows, value_rows = [], []
        value_pk = 0
        for sub_pk, (unit_pk, kind, province_index) in enumerate(units, 1):
            submitted = now - datetime.timedelta(days=rng.randint(0, 6), minutes=rng.randint(0, 600))
            submission_rows.append((sub_pk, periods[province_index].pk, unit_pk, Submission.Status.ACCEPTED,
                                    submitted, submitted + datetime.timedelta(hours=rng.randint(1, 48)),
                                    submitted - datetime.timedelta(days=10), submitted))
            values = maker.unit(WEIGHT[kind])
            findings = validate(form_set, values)
            if findings:
                counts["units with findings"] += 1
                counts["errors"] += sum(1 for f in findings if f.severity == "error")
                counts["warnings"] += sum(1 for f in findings if f.severity == "warning")
            for code, value in values.items():
                value_pk += 1
                value_rows.append((value_pk, sub_pk, code, value, SubmissionValue.Source.IMPORT))
        counts["submissions"] = copy_rows(
            Submission, ["id", "period_id", "unit_id", "status", "submitted_at", "decided_at", "created_at",
                         "updated_at"], submission_rows)
        counts["values"] = copy_rows(SubmissionValue, ["id", "submission_id", "code", "value", "source"], value_rows)
        reset_sequences([Submission, SubmissionValue])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts


# --- measuring ---------------------------------------------------------------------------------

def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in ms of ``repeat`` calls after one warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result



def queries(fn: Callable[[], object]) -> tuple[int, float]:
    """SQL queries of one call, and the database's time for them in ms (counted outside timings)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries), sum(float(q["time"]) for q in ctx.captured_queries) * 1000


def floor_sums(period_ids: list[int]) -> dict[str, Decimal]:
    """The floor: one GROUP BY over the accepted submissions' stored values."""
    from django.db import connection

    from cchc.reporting.models import Submission, SubmissionValue

    sql = (f"SELECT v.code, SUM(v.value) FROM {SubmissionValue._meta.db_table} v "
           f"JOIN {Submission._meta.db_table} s ON s.id = v.submission_id "
           "WHERE s.period_id = ANY(%s) AND s.status = %s AND v.value IS NOT NULL GROUP BY v.code")
    with connection.cursor() as cursor:
        cursor.execute(sql, [period_ids, Submission.Status.ACCEPTED])
        return dict(cursor.fetchall())


def combine(form_set, parts: Sequence[dict[str, Decimal]]) -> dict[str, Decimal]:
    """Add provinces' aggregates: sums and answer counts added, ratios recomputed."""
    total: dict[str, Decimal] = {}
    for values in parts:
        for code, value in values.items():
            row = form_set.rows.get(code)
            if row is not None and row.aggregation == "ratio":
                continue
            total[code] = total.get(code, Decimal(0)) + value
    for code, row in form_set.rows.items():
        f = row.formula
        if row.aggregation == "ratio" and f is not None and total.get(f.denominator):
            total[code] = total.get(f.numerator, Decimal(0)) * f.scale / total[f.denominator]
    return total


def check_sums(form_set, app: dict[str, Decimal], floor: dict[str, Decimal]) -> int:
    """Input rows summed by the app that differ from the floor's SUM (expected: none)."""
    return sum(1 for code in form_set.input_codes()
               if form_set.rows[code].aggregation == "sum" and app.get(code) != floor.get(code))


def blank_some(period, form_set) -> list[tuple[int, str, Decimal]]:
    """Blank, in every fifth accepted submission of the period, one row a formula rests on;
    returns (value id, code, value) to restore."""
    from cchc.core.statforms import sum_first_codes
    from cchc.reporting.models import SubmissionValue

    operands = sorted(sum_first_codes(form_set))
    ids = list(period.submissions.filter(status="accepted").order_by("pk").values_list("pk", flat=True))[::5]
    blanked = []
    for n, submission_id in enumerate(ids):
        value = SubmissionValue.objects.get(submission_id=submission_id, code=operands[n % len(operands)])
        blanked.append((value.pk, value.code, value.value))
    SubmissionValue.objects.filter(pk__in=[pk for pk, _, _ in blanked]).update(value=None)
    return blanked


def one_by_one(period, form_set) -> dict[str, Decimal]:
    """The reference: every accepted submission read and computed on its own, then combined by
    ``cchc.core.statforms.aggregate``."""
    from collections import defaultdict

    from cchc.core.statforms import aggregate
    from cchc.reporting.models import SubmissionValue

    raw: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for submission_id, code, value in SubmissionValue.objects.filter(
            submission__period=period, submission__status="accepted", value__isnull=False
    ).values_list("submission_id", "code", "value"):
        raw[submission_id][code] = value
    return aggregate(form_set, list(raw.values()))


def restore(blanked: list[tuple[int, str, Decimal]]) -> None:
    from cchc.reporting.models import SubmissionValue

    for pk, _, value in blanked:
        SubmissionValue.objects.filter(pk=pk).update(value=value)


def measure(repeat: int) -> list[tuple]:
    from cchc.reporting.aggregation import national_aggregate, period_aggregate
    from cchc.reporting.documents import build_report_docx, build_report_pdf
    from cchc.reporting.models import ReportingPeriod, Submission, SubmissionValue
    from cchc.reporting.report import build_report

    periods = list(ReportingPeriod.objects.filter(year=YEAR, kind=ReportingPeriod.Kind.H1)
                   .select_related("province", "form_set").order_by("province__code"))
    period = next(p for p in periods if p.province.name.endswith(MEASURED))
    all_ids = [p.pk for p in periods]
    form_set = period.form_set.form_set()

    def per_province():
        return combine(form_set, [period_aggregate(p).values for p in periods])

    def province_rows(ids):
        subs = Submission.objects.filter(period__in=ids, status=Submission.Status.ACCEPTED)
        return subs.count(), SubmissionValue.objects.filter(submission__in=subs).count()

    subs_p, vals_p = province_rows([period.pk])
    subs_c, vals_c = province_rows(all_ids)
    print(f"\nMeasured: {period.province.name}, {period.label}: {subs_p:,} accepted submissions, {vals_p:,} values; "
          f"country: {len(periods)} provinces, {subs_c:,} submissions, {vals_c:,} values.")
    print(f"Median of {repeat} runs after one warm-up, (a) and (b) alternating with their floor; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.\n")

    results = []
    app_p, agg, floor_p, sums_p = timed_beside(lambda: period_aggregate(period), lambda: floor_sums([period.pk]), repeat)
    q_p = queries(lambda: period_aggregate(period))
    bad_p = check_sums(form_set, agg.values, sums_p)
    results.append(("(a) province: period_aggregate", app_p, q_p, floor_p, bad_p))
    app_c, national, floor_c, sums_c = timed_beside(
        lambda: national_aggregate(YEAR, ReportingPeriod.Kind.H1), lambda: floor_sums(all_ids), repeat)
    q_c = queries(lambda: national_aggregate(YEAR, ReportingPeriod.Kind.H1))
    bad_c = check_sums(form_set, national.values, sums_c)
    results.append((f"(b) country: national_aggregate ({len(national.periods)} provinces)", app_c, q_c, floor_c, bad_c))
    app_pp, added = timed(per_province, repeat)
    q_pp = queries(per_province)
    differ = sorted(code for code in set(added) | set(national.values)
                    if added.get(code) != national.values.get(code))
    results.append((f"    {len(periods)} x period_aggregate, added", app_pp, q_pp, floor_c, len(differ)))

    # (e) Blanks: a fifth of the province's submissions lose one operand of a formula.
    blanked = blank_some(period, form_set)
    try:
        app_e, blank_agg = timed(lambda: period_aggregate(period), repeat)
        q_e = queries(lambda: period_aggregate(period))
        reference = one_by_one(period, form_set)
        differ_e = sum(1 for code in set(reference) | set(blank_agg.values)
                       if reference.get(code) != blank_agg.values.get(code))
        results.append((f"(e) province, {len(blanked)} submissions with a blank", app_e, q_e, floor_p, differ_e))
    finally:
        restore(blanked)

    width = max(len(r[0]) for r in results)
    print(f"{'case':{width}} {'app ms':>9} {'queries':>7} {'SQL ms':>7} {'floor ms':>9} {'app/floor':>9}  sums  "
          f"target <= {RATIO_TARGET:g}x")
    for label, app, (n_queries, sql_ms), floor, bad in results:
        ratio = app / floor
        agree = "ok" if bad == 0 else f"{bad} DIFFER"
        verdict = ("PASS" if ratio <= RATIO_TARGET else "MISS") if label.startswith("(") and not label.startswith("(e)") else ""
        print(f"{label:{width}} {app:9.1f} {n_queries:7d} {sql_ms:7.1f} {floor:9.2f} {ratio:8.1f}x  {agree:4}  {verdict}")
    print("floor: SELECT code, SUM(value) ... GROUP BY code over the same accepted submissions (one query).\n"
          "queries / SQL ms: SQL queries of one call and the database's time for them (one extra, untimed call).\n"
          "sums: the app's summed input rows equal the floor's SUM; for the 34 calls: every figure equals\n"
          "national_aggregate's; for (e): every figure equals each submission computed alone and combined\n"
          "by cchc.core.statforms.aggregate. (e) is not held to the target: blanked submissions are read and\n"
          "computed one by one.")

    print(f"\n(d) report of {period.province.name}, {period.label}")
    report_ms, report = timed(lambda: build_report(period), repeat)
    docx_ms, docx = timed(lambda: build_report_docx(report), repeat)
    pdf_ms, pdf = timed(lambda: build_report_pdf(report), repeat)
    q_report, _ = queries(lambda: build_report(period))
    print(f"{'step':{width}} {'ms':>9} {'queries':>7}  size")
    print(f"{'build_report (dict, aggregates again)':{width}} {report_ms:9.1f} {q_report:7d}")
    print(f"{'build_report_docx(report)':{width}} {docx_ms:9.1f} {0:7d}  {len(docx) / 1024:,.0f} KiB")
    print(f"{'build_report_pdf(report)':{width}} {pdf_ms:9.1f} {0:7d}  {len(pdf) / 1024:,.0f} KiB")
    print(f"{'=> .docx download (dict + docx)':{width}} {report_ms + docx_ms:9.1f}")
    print(f"{'=> .pdf download (dict + pdf)':{width}} {report_ms + pdf_ms:9.1f}")
    return results


def row_counts() -> list[tuple[str, int]]:
    from cchc.reporting.models import ReportingPeriod, Submission, SubmissionValue
    from cchc.units.models import Unit

    current = Unit.objects.filter(valid_to__isnull=True)
    return [
        ("units (all eras, all kinds)", Unit.objects.count()),
        ("provinces (in force)", current.filter(kind="province").count()),
        ("departments (in force)", current.filter(kind="department", parent__kind="province").count()),
        ("communes (in force)", current.filter(kind="commune").count()),
        ("reporting periods", ReportingPeriod.objects.count()),
        ("submissions (accepted)", Submission.objects.filter(status="accepted").count()),
        ("submission values", SubmissionValue.objects.count()),
    ]


# --- main --------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per case, after one warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the generated data (default: flush it at the end)")
    parser.add_argument("--reuse", action="store_true", help="skip generation if the database already holds units")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    def generate_data():
        print("Loading every province's real units, then generating one accepted 6-month 2024 submission for each "
              "province, department and commune in force since 1/7/2025...", flush=True)
        started = time.perf_counter()
        counts = generate(random.Random(SEED))
        print(f"Generation: {time.perf_counter() - started:.1f} s (COPY; values checked with validate: "
              f"{counts['errors']} errors, {counts['warnings']} warnings in {counts['units with findings']} "
              f"of {counts['submissions']:,} submissions)", flush=True)

    def measure_data():
        for label, count in row_counts():
            print(f"  {label:27} {count:>10,}")
        measure(args.repeat)

    return run("bench/aggregate.py", args.reuse, args.keep, generate_data, measure_data)

if __name__ == "__main__":
    sys.exit(main())
