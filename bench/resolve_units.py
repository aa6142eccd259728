"""Benchmark the body-name resolver on the seed bodies (tests/fixtures/seed_bodies.json).

Run from the repository root: .venv/bin/python bench/resolve_units.py

Prints accuracy (correct / total), unresolved and wrong counts, and names resolved per second, beside a
baseline measured in the same run: an exact dict lookup of folded names (fold(name) -> code).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc.core.text import fold  # noqa: E402
from cchc.core.units import NameIndex, province_units  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "seed_bodies.json"


def as_expected(outcome, unit_codes=(), class_key=None, office_name=None) -> dict:
    out = {"outcome": outcome}
    if unit_codes:
        out["unit_codes"] = list(unit_codes)
    if class_key:
        out["class_key"] = class_key
    if office_name:
        out["office_name"] = office_name
    return out


def rate(fn, inputs, seconds: float = 1.0) -> tuple[float, int]:
    """Names per second resolving all inputs repeatedly for about `seconds`."""
    n = 0
    start = time.perf_counter()
    while True:
        for args in inputs:
            fn(*args)
        n += len(inputs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed, n


def main() -> None:
    t0 = time.perf_counter()
    records = province_units("thanh-hoa")
    t1 = time.perf_counter()
    index = NameIndex(records)
    t2 = time.perf_counter()
    bodies = json.loads(FIXTURE.read_text(encoding="utf-8"))["bodies"]
    inputs = [(b["text"], date.fromisoformat(b["on"]), b["issuer_code"]) for b in bodies]

    correct = unresolved = wrong = missed = 0
    failures = []
    for b, (text, on, issuer) in zip(bodies, inputs, strict=True):
        r = index.resolve(text, on=on, issuer_code=issuer)
        got = as_expected(r.outcome, r.unit_codes, r.class_key, r.office_name)
        if r.outcome == "unresolved":
            unresolved += 1
        if got == b["expected"]:
            correct += 1
        elif r.outcome == "unresolved":
            missed += 1
            failures.append((text, got, b["expected"]))
        else:
            wrong += 1
            failures.append((text, got, b["expected"]))

    # Baseline: exact lookup of the folded text among folded names and short names.
    baseline_dict: dict[str, str] = {}
    for rec in records:
        for name in (rec.name, *rec.short_names):
            baseline_dict.setdefault(fold(name), rec.code)

    def baseline(text, _on, _issuer):
        return baseline_dict.get(fold(text))

    base_correct = sum(
        (
            lambda code, exp: (
                (code is None and exp["outcome"] == "unresolved") or exp.get("unit_codes") == [code]
            )
        )(baseline(*args), b["expected"])
        for b, args in zip(bodies, inputs, strict=True)
    )

    ours_rate, ours_n = rate(lambda t, on, i: index.resolve(t, on=on, issuer_code=i), inputs)
    base_rate, base_n = rate(baseline, inputs)

    total = len(bodies)
    expected_unresolved = sum(b["expected"]["outcome"] == "unresolved" for b in bodies)
    print(
        f"records: {len(records)} (loaded in {t1 - t0:.3f} s); index: {len(index._exact)} keys, built in {t2 - t1:.3f} s"
    )
    print(f"seed bodies: {total}")
    print(f"accuracy: {correct} / {total} = {100.0 * correct / total:.1f}%")
    print(f"unresolved: {unresolved} (expected unresolved: {expected_unresolved}; missed: {missed})")
    print(f"wrong: {wrong}")
    print(f"speed: {ours_rate:,.0f} names/s ({ours_n} resolutions)")
    print(
        f"baseline (exact dict of folded names): {base_rate:,.0f} names/s, "
        f"accuracy {base_correct} / {total} = {100.0 * base_correct / total:.1f}%"
    )
    print(f"speed ratio resolver / baseline: {ours_rate / base_rate:.3f}")
    for text, got, exp in failures:
        print(f"  MISMATCH {text!r}: got {got}, expected {exp}")


if __name__ == "__main__":
    main()
