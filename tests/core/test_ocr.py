"""Scanned PDFs (cchc.core.ocr): told from PDFs with text, OCR'd with ocrmypdf + tesseract-ocr-vie
with progress, then read as any plan, every task marked as read from a scan. A clear message names
the Debian packages when they are missing. ocrmypdf and tesseract-ocr-vie are required under CI
(.ci/run installs them)."""

from __future__ import annotations

import os

import pytest

from cchc.core import ocr
from cchc.core.plan_reader import PlanReadError, read_plan
from tests.core.test_plan_docs import SMALL_PLAN
from tests.fixtures.plan_docs import build_cached
from tests.fixtures.scans import rasterise

need_ocr = pytest.mark.skipif(
    ocr.ocr_missing() is not None and not os.environ.get("CI"),
    reason="ocrmypdf / tesseract-ocr-vie are not installed; CI installs them",
)


@pytest.fixture(scope="module")
def small_pdf(request, tmp_path_factory):
    cache = getattr(request.config, "cache", None)
    root = cache.mkdir("plan_docs") if cache is not None else tmp_path_factory.mktemp("plan_docs")
    return build_cached(SMALL_PLAN, root, "small", fmt="pdf")


@pytest.fixture(scope="module")
def small_scan(small_pdf, tmp_path_factory):
    return rasterise(small_pdf, tmp_path_factory.mktemp("scan") / "ke-hoach-ban-quet.pdf", dpi=200)


def test_a_scan_is_told_from_a_pdf_with_text(small_pdf, small_scan, tmp_path):
    assert ocr.is_scan(small_scan)
    assert not ocr.is_scan(small_pdf)
    junk = tmp_path / "hong.pdf"
    junk.write_bytes(b"%PDF-1.7 broken")
    assert not ocr.is_scan(junk)


def test_without_ocr_tools_the_message_names_the_packages(small_scan, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither ocrmypdf nor tesseract
    with pytest.raises(PlanReadError) as caught:
        read_plan(small_scan)
    message = caught.value.message
    assert "ke-hoach-ban-quet.pdf" in message and "bản quét" in message
    assert "ocrmypdf" in message and "tesseract-ocr-vie" in message


@need_ocr
def test_a_scanned_plan_is_ocrd_with_progress_and_its_tasks_marked(small_scan):
    heard: list[tuple[int, int]] = []
    plan = read_plan(small_scan, year=SMALL_PLAN["year"], progress=lambda done, total: heard.append((done, total)))
    pages = ocr.page_count(small_scan)
    assert heard[0] == (0, pages) and heard[-1] == (pages, pages)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert plan["read_from_scan"] is True
    tasks = [t for s in plan["sections"] for t in s["tasks"]]
    assert tasks and all(t["from_scan"] is True for t in tasks)
    expected = [(s["area"], [t["number"] for t in s["tasks"]]) for s in SMALL_PLAN["sections"]]
    assert [(s["area"], [t["number"] for t in s["tasks"]]) for s in plan["sections"]] == expected
    assert plan["year"] == SMALL_PLAN["year"]


def test_a_text_pdf_is_not_marked_as_a_scan(small_pdf):
    plan = read_plan(small_pdf, year=SMALL_PLAN["year"])
    assert "read_from_scan" not in plan
    assert not any(t.get("from_scan") for s in plan["sections"] for t in s["tasks"])


def test_misread_task_numbers_are_mended_from_the_row_before():
    from cchc.core.plan_reader import repair_row_numbers

    text = "\n".join([
        "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tThời gian",
        "nh\tRà soát văn bản.\tKế hoạch\tTư pháp\tQuý I/2026",
        "\tvà báo cáo\t\t\t",
        "22\tTuyên truyền.\tBáo cáo\tUBND xã\tThường xuyên",
        "y¿\tKiểm tra.\tBáo cáo\tCông an xã\tTrong năm 2026.",
        "\tThanh tra công vụ.\tBáo cáo\tNội vụ\tQuý IV/2026.",
        "\t\t- Báo cáo kết quả.\t\tQuý IV/2026.",
        "2",
        "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tThời gian",  # repeated on a new page
        "5\tTiếp nhận hồ sơ.\tBáo cáo\tTrung tâm\tThường xuyên",
        "Phụ lục 02: Cải cách thủ tục hành chính",
        "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tThời gian",
        "l\tCông khai thủ tục.\tBáo cáo\tTrung tâm\tĐịnh kỳ hàng quý.",
    ])
    firsts = [line.split("\t")[0] for line in repair_row_numbers(text).split("\n")]
    assert firsts == ["TT", "1", "", "2", "3", "4", "", "2", "TT", "5", "Phụ lục 02: Cải cách thủ tục hành chính",
                      "TT", "1"]
