"""Scanned plans: the seed plans printed to PDF, rasterised at 200 dpi (pdftoppm), OCR'd
(ocrmypdf + tesseract-ocr-vie) and read. Prints, per seed, the share of the gold's tasks found in
the right area (same reform area, same number, content ≥ 80% alike) and the time per page, beside
the time of reading the same plan's text-layer PDF in the same run (the ratio is OCR's cost).

    .venv/bin/python bench/ocr_scan.py [SEED ...]      # default: 000 (10 pages, a few minutes)
"""

from __future__ import annotations

import difflib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc.core.ocr import page_count  # noqa: E402
from cchc.core.plan_reader import read_plan  # noqa: E402
from cchc.core.text import fold  # noqa: E402


def tasks_in_right_area(read: dict, gold: dict) -> tuple[int, int]:
    """(gold tasks found in a section of the same area with the same number and ≥ 80% alike content,
    gold tasks)."""
    found = 0
    total = 0
    by_area: dict[str, list[dict]] = {}
    for section in read["sections"]:
        by_area.setdefault(section["area"], []).extend(section["tasks"])
    for section in gold["sections"]:
        for task in section["tasks"]:
            total += 1
            want = fold(task["content"])
            for candidate in by_area.get(section["area"], []):
                if str(candidate["number"]) == str(task["number"]) and (
                    difflib.SequenceMatcher(None, fold(candidate["content"]), want).ratio() >= 0.8
                ):
                    found += 1
                    break
    return found, total


def main() -> None:
    from tests.fixtures.plan_docs import build_cached
    from tests.fixtures.scans import rasterise

    seeds = sys.argv[1:] or ["000"]
    out_dir = Path(tempfile.gettempdir()) / "cchc-bench-ocr"
    out_dir.mkdir(exist_ok=True)
    print(f"{'seed':5} {'pages':>5} {'tasks ok':>9} {'share':>6} {'text pdf s':>10} {'ocr s/page':>10} {'ratio':>7}")
    for seed in seeds:
        gold = json.loads((ROOT / "tests" / "fixtures" / "gold" / f"{seed}.json").read_text(encoding="utf-8"))
        pdf = build_cached(gold, out_dir, seed, fmt="pdf")
        start = time.perf_counter()
        read_plan(pdf, year=gold["year"])
        text_seconds = time.perf_counter() - start
        scan = rasterise(pdf, out_dir / f"{seed}-scan.pdf")
        pages = page_count(scan)
        start = time.perf_counter()
        read = read_plan(scan, year=gold["year"])
        ocr_seconds = time.perf_counter() - start
        found, total = tasks_in_right_area(read, gold)
        print(f"{seed:5} {pages:5} {found:4}/{total:<4} {found / total:6.1%} {text_seconds:10.2f} "
              f"{ocr_seconds / pages:10.1f} {ocr_seconds / text_seconds:7.0f}")


if __name__ == "__main__":
    main()
