"""Deadline shifting to the next plan year, on every kind the grammar knows and every seed deadline."""

import datetime
import json
from pathlib import Path

import pytest

from cchc.core.deadlines import parse_deadline
from cchc.core.lineage.shifting import shift_deadline, shift_milestone, shift_years

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


@pytest.mark.parametrize(("text", "moved", "kinds", "dues"), [
    ("Trước ngày 15/12/2025", "Trước ngày 15/12/2026", ["date"], ["2026-12-15"]),
    ("Trước ngày 29/02/2024", "Trước ngày 28/02/2025", ["date"], ["2025-02-28"]),
    ("Tháng 11/2025", "Tháng 11/2026", ["month"], ["2026-11-30"]),
    ("Chậm nhất tháng 12", "Chậm nhất tháng 12", ["month"], ["2026-12-31"]),
    ("Quý II/2025", "Quý II/2026", ["quarter"], ["2026-06-30"]),
    ("Quý II và Quý IV/2025", "Quý II và Quý IV/2026", ["quarter", "quarter"], ["2026-06-30", "2026-12-31"]),
    ("Trong năm 2025.", "Trong năm 2026.", ["year"], ["2026-12-31"]),
    ("Thường xuyên trong năm.", "Thường xuyên trong năm.", ["ongoing"], [None]),
    ("Định kỳ hàng quý.", "Định kỳ hàng quý.", ["recurring"], [None]),
    ("Khi có văn bản chỉ đạo của Trung ương", "Khi có văn bản chỉ đạo của Trung ương", ["event"], [None]),
    ("- Kế hoạch: tháng 01/2025; - Báo cáo: trước ngày 15/12/2025",
     "- Kế hoạch: tháng 01/2026; - Báo cáo: trước ngày 15/12/2026", ["month", "date"], ["2026-01-31", "2026-12-15"]),
])
def test_each_kind_moves_to_the_new_year(text, moved, kinds, dues):
    new_text, milestones = shift_deadline(text, 2025 if "2024" not in text else 2024, 2026 if "2024" not in text else 2025)
    assert new_text == moved
    assert [m.kind for m in milestones] == kinds
    assert [m.due.isoformat() if m.due else None for m in milestones] == dues


def test_unknown_phrases_stay_unknown():
    text = "Theo ý kiến của lãnh đạo"
    before = [m.kind for m in parse_deadline(text, 2025)]
    new_text, after = shift_deadline(text, 2025, 2026)
    assert new_text == text and [m.kind for m in after] == before


@pytest.mark.parametrize(("text", "moved"), [
    ("Sửa đổi Quyết định số 24/2018/QĐ-UBND ngày 27/7/2018 của UBND tỉnh", None),
    ("Thực hiện Nghị quyết số 06-NQ/TU ngày 10/11/2025 của Ban Thường vụ Tỉnh ủy", None),
    ("Đề án giai đoạn 2025 - 2030", None),
    ("Xây dựng Kế hoạch đầu tư công năm 2026", "Xây dựng Kế hoạch đầu tư công năm 2027"),
    ("Chương trình thực hành tiết kiệm năm 2025; tổng kết năm 2024",
     "Chương trình thực hành tiết kiệm năm 2026; tổng kết năm 2025"),
    ("Ban hành theo 12/2025/QĐ-UBND; Quý I/2025", "Ban hành theo 12/2025/QĐ-UBND; Quý I/2026"),
])
def test_fixed_years_stay(text, moved):
    assert shift_years(text, 2025, 2026) == (moved or text)


def test_every_seed_deadline_moves_by_one_year():
    checked = 0
    for path in sorted(GOLD.glob("*.json")):
        plan = json.loads(path.read_text())
        for section in plan["sections"]:
            for task in section["tasks"]:
                old = parse_deadline(task["deadline_text"], plan["year"])
                _, new = shift_deadline(task["deadline_text"], plan["year"], plan["year"] + 1)
                expected = [shift_milestone(m, 1) for m in old]
                assert [(m.kind, m.due, m.recurrence) for m in new] == [(m.kind, m.due, m.recurrence) for m in expected], task["deadline_text"]
                checked += 1
    assert checked == 173


def test_shift_milestone_keeps_dateless_kinds():
    [ongoing] = parse_deadline("Thường xuyên", 2025)
    assert shift_milestone(ongoing, 1) == ongoing
    [leap] = parse_deadline("Trước ngày 29/02/2024", 2024)
    assert shift_milestone(leap, 1).due == datetime.date(2025, 2, 28)
