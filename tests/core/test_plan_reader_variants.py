"""The plan reader on layout variants built from the seeds, on the Word (tab) dialect as the
.docx converter emits it, and on documents it must refuse. Runs with `-p no:django`."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from cchc.core.plan_reader import PlanReadError, read_plan, read_plan_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "cchc" / "demo" / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "gold"
AREAS = [
    "institutions",
    "procedures",
    "organization",
    "civil_service",
    "public_finance",
    "digital_government",
    "direction",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]
AREA_TITLES = [
    "CẢI CÁCH THỂ CHẾ",
    "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    "CẢI CÁCH TỔ CHỨC BỘ MÁY",
    "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ",
    "CẢI CÁCH TÀI CHÍNH CÔNG",
    "XÂY DỰNG CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
    "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH",
]


def seed_text(n: str) -> str:
    return next(SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8")


def tasks_without_lines(plan: dict) -> list[tuple[str, dict]]:
    """(area, task) pairs with the line numbers dropped: what a variant must reproduce."""
    return [
        (s["area"], {k: v for k, v in t.items() if k != "source_lines"})
        for s in plan["sections"]
        for t in s["tasks"]
    ]


def accuracy(plan: dict, n: str) -> float:
    from cchc.core.plan_accuracy import score

    return score(plan, json.loads((GOLD / f"{n}.json").read_text(encoding="utf-8"))).overall


_HEADER_BITS = {
    "sản phẩm/kết",
    "quả",
    "cơ quan chủ trì",
    "cơ quan phối",
    "hợp",
    "thời gian hoàn",
    "thành",
    "thời gian",
    "hoàn thành",
    "cơ quan phối hợp",
    "cơ quan chủ trì cơ quan phối hợp",
}


def header_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges of the column header rows of a flowing (PDF) text."""
    blocks = []
    i = 0
    while i < len(lines):
        if re.match(r"^\s*TT (Nội dung|Nhiệm vụ)", lines[i]):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].strip().lower() in _HEADER_BITS):
                j += 1
            blocks.append((i, j))
            i = j
        else:
            i += 1
    return blocks


# ---------------------------------------------------------------------------- text variants


@pytest.mark.parametrize("n", ["000", "002"])
def test_nfd_text_reads_the_same(n):
    text = seed_text(n)
    assert read_plan_text(unicodedata.normalize("NFD", text)) == read_plan_text(text)


@pytest.mark.parametrize("n", ["001", "004"])
def test_crlf_and_cr_line_endings_read_the_same(n):
    text = seed_text(n)
    assert read_plan_text(text.replace("\n", "\r\n")) == read_plan_text(text)
    assert read_plan_text(text.replace("\n", "\r")) == read_plan_text(text)


def test_header_rows_repeated_before_every_task():
    text = seed_text("000")
    lines = text.split("\n")
    blocks = header_blocks(lines)
    out: list[str] = []
    for i, ln in enumerate(lines):
        before = [b for b in blocks if b[1] <= i]
        if before and re.fullmatch(r"\d{1,2}\.?", ln.strip()):
            start, end = before[-1]  # the header of the table this task is in
            out.extend(lines[start:end])
        out.append(ln)
    variant = read_plan_text("\n".join(out))
    assert tasks_without_lines(variant) == tasks_without_lines(read_plan_text(text))


def test_repeated_header_rows_removed():
    text = seed_text("004")
    lines = text.split("\n")
    blocks = header_blocks(lines)
    keep = set(range(len(lines)))
    # keep the first header of each appendix, drop the ones repeated after page breaks
    seen_appendix = -1
    for start, end in blocks:
        appendix = max((k for k in range(start) if lines[k].strip().startswith("Phụ lục")), default=-1)
        if appendix == seen_appendix:
            keep -= set(range(start, end))
        seen_appendix = appendix
    variant = read_plan_text("\n".join(lines[k] for k in sorted(keep)))
    assert [len(s["tasks"]) for s in variant["sections"]] == [5, 9, 7, 5, 9, 11, 4]
    assert accuracy(variant, "004") >= 0.95


def test_all_header_rows_removed_uses_the_usual_column_order():
    text = seed_text("004")
    lines = text.split("\n")
    drop = {k for start, end in header_blocks(lines) for k in range(start, end)}
    variant = read_plan_text("\n".join(ln for k, ln in enumerate(lines) if k not in drop))
    assert [s["area"] for s in variant["sections"]] == AREAS
    assert [len(s["tasks"]) for s in variant["sections"]] == [5, 9, 7, 5, 9, 11, 4]
    assert accuracy(variant, "004") >= 0.9


def test_one_flowing_table_with_section_rows():
    text = seed_text("000")
    k = 0

    def section_row(_m: re.Match) -> str:
        nonlocal k
        k += 1
        return f"{ROMAN[k - 1]}. {AREA_TITLES[k - 1]}"

    variant_text = re.sub(r"(?m)^\s*Phụ lục số 0\d:.*$", section_row, text)
    assert k == 7
    variant = read_plan_text(variant_text)
    assert [s["number"] for s in variant["sections"]] == ROMAN
    assert [s["area"] for s in variant["sections"]] == AREAS
    assert tasks_without_lines(variant) == tasks_without_lines(read_plan_text(text))


def test_one_word_table_with_section_rows_and_areas_in_another_order():
    lines = seed_text("002").split("\n")
    header = next(ln for ln in lines if ln.startswith("TT\t"))
    out = ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021", "", header]
    blocks: dict[int, list[str]] = {}
    current = None
    for ln in lines:
        m = re.match(r"^Phụ lục số 0(\d)", ln)
        if m:
            current = int(m.group(1))
            blocks[current] = []
        elif current and "\t" in ln and not ln.startswith("TT\t"):
            cells = ln.split("\t")
            if len(cells) == 7:  # a table whose "Nhiệm vụ" column is split in two: one table, one width
                del cells[2]
            blocks[current].append("\t".join(cells))
    order = [7, 1, 6, 2, 5, 3, 4]  # areas in another order, recognised by name
    for rank, appendix in enumerate(order):
        out.append(f"{ROMAN[rank]}. {AREA_TITLES[appendix - 1]}")  # a merged row: one cell
        out.extend(blocks[appendix])
    variant = read_plan_text("\n".join(out))
    assert [s["area"] for s in variant["sections"]] == [AREAS[a - 1] for a in order]
    original = dict(tasks_without_lines_by_area(read_plan_text("\n".join(lines))))
    for area, tasks in tasks_without_lines_by_area(variant):
        assert tasks == original[area]


def tasks_without_lines_by_area(plan: dict) -> list[tuple[str, list[dict]]]:
    return [
        (s["area"], [{k: v for k, v in t.items() if k != "source_lines"} for t in s["tasks"]])
        for s in plan["sections"]
    ]


def test_word_table_columns_in_another_order():
    text = seed_text("002")

    def shuffle(line: str) -> str:
        if "\t" not in line:
            return line
        cells = line.split("\t")
        if len(cells) == 7:  # the tables whose "Nhiệm vụ" column is split in two: drop the debris
            del cells[2]
        # TT, Nhiệm vụ, Sản phẩm, Cơ quan, Thời gian, Ghi chú -> Thời gian, TT, Cơ quan, Nhiệm vụ, Ghi chú, Sản phẩm
        tt, content, product, bodies, time, notes = cells
        return "\t".join([time, tt, bodies, content, notes, product])

    variant = read_plan_text("\n".join(shuffle(ln) for ln in text.split("\n")))
    assert [len(s["tasks"]) for s in variant["sections"]] == [5, 5, 5, 6, 3, 7, 4]
    assert tasks_without_lines(variant) == tasks_without_lines(read_plan_text(text))


def test_page_numbers_and_footnotes_inside_tables():
    original = tasks_without_lines(read_plan_text(seed_text("000")))
    text = seed_text("000")
    # a page number between rows, and a footnote + page number before a repeated header inside a split row
    text = text.replace("\n4.  \n", "\n17 \n\n4.  \n", 1)
    text = text.replace(
        "04/2022 \n TT Nội dung",
        "04/2022 \n\n1 Theo Quyết định số 2725/QĐ-UBND ngày 21/7/2021 của UBND tỉnh. \n\n5 \n TT Nội dung",
        1,
    )
    assert "1 Theo Quyết định" in text
    assert tasks_without_lines(read_plan_text(text)) == original


# ------------------------------------------------------------------ the Word (.docx) dialect

DOCX_TEXT = """ỦY BAN NHÂN DÂN
XÃ THỬ NGHIỆM
KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024
II. NỘI DUNG
1. Một số mục tiêu, chỉ tiêu cụ thể
1.1. Tỷ lệ hồ sơ giải quyết đúng hạn từ 98% trở lên.
2. Nội dung, nhiệm vụ
STT\tNội dung nhiệm vụ\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\tGhi chú
I. CẢI CÁCH THỂ CHẾ
1\tRà soát văn bản quy phạm pháp luật.\t<ul><li>Kế hoạch rà soát;</li><li>Báo cáo kết quả.</li></ul>\tCông chức Tư pháp - Hộ tịch\tCác công chức chuyên môn; UBND các thôn\tQuý II/2024\t
\t\tQuyết định công bố kết quả\tVăn phòng HĐND và UBND xã\t\tTháng 12/2024\t
2\tTuyên truyền pháp luật. Tổ chức hội nghị.\tBáo cáo kết quả thực hiện\tCông chức Tư pháp - Hộ tịch\t\tThường xuyên\tLồng ghép
II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH
1\tCông khai thủ tục hành chính.\tBáo cáo\tBộ phận một cửa\tCác bộ phận chuyên môn\tHằng quý\t
"""


def test_word_dialect_sections_continuation_rows_and_lists():
    p = read_plan_text(DOCX_TEXT)
    assert p["issuer"] == "Ủy ban nhân dân xã Thử Nghiệm"
    assert p["year"] == 2024
    assert p["targets"] == [
        {
            "text": "Tỷ lệ hồ sơ giải quyết đúng hạn từ 98% trở lên",
            "area": "procedures",
            "op": ">=",
            "value": 98,
            "unit": "%",
        }
    ]
    assert [(s["number"], s["area"], len(s["tasks"])) for s in p["sections"]] == [
        ("I", "institutions", 2),
        ("II", "procedures", 1),
    ]
    t = p["sections"][0]["tasks"][0]
    assert t["content"] == "Rà soát văn bản quy phạm pháp luật."
    assert t["deliverables"] == ["Kế hoạch rà soát", "Báo cáo kết quả", "Quyết định công bố kết quả"]
    assert t["lead"] == ["Công chức Tư pháp - Hộ tịch", "Văn phòng HĐND và UBND xã"]
    assert t["coordinating"] == ["Các công chức chuyên môn", "UBND các thôn"]
    assert [m["kind"] for m in t["milestones"]] == ["quarter", "month"]
    assert t["source_lines"] == [10, 11]
    t = p["sections"][0]["tasks"][1]
    assert t["notes"] == "Lồng ghép"
    assert t["coordinating"] == []
    assert p["sections"][1]["tasks"][0]["milestones"][0]["kind"] == "recurring"


# --------------------------------------------------------------------------------- refusals


def test_garbage_raises_with_a_line():
    with pytest.raises(PlanReadError) as exc:
        read_plan_text("Lorem ipsum dolor sit amet.\n" * 40, source_name="rac.txt")
    e = exc.value
    assert e.line == 40 and e.source_name == "rac.txt"
    assert str(e) == f"rac.txt:40: {e.message}"
    assert "bảng nhiệm vụ" in e.message


def test_empty_text_raises():
    with pytest.raises(PlanReadError):
        read_plan_text("  \n\n")


def test_table_of_unknown_area_raises_at_its_heading():
    text = (
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024\n\n"
        "Phụ lục số 01: Các việc khác\n"
        "TT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tThời gian hoàn thành\n"
        "1\tLàm một việc.\tBáo cáo\tUBND xã\tQuý I/2024\n"
    )
    with pytest.raises(PlanReadError) as exc:
        read_plan_text(text)
    assert exc.value.line == 3
    assert "lĩnh vực" in exc.value.message


def test_table_without_heading_raises_at_its_first_row():
    text = "KẾ HOẠCH NĂM 2024\nTT\tNội dung thực hiện\tSản phẩm\tCơ quan chủ trì\tThời gian\n1\tViệc A.\tBáo cáo\tUBND xã\tQuý I/2024\n"
    with pytest.raises(PlanReadError) as exc:
        read_plan_text(text)
    assert exc.value.line == 3


def test_header_without_rows_raises():
    text = "KẾ HOẠCH NĂM 2024\nPhụ lục số 01: Cải cách thể chế\nTT\tNội dung\tSản phẩm\tCơ quan chủ trì\tThời gian\n"
    with pytest.raises(PlanReadError) as exc:
        read_plan_text(text)
    assert exc.value.line is not None


def test_read_plan_dispatch(tmp_path):
    with pytest.raises(PlanReadError) as exc:
        read_plan(tmp_path / "plan.odt")
    assert ".odt" in exc.value.message
    with pytest.raises(PlanReadError):
        read_plan(tmp_path / "missing.txt")
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(PlanReadError):
        read_plan(bad)
    f = tmp_path / "plan.txt"
    f.write_bytes(("\ufeff" + seed_text("002")).encode("utf-8"))
    assert sum(len(s["tasks"]) for s in read_plan(f)["sections"]) == 35
