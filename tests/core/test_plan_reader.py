"""The plan reader on the four seed plans: metadata, sections, tasks, targets, accuracy vs gold.

Pure Python; runs with `-p no:django`.
"""

from __future__ import annotations

import json
import timeit
from functools import cache
from pathlib import Path

import pytest

from cchc.core.plan_reader import read_plan, read_plan_text

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


def seed_path(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def seed_text(n: str) -> str:
    return seed_path(n).read_text(encoding="utf-8")


@cache
def plan(n: str) -> dict:
    return read_plan(seed_path(n))


def task(p: dict, area: str, number: str) -> dict:
    sec = next(s for s in p["sections"] if s["area"] == area)
    return next(t for t in sec["tasks"] if t["number"] == number)


def kinds(t: dict) -> list[str]:
    return [m["kind"] for m in t["milestones"]]


# ------------------------------------------------------------------------------ structure


@pytest.mark.parametrize(
    ("n", "per_section", "total"),
    [
        ("000", [9, 7, 10, 7, 6, 11, 4], 54),
        ("001", [3, 7, 4, 4, 5, 7, 4], 34),
        ("002", [5, 5, 5, 6, 3, 7, 4], 35),
        ("004", [5, 9, 7, 5, 9, 11, 4], 50),
    ],
)
def test_sections_and_task_counts(n, per_section, total):
    p = plan(n)
    assert [s["area"] for s in p["sections"]] == AREAS
    assert [s["number"] for s in p["sections"]] == [str(i) for i in range(1, 8)]
    assert [len(s["tasks"]) for s in p["sections"]] == per_section
    assert sum(len(s["tasks"]) for s in p["sections"]) == total
    for s in p["sections"]:
        assert [t["number"] for t in s["tasks"]] == [str(i) for i in range(1, len(s["tasks"]) + 1)]


def test_output_shape():
    p = plan("000")
    assert set(p) == {
        "issuer",
        "number",
        "issued_on",
        "year",
        "title",
        "parent_reference",
        "targets",
        "sections",
    }
    t = p["sections"][0]["tasks"][0]
    assert set(t) == {
        "number",
        "content",
        "deliverables",
        "lead",
        "coordinating",
        "monitoring",
        "other_roles",
        "notes",
        "deadline_text",
        "milestones",
        "source_lines",
    }
    first, last = t["source_lines"]
    lines = seed_text("000").splitlines()
    assert lines[first - 1].strip() == "1."
    assert "02/2022" in lines[last - 1]
    json.dumps(p, ensure_ascii=False)  # serialisable as printed by `cchc import-plan --json`


# ------------------------------------------------------------------------------- metadata


def test_metadata_000():
    p = plan("000")
    assert p["issuer"] == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert p["number"] is None and p["issued_on"] is None  # blank in the draft
    assert p["year"] == 2022
    assert p["title"] == "Kế hoạch cải cách hành chính năm 2022"
    assert p["parent_reference"] is None


def test_metadata_001():
    p = plan("001")
    assert p["issuer"] == "Ủy ban nhân dân xã Hoằng Tiến"
    assert (p["number"], p["issued_on"], p["year"]) == (None, None, 2022)


def test_metadata_002():
    p = plan("002")
    assert p["issuer"] == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert p["number"] == "5476/QĐ-UBND"
    assert p["issued_on"] == "2020-12-24"
    assert p["year"] == 2021
    assert p["title"] == "Kế hoạch cải cách hành chính năm 2021"


def test_metadata_004():
    p = plan("004")
    assert p["issuer"] == "Ủy ban nhân dân xã Kiên Thọ"
    assert p["year"] == 2026
    assert p["title"] == "Kế hoạch cải cách hành chính trên địa bàn xã Kiên Thọ năm 2026"
    assert p["parent_reference"].startswith("Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh Thanh Hóa")


def test_year_argument_wins():
    p = read_plan(seed_path("004"), year=2027)
    assert p["year"] == 2027
    assert task(p, "public_finance", "1")["milestones"][0]["due"] == "2026-03-31"  # "Quý I/2026" as written


# -------------------------------------------------------------------------------- targets


def test_targets_000():
    targets = plan("000")["targets"]
    assert [(t["op"], t["value"], t["unit"]) for t in targets] == [
        (">=", 92, "%"),
        ("=", 100, "%"),
        (">=", 90, "%"),
        ("=", 95, "%"),
        (">=", 2, "đơn vị"),
        ("=", 95, "%"),
        ("=", 100, "%"),
        ("=", 100, "%"),
    ]
    assert targets[0]["area"] == "procedures"
    assert targets[0]["text"].startswith("Mức độ hài lòng của tổ chức")
    assert targets[3]["area"] == "civil_service"
    assert targets[4]["area"] == "public_finance"
    assert targets[5]["area"] == "digital_government"


def test_targets_004():
    targets = plan("004")["targets"]
    assert [(t["area"], t["op"], t["value"], t["unit"]) for t in targets] == [
        ("procedures", "=", 100, "%"),
        ("procedures", ">=", 55, "%"),
    ]
    assert targets[1]["text"] == "Tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu từ 55% trở lên"


# ---------------------------------------------------------------------------- spot checks


def test_000_task_with_sub_unit_lead():
    t = task(plan("000"), "institutions", "1")
    assert t["content"].startswith("Xây dựng chính sách khen thưởng cho các tập thể")
    assert t["content"].endswith("182/2019/NQHĐND ngày 10/7/2019 của HĐND tỉnh).")
    assert t["deliverables"] == ["Báo cáo, trình Ban Thường vụ Tỉnh ủy", "Báo cáo, trình HĐND tỉnh"]
    assert t["lead"] == ["Ban Thi đua Khen thưởng (Sở Nội vụ)"]
    assert t["coordinating"] == ["Sở Văn hóa, Thể thao và Du lịch", "Cơ quan liên quan"]
    assert t["deadline_text"] == "Tháng 02/2022"
    assert t["milestones"][0]["kind"] == "month" and t["milestones"][0]["due"] == "2022-02-28"


def test_000_task_split_by_page_break():
    t = task(plan("000"), "institutions", "4")
    assert "Khu kinh tế Nghi Sơn (thay thế Quyết định số 3161/2014/QĐ-UBND" in t["content"]
    assert t["deliverables"] == ["Quyết định của UBND tỉnh"]
    assert t["lead"] == ["Sở Tài nguyên và Môi trường"]
    assert t["coordinating"] == ["Ban Quản lý KKT Nghi Sơn và các KCN", "Các cơ quan liên quan"]
    assert t["deadline_text"] == "Tháng 04/2022"


def test_000_two_cells_on_one_line_after_page_break():
    t = task(plan("000"), "organization", "4")
    assert t["content"].endswith("Khu kinh tế Nghi Sơn và các khu công nghiệp.")
    assert t["deliverables"] == [
        "Báo cáo, trình Ban Thường vụ Tỉnh ủy",
        "Quyết định của UBND tỉnh phê duyệt Đề án",
    ]
    assert t["lead"] == ["Ban Quản lý Khu Kinh tế Nghi Sơn và các KCN"]
    t = task(plan("000"), "organization", "8")
    assert t["content"].endswith("Trung tâm quản lý hạ tầng môi trường và Hỗ trợ đầu tư")
    assert t["deliverables"] == ["Phương án", "Quyết định của cơ quan có thẩm quyền"]
    assert t["lead"] == ["Ban QLKKT Nghi Sơn và các KCN"]


def test_000_class_bodies_and_enumerations():
    p = plan("000")
    assert task(p, "organization", "2")["lead"] == ["UBND các huyện, thị xã, thành phố"]
    t = task(p, "organization", "9")
    assert t["lead"][0] == "Viện Nông nghiệp Thanh Hóa"
    assert t["lead"][1].startswith("các Sở: Y tế, Nông nghiệp và Phát triển nông thôn")
    assert t["lead"][2] == "các Ban Quản lý dự án đầu tư xây dựng cấp tỉnh"
    assert task(p, "organization", "9")["deliverables"] == ["Báo cáo", "Phương án của cơ quan có thẩm quyền"]


def test_000_labelled_milestones():
    t = task(plan("000"), "procedures", "1")
    assert t["lead"] == ["Văn phòng UBND tỉnh", "UBND cấp huyện", "UBND cấp xã"]
    assert t["coordinating"] == ["Các sở, ngành cấp tỉnh"]
    assert (
        t["deadline_text"]
        == "- Tổ chức thực hiện: thường xuyên. - Báo cáo kết quả thực hiện: định kỳ hàng quý."
    )
    assert kinds(t) == ["ongoing", "recurring"]
    assert [m["label"] for m in t["milestones"]] == ["Tổ chức thực hiện", "Báo cáo kết quả thực hiện"]


def test_000_appendix_7_implementing_and_reporting():
    t = task(plan("000"), "direction", "1")
    assert t["lead"] == [] and t["coordinating"] == []
    assert t["other_roles"] == [
        {
            "role": "implementing",
            "bodies": [
                "Các sở, ban, ngành cấp tỉnh",
                "UBND cấp huyện",
                "UBND cấp xã",
                "các cơ quan liên quan",
            ],
        },
        {"role": "reporting", "bodies": ["Sở Nội vụ"]},
    ]
    assert kinds(t) == ["date", "recurring"]
    assert t["milestones"][0]["due"] == "2021-12-31"
    t = task(plan("000"), "direction", "2")
    assert t["coordinating"][0] == "Văn phòng UBND tỉnh" and len(t["coordinating"]) == 5
    assert t["milestones"][1]["due"] == "2023-03-31"  # "Quý I/2023" in a 2022 plan


def test_001_noisy_layout():
    p = plan("001")
    t = task(p, "institutions", "1")
    assert t["lead"] == ["Công chức Tư pháp - Hộ tịch"]
    assert t["coordinating"] == ["Công chức chuyên môn UBND xã", "UBND xã"]
    assert kinds(t) == ["month", "recurring"]
    # the split-word cell "Báo cáo / thực hiện. / kết / quả"
    assert task(p, "procedures", "5")["deliverables"] == ["Báo cáo kết quả thực hiện"]
    # a page number inside the table and two cells' ends on one line after the page break
    t = task(p, "organization", "4")
    assert t["content"].endswith("tăng cường thực hiện kiểm tra đối với các nhiệm vụ được phân cấp.")
    assert t["coordinating"] == ["Các cơ quan liên quan"]
    assert t["deadline_text"] == "Thường xuyên trong năm"
    # a hyphen at the start of a line inside a name
    assert task(p, "public_finance", "1")["lead"] == ["Công chức Tài chính - Kế toán"]
    # no completion time
    t = task(p, "public_finance", "4")
    assert (t["deadline_text"], t["milestones"]) == ("", [])
    assert t["coordinating"] == ["Các công chức chuyên môn có liên quan"]


def test_002_word_table_roles():
    p = plan("002")
    t = task(p, "institutions", "1")
    assert t["content"].startswith("Tiếp tục xây dựng, hoàn thiện hệ thống thể chế")
    assert t["deliverables"] == ["Quyết định của cơ quan có thẩm quyền"]
    assert t["lead"] == []
    assert t["coordinating"] == ["Văn phòng UBND tỉnh"]
    assert t["other_roles"] == [
        {"role": "drafting", "bodies": ["các sở, ban, ngành cấp tỉnh"]},
        {"role": "appraising", "bodies": ["Sở Tư pháp"]},
    ]
    t = task(p, "institutions", "2")  # "Cơ quan phối hợp các sở …" without a colon
    assert t["lead"] == ["Sở Tư pháp"]
    assert t["coordinating"] == [
        "các sở, ban, ngành cấp tỉnh",
        "UBND các huyện, thị xã, thành phố",
        "UBND cấp xã",
    ]
    t = task(p, "procedures", "4")
    assert t["monitoring"] == ["Sở Thông tin và Truyền thông"]
    assert {r["role"] for r in t["other_roles"]} == {"implementing", "reporting"}
    assert kinds(t) == ["ongoing"]
    t = task(p, "organization", "5")
    assert t["deliverables"] == ["Kế hoạch khảo sát", "Báo cáo kết quả khảo sát"]
    assert kinds(t) == ["quarter", "month"]


def test_002_split_column_fragments_are_not_content():
    t = task(plan("002"), "civil_service", "6")
    assert t["content"] == (
        "Đổi mới nội dung, phương pháp đào tạo, bồi dưỡng, cập nhật kiến thức cho cán bộ, "
        "công chức, viên chức."
    )
    assert t["deliverables"] == ["Quyết định của cơ quan có thẩm quyền"]


def test_004_commune_plan():
    p = plan("004")
    t = task(p, "institutions", "1")
    assert t["lead"] == ["Văn phòng HĐND và UBND xã"]
    assert t["coordinating"] == ["Các phòng, ban, đơn vị có liên quan"]
    assert t["deadline_text"] == "Thường xuyên."
    t = task(p, "procedures", "1")
    assert t["lead"] == ["Trung tâm phục vụ hành chính công"]
    assert t["coordinating"] == ["Văn phòng HĐND vàUBND", "Các cơ quan, đơn vị có liên quan"]
    assert task(p, "digital_government", "4")["deadline_text"] == "Qúy II/2026"
    assert kinds(task(p, "digital_government", "4")) == ["quarter"]
    t = task(p, "direction", "1")
    assert t["monitoring"] == ["Sở Nội vụ"]
    t = task(p, "direction", "3")
    assert t["lead"] == ["UBND cấp xã"] and t["coordinating"] == []
    assert t["other_roles"][0]["role"] == "appraising"
    assert t["other_roles"][0]["bodies"][0] == "Sở Nội vụ" and len(t["other_roles"][0]["bodies"]) == 5
    assert t["other_roles"][1] == {"role": "reporting", "bodies": ["Sở Nội vụ"]}


# ----------------------------------------------------------------------- accuracy and speed


@pytest.mark.parametrize("n", ["000", "001", "002", "004"])
def test_accuracy_against_gold(n):
    gold_file = GOLD / f"{n}.json"
    if not gold_file.exists():
        pytest.skip("no gold annotation")
    from cchc.core.plan_accuracy import score

    s = score(plan(n), json.loads(gold_file.read_text(encoding="utf-8")))
    assert s.tasks_matched == s.tasks_expected == s.tasks_found
    assert s.overall >= 0.98, s.to_dict()
    assert s.metadata_correct == s.metadata_scored
    assert s.targets.tp == s.targets.gold == s.targets.parsed


def test_parses_50kb_within_150ms():
    from cchc.core.plan_reader.lines import fold

    text = seed_text("004")  # 50 KB
    assert len(text.encode()) > 45_000

    def cold() -> None:
        fold.cache_clear()
        read_plan_text(text)

    cold()
    best = min(timeit.repeat(cold, number=1, repeat=5))
    assert best < 0.150, f"{best * 1000:.0f} ms"


def test_an_upper_case_title_keeps_its_place_names_capitalised():
    from cchc.core.plan_reader.meta import _sentence_case

    assert _sentence_case("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH TRÊN ĐỊA BÀN XÃ KIÊN THỌ NĂM 2026") == (
        "Kế hoạch cải cách hành chính trên địa bàn xã Kiên Thọ năm 2026"
    )
    assert _sentence_case("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022") == "Kế hoạch cải cách hành chính năm 2022"
