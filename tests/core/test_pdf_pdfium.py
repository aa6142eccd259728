"""PDF plans read at text speed: PDFium's characters and ruled lines (cchc.core.plan_reader.pdfium_pages)
give the same reader text as pdfplumber alone, on the seed plans' PDFs and the small plan's variants."""

from __future__ import annotations

import json

import pytest

from cchc.core.plan_reader import read_plan
from cchc.core.plan_reader.pdf import pdf_to_text, pdf_to_text_pdfplumber
from cchc.core.plan_reader.pdfium_pages import read_pages
from tests.fixtures.plan_docs import GOLD_DIR, SEEDS, build_cached


@pytest.fixture(scope="module")
def docs_dir(request, tmp_path_factory):
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return cache.mkdir("plan_docs")
    return tmp_path_factory.mktemp("plan_docs")


def _gold(seed: str) -> dict:
    return json.loads((GOLD_DIR / f"{seed}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS)
def test_pdfium_text_is_pdfplumbers_text(docs_dir, seed):
    path = build_cached(_gold(seed), docs_dir, seed, fmt="pdf")
    assert pdf_to_text(path) == pdf_to_text_pdfplumber(path)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_gold_task_is_found_from_the_pdf(docs_dir, seed):
    gold = _gold(seed)
    plan = read_plan(build_cached(gold, docs_dir, seed, fmt="pdf"), year=gold["year"])
    found = [(t["number"], t["content"]) for s in plan["sections"] for t in s["tasks"]]
    expected = [(t["number"], t["content"]) for s in gold["sections"] for t in s["tasks"]]
    assert found == expected


def test_pages_give_characters_from_the_top_and_table_rules(docs_dir):
    pages = list(read_pages(build_cached(_gold("000"), docs_dir, "000", fmt="pdf")))
    assert [p.number for p in pages] == list(range(len(pages)))
    first = pages[0]
    assert first.width > 500 and first.height > 0
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "".join(c["text"] for c in first.chars)
    assert all(0 <= c["top"] < c["bottom"] <= p.height for p in pages for c in p.chars)
    ruled = [p for p in pages if p.edges]
    assert ruled and {e["orientation"] for p in ruled for e in p.edges} == {"h", "v"}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("variant", ["default", "single_table"])
def test_lattice_finds_pdfplumbers_cells(docs_dir, seed, variant):
    from pdfplumber.table import TableFinder

    from cchc.core.plan_reader.lattice import find_tables

    pages = list(read_pages(build_cached(_gold(seed), docs_dir, seed, fmt="pdf", variant=variant)))
    found = [[(t.cells, t.bbox) for t in find_tables(p.rules)] for p in pages]
    assert found == [[(t.cells, t.bbox) for t in TableFinder(p).tables] for p in pages]
    assert sum(len(tables) for tables in found) >= len(pages) - 1  # the plan's tables are found
