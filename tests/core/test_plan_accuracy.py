"""Unit tests of the plan-accuracy scoring functions, and validity checks of the gold files."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path

import pytest

from cchc.core.areas import AREAS
from cchc.core.plan_accuracy import (
    FIELDS,
    aggregate,
    content_key,
    norm_item,
    norm_number,
    norm_text,
    score,
)

GOLD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
EXPECTED_TASKS = {"000": 54, "001": 34, "002": 35, "004": 50}
MILESTONE_KINDS = {"date", "month", "quarter", "year", "ongoing", "recurring", "event", "unknown"}
RECURRENCES = {"monthly", "quarterly", "semiannual", "nine_months", "annual"}
OTHER_ROLES = {"drafting", "appraising", "implementing", "reporting"}
OPS = {">=", "<=", "=", None}


def _task(number="1", **fields):
    base = {
        "number": number,
        "content": "Xây dựng Đề án nâng cao hiệu quả công tác phổ biến, giáo dục pháp luật",
        "deliverables": ["Quyết định của UBND tỉnh"],
        "lead": ["Sở Tư pháp"],
        "coordinating": ["Các sở, ban, ngành", "UBND cấp huyện"],
        "monitoring": [],
        "other_roles": [],
        "deadline_text": "Quý III/2022",
        "milestones": [{"label": "", "kind": "quarter", "due": "2022-09-30", "recurrence": None}],
    }
    base.update(fields)
    return base


def _plan(*sections, **meta):
    plan = {
        "issuer": "UBND tỉnh Thanh Hóa",
        "number": "5476/QĐ-UBND",
        "issued_on": "2020-12-24",
        "year": 2021,
        "title": "Kế hoạch cải cách hành chính năm 2021",
        "parent_reference": None,
        "targets": [
            {"text": "đạt tối thiểu 85%", "area": "procedures", "op": ">=", "value": 85, "unit": "%"}
        ],
        "sections": [
            {"number": str(i + 1), "area": area, "title": "", "tasks": tasks}
            for i, (area, tasks) in enumerate(sections)
        ],
    }
    plan.update(meta)
    return plan


# --------------------------------------------------------------------------- normalisation


def test_norm_text_folds_accents_punctuation_and_ubnd():
    assert norm_text("Ủy ban nhân dân tỉnh Thanh Hóa.") == "ubnd tinh thanh hoa"
    assert norm_text("UBND  tỉnh Thanh Hoá") == "ubnd tinh thanh hoa"
    assert norm_text(None) == ""


def test_norm_item_ignores_spaces_dashes_and_trailing_punctuation():
    assert norm_item("- Văn phòng HĐND vàUBND;") == norm_item("Văn phòng HĐND và UBND")
    assert norm_item("Công chức Tư pháp – Hộ tịch") == norm_item("Công chức Tư pháp - Hộ tịch")
    assert norm_item("Sở Nội vụ") != norm_item("Sở Tư pháp")


def test_content_key_is_first_eight_folded_words():
    a = "Xây dựng   Đề án nâng cao hiệu quả công tác phổ biến, giáo dục"
    b = "xay dung de an nang cao hieu qua cong tac khac han"
    assert content_key(a) == content_key(b)
    assert len(content_key(a)) == 8
    assert content_key("Ttriển khai") != content_key("Triển khai")


def test_norm_number():
    assert norm_number("01.") == "1"
    assert norm_number(" 3 ") == "3"
    assert norm_number(3) == "3"
    assert norm_number("1.01") == "1.1"
    assert norm_number("IV") == "iv"


# --------------------------------------------------------------------------- score


def test_identical_plans_score_perfectly():
    gold = _plan(("institutions", [_task("1"), _task("2")]), ("procedures", [_task("1")]))
    s = score(copy.deepcopy(gold), gold)
    assert (s.tasks_expected, s.tasks_found, s.tasks_matched) == (3, 3, 3)
    assert s.overall == 1.0
    for name in FIELDS:
        fs = s.fields[name]
        if name in ("monitoring", "other_roles"):
            assert fs.precision is None and fs.recall is None
        else:
            assert fs.precision == 1.0 and fs.recall == 1.0, name
    assert s.metadata_correct == s.metadata_scored == 6
    assert s.targets.tp == 1 and s.targets.precision == 1.0


def test_tasks_match_by_area_and_number_not_position():
    gold = _plan(("institutions", [_task("1")]), ("procedures", [_task("1", lead=["Văn phòng UBND tỉnh"])]))
    # Same tasks, sections in the other order, numbers printed with dots; one task in the wrong area.
    parsed = _plan(
        ("procedures", [_task("1.", lead=["Văn phòng UBND tỉnh"])]),
        ("organization", [_task("01")]),
    )
    s = score(parsed, gold)
    assert s.tasks_matched == 1
    assert s.missing == [("institutions", "1")]
    assert s.extra == [("organization", "1")]
    assert s.fields["task"].precision == 0.5 and s.fields["task"].recall == 0.5
    # The unmatched parsed task's items are false positives, the unmatched gold task's are misses.
    assert s.fields["lead"].tp == 1 and s.fields["lead"].parsed == 2 and s.fields["lead"].gold == 2


def test_task_area_may_come_from_the_task_itself():
    gold = _plan(("direction", [_task("4")]))
    parsed = {"sections": [{"area": None, "tasks": [dict(_task("4"), area="direction")]}]}
    assert score(parsed, gold).tasks_matched == 1


def test_duplicate_parsed_key_matches_once():
    gold = _plan(("institutions", [_task("1")]))
    parsed = _plan(("institutions", [_task("1"), _task("1")]))
    s = score(parsed, gold)
    assert s.tasks_matched == 1 and s.tasks_found == 2 and len(s.extra) == 1


def test_list_fields_precision_and_recall():
    gold = _plan(
        ("institutions", [_task(coordinating=["Các sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"])])
    )
    parsed = _plan(
        ("institutions", [_task(coordinating=["- Các sở, ban, ngành;", "UBND cấp huyện, UBND cấp xã"])])
    )
    fs = score(parsed, gold).fields["coordinating"]
    assert (fs.tp, fs.parsed, fs.gold) == (1, 2, 3)
    assert fs.precision == 0.5
    assert fs.recall == pytest.approx(1 / 3)


def test_other_roles_compare_role_and_body():
    gold = _plan(
        (
            "institutions",
            [
                _task(
                    other_roles=[
                        {"role": "drafting", "bodies": ["các sở, ban, ngành cấp tỉnh"]},
                        {"role": "appraising", "bodies": ["Sở Tư pháp"]},
                    ]
                )
            ],
        )
    )
    parsed = _plan(
        (
            "institutions",
            [
                _task(
                    other_roles=[
                        {"role": "drafting", "bodies": ["Các sở, ban, ngành cấp tỉnh"]},
                        {"role": "implementing", "bodies": ["Sở Tư pháp"]},
                    ]
                )
            ],
        )
    )
    fs = score(parsed, gold).fields["other_roles"]
    assert (fs.tp, fs.parsed, fs.gold) == (1, 2, 2)


def test_content_compares_only_the_start():
    gold = _plan(
        (
            "institutions",
            [_task(content="Thực hiện đồng bộ các hoạt động theo dõi, thi hành pháp luật; thường xuyên")],
        )
    )
    good = _plan(
        ("institutions", [_task(content="Thực hiện đồng bộ các hoạt động theo dõi, thi hành 6 pháp luật")])
    )
    bad = _plan(("institutions", [_task(content="Kế hoạch; Thực hiện đồng bộ các hoạt động")]))
    assert score(good, gold).fields["content"].tp == 1
    assert score(bad, gold).fields["content"].tp == 0


def test_deadline_text_ignores_dashes_and_spacing():
    gold = _plan(
        (
            "procedures",
            [
                _task(
                    deadline_text="- Tổ chức thực hiện: thường xuyên. - Báo cáo kết quả thực hiện: định kỳ hàng quý."
                )
            ],
        )
    )
    parsed = _plan(
        (
            "procedures",
            [
                _task(
                    deadline_text="Tổ chức thực hiện: thường xuyên; Báo cáo kết quả thực hiện: định kỳ hàng quý"
                )
            ],
        )
    )
    assert score(parsed, gold).fields["deadline_text"].tp == 1


def test_milestone_kinds_and_due_dates_are_multisets():
    ms_gold = [
        {"label": "Tổ chức thực hiện", "kind": "ongoing", "due": None, "recurrence": None},
        {"label": "Báo cáo", "kind": "recurring", "due": None, "recurrence": ["quarterly"]},
        {"label": "", "kind": "quarter", "due": "2022-03-31", "recurrence": None},
    ]
    ms_parsed = [
        {"label": "", "kind": "ongoing", "due": None, "recurrence": None},
        {"label": "", "kind": "unknown", "due": None, "recurrence": None},
        {"label": "", "kind": "quarter", "due": date(2022, 3, 31), "recurrence": None},
        {"label": "", "kind": "month", "due": "2022-12-31", "recurrence": None},
    ]
    s = score(
        _plan(("direction", [_task(milestones=ms_parsed)])), _plan(("direction", [_task(milestones=ms_gold)]))
    )
    kinds, dues = s.fields["milestone_kind"], s.fields["milestone_due"]
    assert (kinds.tp, kinds.parsed, kinds.gold) == (2, 4, 3)
    assert (dues.tp, dues.parsed, dues.gold) == (1, 2, 1)


def test_fields_absent_from_gold_are_not_scored():
    gtask = _task()
    del gtask["monitoring"], gtask["deliverables"]
    gold = _plan(("institutions", [gtask]))
    parsed = _plan(("institutions", [_task(monitoring=["Sở Nội vụ"])]))
    s = score(parsed, gold)
    assert s.fields["monitoring"].parsed == 0
    assert s.fields["deliverables"].parsed == 0 and s.fields["deliverables"].gold == 0


def test_missing_parse_scores_zero_recall():
    gold = _plan(("institutions", [_task()]))
    s = score(None, gold)
    assert s.tasks_found == 0 and s.fields["task"].recall == 0.0
    assert s.overall == 0.0
    assert s.fields["task"].precision is None


def test_metadata_comparison():
    gold = _plan(
        ("institutions", [_task()]),
        parent_reference="Thực hiện Kế hoạch số 257/KH-UBND ngày 22/12/2025 của UBND tỉnh",
    )
    parsed = _plan(
        ("institutions", [_task()]),
        issuer="Ủy ban nhân dân tỉnh Thanh Hóa",
        number="5476 /QĐ-UBND",
        issued_on=date(2020, 12, 24),
        year="2021",
        title="KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021",
        parent_reference="Kế hoạch số 257/KH-UBND của UBND tỉnh Thanh Hóa",
    )
    meta = score(parsed, gold).metadata
    assert all(meta.values()), meta
    wrong = dict(parsed, year=2022, number=None, parent_reference=None, issuer="UBND xã Kiên Thọ")
    meta = score(wrong, gold).metadata
    assert not meta["year"] and not meta["number"] and not meta["parent_reference"] and not meta["issuer"]
    assert meta["title"]


def test_metadata_null_in_gold_expects_null_and_absent_key_is_not_scored():
    gold = _plan(("institutions", [_task()]), number=None, issued_on=None)
    del gold["parent_reference"]
    s = score(dict(gold, number="", issued_on=None, parent_reference="anything"), gold)
    assert s.metadata["number"] is True and s.metadata["issued_on"] is True
    assert s.metadata["parent_reference"] is None
    assert score(dict(gold, number="12/KH-UBND"), gold).metadata["number"] is False


def test_targets_compare_op_and_value():
    gold = _plan(
        targets=[
            {"text": "tối thiểu 90%", "op": ">=", "value": 90, "unit": "%"},
            {"text": "đạt 100%", "op": "=", "value": 100, "unit": "%"},
            {"text": "100% hồ sơ", "op": "=", "value": 100, "unit": "%"},
            {"text": "không có số", "op": None, "value": None, "unit": None},
        ]
    )
    parsed = _plan(
        targets=[
            {"text": "x", "op": ">=", "value": "90%", "unit": "%"},
            {"text": "y", "op": "=", "value": 100.0, "unit": "%"},
            {"text": "z", "op": ">=", "value": "99,5", "unit": "%"},
        ]
    )
    t = score(parsed, gold).targets
    assert (t.tp, t.parsed, t.gold) == (2, 3, 3)


def test_aggregate_sums_counts():
    gold = _plan(("institutions", [_task("1"), _task("2")]))
    parsed = _plan(("institutions", [_task("1")]))
    a, b = score(parsed, gold), score(gold, gold)
    total = aggregate([a, b])
    assert (total.tasks_expected, total.tasks_found, total.tasks_matched) == (4, 3, 3)
    assert total.fields["lead"].tp == a.fields["lead"].tp + b.fields["lead"].tp
    assert total.metadata_scored == a.metadata_scored + b.metadata_scored
    assert 0 < total.overall < 1


def test_score_to_dict_is_json_serialisable():
    gold = _plan(("institutions", [_task()]))
    json.dumps(score(gold, gold).to_dict())


# --------------------------------------------------------------------------- gold files


@pytest.fixture(scope="module", params=sorted(EXPECTED_TASKS))
def gold_doc(request):
    path = GOLD_DIR / f"{request.param}.json"
    return request.param, json.loads(path.read_text(encoding="utf-8"))


def test_gold_task_counts(gold_doc):
    seed, doc = gold_doc
    assert sum(len(s["tasks"]) for s in doc["sections"]) == EXPECTED_TASKS[seed]


def test_gold_sections_are_the_seven_areas(gold_doc):
    _, doc = gold_doc
    areas = [s["area"] for s in doc["sections"]]
    assert areas == list(AREAS), areas


def test_gold_task_numbers_unique_per_area(gold_doc):
    _, doc = gold_doc
    for section in doc["sections"]:
        numbers = [t["number"] for t in section["tasks"]]
        assert len(numbers) == len(set(numbers)), section["area"]
        assert numbers == [str(i + 1) for i in range(len(numbers))], section["area"]


def test_gold_metadata_shape(gold_doc):
    _, doc = gold_doc
    assert isinstance(doc["year"], int)
    assert doc["issuer"] and doc["title"]
    if doc.get("issued_on") is not None:
        date.fromisoformat(doc["issued_on"])
    for target in doc["targets"]:
        assert target["op"] in OPS
        assert target["area"] is None or target["area"] in AREAS
        assert isinstance(target["value"], int | float) and target["text"]


def test_gold_tasks_are_well_formed(gold_doc):
    _, doc = gold_doc
    for section in doc["sections"]:
        for task in section["tasks"]:
            where = f"{section['area']} {task['number']}"
            assert task["content"] and task["content"] == " ".join(task["content"].split()), where
            assert len(content_key(task["content"])) == 8, where
            for name in ("deliverables", "lead", "coordinating", "monitoring"):
                for item in task[name]:
                    assert item and item == item.strip() and not item.startswith("-"), (where, name, item)
                    assert not re.search(r"[;,.]$", item), (where, name, item)
            assert task["lead"] or task["other_roles"], where
            for entry in task["other_roles"]:
                assert entry["role"] in OTHER_ROLES and entry["bodies"], where
            for ms in task["milestones"]:
                assert ms["kind"] in MILESTONE_KINDS, where
                assert ms["recurrence"] is None or set(ms["recurrence"]) <= RECURRENCES, where
                if ms["kind"] in ("event", "ongoing"):
                    assert ms["due"] is None, where
                if ms["kind"] in ("date", "month", "quarter", "year"):
                    assert ms["due"] is not None, where
                if ms["due"] is not None:
                    date.fromisoformat(ms["due"])
                if ms["kind"] == "recurring":
                    assert ms["recurrence"] is None or ms["recurrence"], where
            assert bool(task["milestones"]) == bool(task["deadline_text"]), where


def test_gold_scores_perfectly_against_itself(gold_doc):
    _, doc = gold_doc
    s = score(copy.deepcopy(doc), doc)
    assert s.overall == 1.0 and s.tasks_matched == s.tasks_expected
