"""Word and PDF plans to reader text (cchc.core.plan_reader.docx/.pdf), and the fixture builder.

Built documents are cached across runs in pytest's cache directory (``.pytest_cache/d/plan_docs``,
git-ignored; ``pytest --cache-clear`` empties it), so only the first run pays for WeasyPrint.
"""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile

import pytest

from cchc.core.plan_reader.docx import docx_to_text
from cchc.core.plan_reader.pdf import pdf_to_text
from tests.fixtures.plan_docs import GOLD_DIR, SEEDS, VARIANTS, build_all, build_cached

HEADER = "TT\tNội dung thực hiện\tSản phẩm/Kết quả\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành"
ROLES_HEADER = "TT\tNội dung thực hiện\tSản phẩm/Kết quả\tCơ quan thực hiện\tThời gian hoàn thành\tGhi chú"


def _task(number, content, deliverables, lead=(), coordinating=(), deadline="", **extra):
    task = {
        "number": number,
        "content": content,
        "deliverables": list(deliverables),
        "lead": list(lead),
        "coordinating": list(coordinating),
        "monitoring": [],
        "other_roles": [],
        "notes": None,
        "deadline_text": deadline,
        "milestones": [],
    }
    task.update(extra)
    return task


SMALL_PLAN = {
    "issuer": "Ủy ban nhân dân xã Kiên Thọ",
    "number": "12/KH-UBND",
    "issued_on": "2025-12-26",
    "year": 2026,
    "title": "Kế hoạch cải cách hành chính năm 2026",
    "parent_reference": "Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh Thanh Hóa",
    "targets": [{"text": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 98% trở lên"}],
    "sections": [
        {
            "number": "1",
            "area": "institutions",
            "title": "Cải cách thể chế",
            "tasks": [
                _task(
                    "1",
                    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật.",
                    ["Kế hoạch rà soát", "Báo cáo kết quả rà soát"],
                    ["Công chức Tư pháp - Hộ tịch"],
                    ["Văn phòng HĐND và UBND xã", "Các cơ quan liên quan"],
                    "- Kế hoạch: Quý I/2026. - Báo cáo: tháng 12/2026.",
                ),
                _task(
                    "2",
                    "Tuyên truyền, phổ biến pháp luật.",
                    ["Báo cáo kết quả thực hiện"],
                    ["UBND xã"],
                    ["Các cơ quan liên quan"],
                    "Thường xuyên",
                ),
                _task(
                    "3",
                    "Kiểm tra việc thi hành pháp luật.",
                    ["Kế hoạch kiểm tra", "Báo cáo kết quả kiểm tra"],
                    ["Công chức Tư pháp - Hộ tịch"],
                    ["Công an xã"],
                    "Trong năm 2026.",
                ),
            ],
        },
        {
            "number": "2",
            "area": "procedures",
            "title": "Cải cách thủ tục hành chính",
            "tasks": [
                _task(
                    "1",
                    "Công khai thủ tục hành chính tại Trung tâm Phục vụ hành chính công xã.",
                    ["Báo cáo kết quả thực hiện"],
                    deadline="Định kỳ hàng quý.",
                    other_roles=[
                        {"role": "implementing", "bodies": ["Trung tâm Phục vụ hành chính công xã"]}
                    ],
                    monitoring=["Văn phòng HĐND và UBND xã"],
                    notes="Trọng tâm",
                ),
            ],
        },
    ],
}

SECTION_1_ROWS = [
    "1\tRà soát, hệ thống hóa văn bản quy phạm pháp luật.\t- Kế hoạch rà soát.\tCông chức Tư pháp - Hộ tịch\t"
    "<ul><li>Văn phòng HĐND và UBND xã;</li><li>Các cơ quan liên quan.</li></ul>\t- Kế hoạch: Quý I/2026.",
    # the task's second deliverable and milestone: number, content and bodies merged vertically
    "\t\t- Báo cáo kết quả rà soát.\t\t\t- Báo cáo: tháng 12/2026.",
    "2\tTuyên truyền, phổ biến pháp luật.\tBáo cáo kết quả thực hiện\tUBND xã\tCác cơ quan liên quan\tThường xuyên",
    "3\tKiểm tra việc thi hành pháp luật.\t<ul><li>Kế hoạch kiểm tra;</li><li>Báo cáo kết quả kiểm tra.</li></ul>\t"
    "Công chức Tư pháp - Hộ tịch\tCông an xã\tTrong năm 2026.",
]
SECTION_2_ROW = (
    "1\tCông khai thủ tục hành chính tại Trung tâm Phục vụ hành chính công xã.\tBáo cáo kết quả thực hiện\t"
    "<ul><li>Cơ quan thực hiện: Trung tâm Phục vụ hành chính công xã.</li>"
    "<li>Cơ quan hướng dẫn, theo dõi, đôn đốc, kiểm tra: Văn phòng HĐND và UBND xã.</li></ul>\t"
    "Định kỳ hàng quý.\tTrọng tâm"
)


@pytest.fixture(scope="session")
def docs_dir(request, tmp_path_factory):
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return cache.mkdir("plan_docs")
    return tmp_path_factory.mktemp("plan_docs")


@pytest.fixture(scope="session")
def small_docs(docs_dir):
    """{(format, variant): path} for SMALL_PLAN."""
    return {
        (fmt, variant): build_cached(SMALL_PLAN, docs_dir, "small", fmt=fmt, variant=variant)
        for fmt in ("docx", "pdf")
        for variant in VARIANTS
    }


@pytest.fixture(scope="session")
def gold_docs(docs_dir):
    """{(seed, format, variant): path} for every gold file there is."""
    paths = iter(build_all(docs_dir))
    out = {}
    for seed in SEEDS:
        if (GOLD_DIR / f"{seed}.json").exists():
            for fmt in ("docx", "pdf"):
                for variant in VARIANTS:
                    out[(seed, fmt, variant)] = next(paths)
    return out


def _to_text(path):
    return docx_to_text(path) if path.suffix == ".docx" else pdf_to_text(path)


def _table_lines(text):
    return [line for line in text.splitlines() if "\t" in line and not line.startswith("ỦY BAN")]


def _plan_read_error():
    try:
        from cchc.core.plan_reader import PlanReadError
    except ImportError:  # the package's __init__ is not there yet
        from cchc.core.plan_reader.errors import PlanReadError
    return PlanReadError


# --------------------------------------------------------------------------- converters on built files


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_default_layout_gives_tab_rows_merged_cells_and_lists(small_docs, fmt):
    text = _to_text(small_docs[(fmt, "default")])
    lines = text.splitlines()
    assert "Phụ lục 01: Cải cách thể chế" in lines
    assert "Phụ lục 02: Cải cách thủ tục hành chính" in lines
    assert "KẾ HOẠCH" in lines and "CẢI CÁCH HÀNH CHÍNH NĂM 2026" in lines
    assert "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 98% trở lên." in lines
    assert _table_lines(text) == [HEADER, *SECTION_1_ROWS, ROLES_HEADER, SECTION_2_ROW]
    # body text comes before the first table, each appendix heading right before its table
    assert lines.index("KẾ HOẠCH") < lines.index("Phụ lục 01: Cải cách thể chế") < lines.index(HEADER)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_single_table_has_section_rows_merged_across_the_table(small_docs, fmt):
    text = _to_text(small_docs[(fmt, "single_table")])
    rows = _table_lines(text)
    lines = text.splitlines()
    first, second = lines.index("I. CẢI CÁCH THỂ CHẾ"), lines.index("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH")
    assert lines[first - 1] == ROLES_HEADER  # one table: the header, then section I
    assert first < second
    assert rows[0] == ROLES_HEADER and rows.count(ROLES_HEADER) == 1
    # the section II row sits between section I's last task and section II's task
    assert lines[second + 1].startswith("1\tCông khai thủ tục hành chính")
    assert lines[second - 1].startswith("3\tKiểm tra việc thi hành pháp luật.")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_reordered_columns_puts_the_deadline_before_the_bodies(small_docs, fmt):
    rows = _table_lines(_to_text(small_docs[(fmt, "reordered_columns")]))
    assert (
        rows[0]
        == "TT\tNội dung thực hiện\tSản phẩm/Kết quả\tThời gian hoàn thành\tCơ quan chủ trì\tCơ quan phối hợp"
    )
    # in the .docx the TT column is Word's own list numbering, restarting in each table
    number = "2." if fmt == "docx" else "2"
    assert (
        f"{number}\tTuyên truyền, phổ biến pháp luật.\tBáo cáo kết quả thực hiện\tThường xuyên\tUBND xã\t"
        in (row[: row.rindex("\t") + 1] for row in rows)
    )
    section_2 = [row for row in rows if "Công khai thủ tục" in row]
    assert section_2 and section_2[0].startswith("1.\t" if fmt == "docx" else "1\t")


def test_pdf_joins_a_table_continued_over_pages(docs_dir):
    plan = copy.deepcopy(SMALL_PLAN)
    plan["sections"] = [copy.deepcopy(SMALL_PLAN["sections"][0])]
    plan["sections"][0]["tasks"] = [
        _task(
            str(n),
            f"Nhiệm vụ số {n}: " + "rà soát văn bản " * 12,
            ["Báo cáo"],
            ["UBND xã"],
            ["Công an xã"],
            "Quý II/2026",
        )
        for n in range(1, 31)
    ]
    text = pdf_to_text(build_cached(plan, docs_dir, "long", fmt="pdf"))
    lines = text.splitlines()
    start = lines.index(HEADER)
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    block = lines[start:end]
    numbers = [row.split("\t", 1)[0] for row in block if row != HEADER]
    assert numbers == [str(n) for n in range(1, 31)]  # no page numbers or gaps between the pages' rows
    assert block.count(HEADER) > 1  # the repeated header rows stay (the reader skips them)


# --------------------------------------------------------------------------- docx details


def _docx_bytes(build) -> bytes:
    from docx import Document

    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_interleaves_paragraphs_and_tables_and_flattens_awkward_cells(tmp_path):
    def build(document):
        from docx.enum.text import WD_BREAK

        document.add_paragraph("Trước bảng:\tcó tab")
        table = document.add_table(rows=4, cols=3)
        for index, text in enumerate(["TT", "Nội dung", "Ghi chú"]):
            table.cell(0, index).text = text
        table.cell(1, 0).text = "1"
        table.cell(1, 1).text = "Nội dung dài"
        table.cell(1, 1).merge(table.cell(2, 1))  # content merged down over the next row
        run = table.cell(1, 2).paragraphs[0].add_run("- một;")
        run.add_break(WD_BREAK.LINE)
        run.add_text("- hai.")
        nested = table.cell(2, 2).add_table(rows=1, cols=2)
        nested.cell(0, 0).text, nested.cell(0, 1).text = "lồng", "nhau"
        table.cell(3, 0).merge(table.cell(3, 1)).text = "Hai cột gộp"
        table.cell(3, 2).text = "x"
        document.add_paragraph("Sau bảng")

    path = tmp_path / "awkward.docx"
    path.write_bytes(_docx_bytes(build))
    assert docx_to_text(path).splitlines() == [
        "Trước bảng: có tab",
        "",
        "TT\tNội dung\tGhi chú",
        "1\tNội dung dài\t<ul><li>một;</li><li>hai.</li></ul>",
        "\t\tlồng nhau",
        "Hai cột gộp\tx",
        "",
        "Sau bảng",
    ]


def test_docx_section_row_merged_across_the_table_is_one_cell(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=4)
        table.cell(0, 0).merge(table.cell(0, 3)).text = "I. CẢI CÁCH THỂ CHẾ"
        for index, text in enumerate(["1", "Nội dung", "", "Quý I/2026"]):
            table.cell(1, index).text = text

    path = tmp_path / "section.docx"
    path.write_bytes(_docx_bytes(build))
    assert _table_lines(docx_to_text(path)) == ["1\tNội dung\t\tQuý I/2026"]
    assert "I. CẢI CÁCH THỂ CHẾ" in docx_to_text(path).splitlines()


# --------------------------------------------------------------------------- unreadable files


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return buffer.getvalue()


def _xlsx_like_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(os.urandom(2048), id="random-bytes"),
        pytest.param("Kế hoạch cải cách hành chính năm 2026\n".encode(), id="text-renamed"),
        pytest.param(_empty_zip(), id="empty-zip"),
        pytest.param(_xlsx_like_zip(), id="zip-without-document"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), id="old-doc-format"),
    ],
)
def test_unreadable_docx_raises_plan_read_error_naming_the_file(tmp_path, content):
    path = tmp_path / "ke-hoach-2026.docx"
    path.write_bytes(content)
    with pytest.raises(_plan_read_error()) as caught:
        docx_to_text(path)
    assert caught.value.source_name == "ke-hoach-2026.docx"
    assert caught.value.line is None
    assert "ke-hoach-2026.docx" in caught.value.message
    assert "Word (.docx)" in caught.value.message


def test_scanned_pdf_without_text_layer_raises(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 300), outline="black", width=3)
    path = tmp_path / "ban-quet.pdf"
    image.save(path, "PDF")
    with pytest.raises(_plan_read_error()) as caught:
        pdf_to_text(path)
    assert caught.value.source_name == "ban-quet.pdf"
    assert caught.value.line is None
    assert caught.value.message.startswith("Tệp PDF không có lớp văn bản (có thể là bản quét)")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(os.urandom(4096), id="random-bytes"),
        pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", id="truncated"),
        pytest.param(b"", id="empty"),
    ],
)
def test_corrupt_pdf_raises_plan_read_error(tmp_path, content):
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)
    with pytest.raises(_plan_read_error()) as caught:
        pdf_to_text(path)
    assert caught.value.source_name == "hong.pdf"
    assert "hong.pdf" in caught.value.message


# --------------------------------------------------------------------------- round trips through the reader


def _read_plan():
    try:
        from cchc.core.plan_reader import read_plan
    except ImportError:
        pytest.skip("cchc.core.plan_reader.read_plan is not written yet")
    return read_plan


def _outline(plan: dict) -> list[tuple[str, list[str]]]:
    return [
        (s.get("area"), [str(t.get("number")) for t in s.get("tasks") or []])
        for s in plan.get("sections") or []
    ]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_small_plan_round_trip(small_docs, fmt, variant):
    got = _read_plan()(small_docs[(fmt, variant)])
    assert _outline(got) == _outline(SMALL_PLAN)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_gold_round_trip(gold_docs, seed, fmt, variant):
    gold_path = GOLD_DIR / f"{seed}.json"
    if not gold_path.exists():
        pytest.skip(f"gold annotation {gold_path.name} is not written yet")
    read_plan = _read_plan()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    got = read_plan(gold_docs[(seed, fmt, variant)])
    assert _outline(got) == _outline(gold)
