"""Speed and memory of the plan reader, beside the cost of merely reading the same file.

    .venv/bin/python bench/import_speed.py [--repeat N]

For each seed plan and format (.txt: the seed; .docx and .pdf: built from the gold annotations
by tests/fixtures/plan_docs.py), prints the median time of `read_plan` (read + parse) and of the
baseline read alone, measured in the same run: text decode for .txt, python-docx's Document()
load for .docx, pdfplumber's own extract_text() of every page for .pdf. The ratio read_plan /
baseline is what the targets speak of (.txt: ≤ 150 ms for 50 KB; .docx/.pdf: ratio ≤ 2).
Peak memory is tracemalloc's peak during one read_plan.

For .pdf a second table compares, in the same run, the fastest text extraction of the file
(PDFium's plain text of every page, pypdfium2), the PDF-to-text step as read today (PDFium
characters and ruled lines, pdfplumber's table finder on them) and the same step read by
pdfplumber alone (pdfminer's layout, the previous reader): each as ms and as a ratio to the
fastest extraction.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cchc.core.plan_reader import read_plan  # noqa: E402

SEEDS = {"000": "000_2e2ce113b0e961ad.txt", "001": "001_f427b61819319772.txt",
         "002": "002_442362603b7241c1.txt", "004": "004_4c8b279deba99ff8.txt"}


def read_only(path: Path) -> None:
    if path.suffix == ".txt":
        path.read_bytes().decode("utf-8-sig")
    elif path.suffix == ".docx":
        import docx

        docx.Document(str(path))
    else:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                page.extract_text()


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def documents(out_dir: Path):
    from tests.fixtures.plan_docs import build_cached

    for seed, file_name in SEEDS.items():
        yield seed, ROOT / "cchc" / "demo" / "seeds" / file_name
        gold = json.loads((ROOT / "tests" / "fixtures" / "gold" / f"{seed}.json").read_text(encoding="utf-8"))
        for fmt in ("docx", "pdf"):
            yield seed, build_cached(gold, out_dir, seed, fmt=fmt)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    out_dir = Path(tempfile.gettempdir()) / "cchc-bench-docs"
    print(f"{'seed':5} {'fmt':5} {'KB':>6} {'read_plan ms':>13} {'baseline ms':>12} {'ratio':>6} {'peak MB':>8}")
    ratios: dict[str, list[float]] = {}
    for seed, path in documents(out_dir):
        year = json.loads((ROOT / "tests" / "fixtures" / "gold" / f"{seed}.json").read_text())["year"]
        read_plan(path, year=year)  # warm caches and imports before timing
        parse = median_ms(lambda path=path, year=year: read_plan(path, year=year), args.repeat)
        base = median_ms(lambda path=path: read_only(path), args.repeat)
        tracemalloc.start()
        read_plan(path, year=year)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        fmt = path.suffix[1:]
        ratios.setdefault(fmt, []).append(parse / base)
        print(f"{seed:5} {fmt:5} {path.stat().st_size / 1024:6.0f} {parse:13.1f} {base:12.1f} {parse / base:6.1f} {peak:8.1f}")
    for fmt, values in ratios.items():
        print(f"median ratio {fmt}: {statistics.median(values):.2f}")
    pdf_step(out_dir, args.repeat)


def pdfium_text(path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    for page in doc:
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    doc.close()


def pdf_step(out_dir: Path, repeat: int) -> None:
    from cchc.core.plan_reader.pdf import pdf_to_text, pdf_to_text_pdfplumber

    print()
    print(f"{'seed':5} {'pages':>5} {'pdfium text ms':>15} {'pdf_to_text ms':>15} {'ratio':>6} "
          f"{'pdfplumber ms':>14} {'ratio':>6}")
    now, before = [], []
    for seed, path in documents(out_dir):
        if path.suffix != ".pdf":
            continue
        pdf_to_text(path)
        base = median_ms(lambda path=path: pdfium_text(path), repeat)
        fast = median_ms(lambda path=path: pdf_to_text(path), repeat)
        slow = median_ms(lambda path=path: pdf_to_text_pdfplumber(path), max(1, repeat // 2))
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(str(path)))
        now.append(fast / base)
        before.append(slow / base)
        print(f"{seed:5} {pages:5} {base:15.1f} {fast:15.1f} {fast / base:6.1f} {slow:14.1f} {slow / base:6.1f}")
    print(f"median ratio to the fastest extraction: pdf_to_text {statistics.median(now):.1f}, "
          f"pdfplumber alone {statistics.median(before):.1f}")


if __name__ == "__main__":
    main()
