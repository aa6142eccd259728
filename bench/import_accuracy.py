"""Accuracy of the plan reader against the hand-written gold annotations.

    .venv/bin/python bench/import_accuracy.py            # table
    .venv/bin/python bench/import_accuracy.py --verbose  # plus missed / extra tasks per row
    .venv/bin/python bench/import_accuracy.py --json     # machine-readable
    .venv/bin/python bench/import_accuracy.py --year     # pass the gold's year to read_plan

For every seed plan with a gold file (tests/fixtures/gold/NNN.json) and every format (.txt, the
seed itself; .docx and .pdf when tests/fixtures/plan_docs.py offers build_docx / build_pdf), run
`cchc.core.plan_reader.read_plan` and score the result with `cchc.core.plan_accuracy.score`.
Cells are precision/recall in percent ("-" where there is nothing to count). A row whose reader
fails prints the error and the run goes on. Always exits 0: this measures, it does not gate.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cchc.core.plan_accuracy import FIELDS, Score, aggregate, score  # noqa: E402

GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"
SEED_DIR = ROOT / "cchc" / "demo" / "seeds"
BUILDERS = ROOT / "tests" / "fixtures" / "plan_docs.py"
FORMATS = ("txt", "docx", "pdf")
SHORT = {
    "task": "task",
    "content": "content",
    "deliverables": "deliv",
    "lead": "lead",
    "coordinating": "coord",
    "monitoring": "monit",
    "other_roles": "roles",
    "deadline_text": "deadline",
    "milestone_kind": "ms.kind",
    "milestone_due": "ms.due",
}


# --------------------------------------------------------------------------- loading


def load_reader():
    """`read_plan`, or the exception that prevented importing it."""
    try:
        return importlib.import_module("cchc.core.plan_reader").read_plan
    except Exception as exc:  # noqa: BLE001 - any failure is reported in the table
        if "settings" in str(exc).lower() or "apps aren't loaded" in str(exc).lower():
            try:
                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
                import django

                django.setup()
                return importlib.import_module("cchc.core.plan_reader").read_plan
            except Exception as exc2:  # noqa: BLE001
                return exc2
        return exc


def load_builders() -> dict:
    """{"docx": build_docx, "pdf": build_pdf} for whichever the fixture module offers."""
    if not BUILDERS.exists():
        return {}
    try:
        spec = importlib.util.spec_from_file_location("_plan_docs_builders", BUILDERS)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001
        return {"docx": exc, "pdf": exc}
    return {
        fmt: getattr(module, f"build_{fmt}") for fmt in ("docx", "pdf") if hasattr(module, f"build_{fmt}")
    }


def seeds() -> list[tuple[str, dict, Path | None]]:
    out = []
    for gold_path in sorted(GOLD_DIR.glob("*.json")):
        seed = gold_path.stem
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        txt = sorted(SEED_DIR.glob(f"{seed}_*.txt"))
        out.append((seed, gold, txt[0] if txt else None))
    return out


def build(builder, gold: dict, seed_txt: Path | None, path: Path) -> Path:
    """Call a builder with the gold dict; fall back to the seed path if it wants that instead."""
    try:
        result = builder(gold, path)
    except TypeError:
        if seed_txt is None:
            raise
        result = builder(seed_txt, path)
    return Path(result) if isinstance(result, str | Path) else path


# --------------------------------------------------------------------------- formatting


def pct(value: float | None) -> str:
    return "-" if value is None else f"{round(100 * value):d}"


def pr(fs) -> str:
    return f"{pct(fs.precision)}/{pct(fs.recall)}"


HEADER = (
    ["document", "format", "tasks", "matched"] + [SHORT[f] for f in FIELDS] + ["overall", "meta", "targets"]
)


def row_cells(doc: str, fmt: str, s: Score) -> list[str]:
    return (
        [doc, fmt, f"{s.tasks_found}/{s.tasks_expected}", str(s.tasks_matched)]
        + [pr(s.fields[f]) for f in FIELDS]
        + [pct(s.overall), f"{s.metadata_correct}/{s.metadata_scored}", pr(s.targets)]
    )


def print_table(rows: list[list[str] | tuple[str, str, str]]) -> None:
    widths = [len(h) for h in HEADER]
    for r in rows:
        if isinstance(r, list):
            widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs)

    print(line(HEADER))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        if isinstance(r, list):
            if r[0] == "TOTAL":
                print("  ".join("-" * w for w in widths))
            print(line(r))
        else:
            doc, fmt, message = r
            print(f"{doc.ljust(widths[0])}  {fmt.ljust(widths[1])}  {message}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra tasks per row")
    parser.add_argument("--year", action="store_true", help="pass the gold's year to read_plan")
    args = parser.parse_args(argv)

    read_plan = load_reader()
    builders = load_builders()
    rows: list = []
    results: list[dict] = []
    scores: dict[str, list[Score]] = {fmt: [] for fmt in FORMATS}
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        for seed, gold, seed_txt in seeds():
            for fmt in FORMATS:
                record = {"document": seed, "format": fmt}
                results.append(record)
                if fmt == "txt":
                    if seed_txt is None:
                        rows.append((seed, fmt, "skipped (seed text not found)"))
                        record["skipped"] = "seed text not found"
                        continue
                    path = seed_txt
                else:
                    builder = builders.get(fmt)
                    if builder is None:
                        rows.append((seed, fmt, "skipped (no builder)"))
                        record["skipped"] = "no builder"
                        continue
                    try:
                        if isinstance(builder, Exception):
                            raise builder
                        path = build(builder, gold, seed_txt, Path(tmp) / f"{seed}.{fmt}")
                    except Exception as exc:  # noqa: BLE001
                        rows.append((seed, fmt, f"builder error: {type(exc).__name__}: {exc}"))
                        record["error"] = f"builder: {type(exc).__name__}: {exc}"
                        continue
                if isinstance(read_plan, Exception):
                    message = f"read_plan unavailable: {type(read_plan).__name__}: {read_plan}"
                    rows.append((seed, fmt, message))
                    record["error"] = message
                    continue
                try:
                    parsed = read_plan(str(path), year=gold.get("year") if args.year else None)
                except Exception as exc:  # noqa: BLE001
                    message = f"error: {type(exc).__name__}: {exc}"
                    rows.append((seed, fmt, message))
                    record["error"] = message
                    if args.verbose:
                        notes.append(f"{seed}.{fmt}:\n{traceback.format_exc()}")
                    continue
                s = score(parsed, gold)
                scores[fmt].append(s)
                rows.append(row_cells(seed, fmt, s))
                record["score"] = s.to_dict()
                if args.verbose and (s.missing or s.extra or s.metadata_correct < s.metadata_scored):
                    wrong_meta = [k for k, ok in s.metadata.items() if ok is False]
                    notes.append(
                        f"{seed}.{fmt}: missing {s.missing or '-'}; extra {s.extra or '-'}; "
                        f"metadata wrong {wrong_meta or '-'}"
                    )

    totals = {}
    for fmt in FORMATS:
        if scores[fmt]:
            total = aggregate(scores[fmt])
            totals[fmt] = total.to_dict()
            rows.append(row_cells("TOTAL", fmt, total))
    everything = [s for fmt in FORMATS for s in scores[fmt]]
    if len([fmt for fmt in FORMATS if scores[fmt]]) > 1:
        total = aggregate(everything)
        totals["all"] = total.to_dict()
        rows.append(row_cells("TOTAL", "all", total))
    if not everything:
        rows.append(["TOTAL", "-", "0/0", "0"] + ["-/-"] * len(FIELDS) + ["-", "0/0", "-/-"])

    if args.json:
        print(json.dumps({"rows": results, "totals": totals}, ensure_ascii=False, indent=1))
        return 0
    print("Plan reader accuracy against tests/fixtures/gold (cells: precision/recall %)")
    print_table(rows)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`
        sys.exit(0)
