"""Survey designs and indices against figures computed by hand; the response reader."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.surveys import (
    DesignError,
    SurveyReadError,
    compute,
    compute_responses,
    design_from_dict,
    design_keys,
    load_design,
    read_responses,
)

SCALE = [
    {"code": "1", "label": "Rất không hài lòng", "level": 1},
    {"code": "2", "label": "Không hài lòng", "level": 2},
    {"code": "3", "label": "Bình thường", "level": 3},
    {"code": "4", "label": "Hài lòng", "level": 4},
    {"code": "5", "label": "Rất hài lòng", "level": 5},
    {"code": "0", "label": "Không có ý kiến", "level": None, "valid": False},
]


def small_design(**computation):
    return design_from_dict({
        "key": "t", "scales": {"s": SCALE}, "computation": computation,
        "aspects": [
            {"code": "A", "name": "Khía cạnh A", "factors": [
                {"code": "F1", "name": "Yếu tố 1", "questions": [
                    {"code": "Q1", "text": "Câu 1", "scale": "s"}, {"code": "Q2", "text": "Câu 2", "scale": "s"}]},
                {"code": "F2", "name": "Yếu tố 2", "weight": 3, "questions": [
                    {"code": "Q3", "text": "Câu 3", "scale": "s"}]},
            ]},
            {"code": "B", "name": "Khía cạnh B", "factors": [
                {"code": "F3", "name": "Yếu tố 3", "questions": [{"code": "Q4", "text": "Câu 4", "scale": "s"}]}]},
        ],
        "respondent": [{"code": "K", "text": "Hình thức", "role": "channel",
                        "answers": [{"code": "1", "label": "Trực tiếp"}, {"code": "2", "label": "Trực tuyến"}]}],
    })


def test_builtin_designs_have_the_five_sipas_factors_and_the_respondent_questions():
    assert design_keys() == ["sipas-2023", "xhh-2025"]
    sipas = load_design("sipas-2023")
    assert [f.name for f in sipas.factors.values()] == [
        "Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức giải quyết công việc", "Kết quả cung ứng dịch vụ",
        "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
    ]
    question = sipas.questions["TC.1"]
    assert [(a.level, a.valid) for a in question.answers] == [(1, True), (2, True), (3, True), (4, True),
                                                              (5, True), (None, False)]
    assert question.answers[0].label == "Rất không hài lòng" and question.answers[4].label == "Rất hài lòng"
    assert [a.label for a in sipas.role_question("channel").answers] == ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
    xhh = load_design("xhh-2025")
    assert "2.5.1" in xhh.factors and len(xhh.groups) == 3


def test_question_share_is_top_two_levels_over_valid_answers_and_no_opinion_is_not_valid():
    design = small_design()
    # Q1: levels 5,4,4,3,1 + two "no opinion": 3 of 5 valid satisfied = 60%, margin 1.96*sqrt(.6*.4/5) = 42.94
    counts = {"Q1": {"5": 1, "4": 2, "3": 1, "1": 1, "0": 2}, "Q2": {"4": 1, "2": 1},  # 50%, n=2
              "Q3": {"5": 4}, "Q4": {"0": 3}}
    result = compute(design, counts, responses=7)
    q1 = result.questions["Q1"]
    assert (q1.pct, q1.valid, q1.margin) == (Decimal("60.00"), 5, Decimal("42.94"))
    assert result.questions["Q2"].pct == Decimal("50.00")
    assert result.questions["Q3"].margin == Decimal("0.00")
    assert result.questions["Q4"].pct is None and result.questions["Q4"].valid == 0
    # F1 = (60 + 50)/2 = 55; margin = 1.96*sqrt(.6*.4/5 + .5*.5/2)/2 = 1.96*sqrt(.048+.125)/2 = 40.76
    assert result.factors["F1"].pct == Decimal("55.00")
    assert result.factors["F1"].margin == Decimal("40.76")
    # A = (1*55 + 3*100)/4 = 88.75 (F2 weighs 3); B has no valid answer and is left out: overall = A
    assert result.aspects["A"].pct == Decimal("88.75")
    assert result.aspects["B"].pct is None
    assert result.overall.pct == Decimal("88.75")
    assert result.as_json()["questions"]["Q4"] == {"pct": None, "valid": 0}


def test_satisfied_levels_are_written_in_the_design():
    design = small_design(satisfied_levels=[3, 4, 5])
    result = compute_responses(design, [{"Q1": "3"}, {"Q1": "2"}, {"Q1": "5", "K": "1"}, {"Q1": "0"}])
    assert result.questions["Q1"].pct == Decimal("66.67")
    assert result.responses == 4 and result.distribution["K"] == {"1": 1, "2": 0}


def test_a_broken_design_is_refused_naming_the_element():
    with pytest.raises(DesignError, match="yếu tố F1, câu hỏi 1: không có thang đo “x”"):
        design_from_dict({"key": "t", "aspects": [{"code": "A", "name": "A", "factors": [
            {"code": "F1", "name": "F", "questions": [{"code": "Q", "text": "T", "scale": "x"}]}]}]})
    with pytest.raises(DesignError, match="không có khía cạnh nào"):
        design_from_dict({"key": "t"})


def test_reader_reads_csv_with_per_row_errors():
    data = b"form_no,Q1,Q2,K\n001,5,4,1\n002,7,4,2\n003,,,\n004,0,,1\n005,,,2\n"
    result = read_responses(data, "phieu.csv", small_design())
    assert [(r.line, r.form_no, r.answers) for r in result.rows] == [
        (2, "001", {"Q1": "5", "Q2": "4", "K": "1"}), (5, "004", {"Q1": "0", "K": "1"})]
    assert [str(e) for e in result.errors] == [
        "dòng 3, cột Q1: đáp án “7” không có trong thang đo (1, 2, 3, 4, 5, 0).",
        "dòng 4: phiếu không trả lời câu hỏi đánh giá nào.",
        "dòng 6: phiếu không trả lời câu hỏi đánh giá nào.",
    ]


def test_reader_reads_xlsx_with_numbers_as_codes():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Q1", "q3", "Số phiếu"])
    sheet.append([5, 4.0, "A-1"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_responses(buffer.getvalue(), "phieu.xlsx", small_design())
    assert [(r.answers, r.form_no) for r in result.rows] == [({"Q1": "5", "Q3": "4"}, "A-1")]


@pytest.mark.parametrize("data,name,message", [
    (b"Q1,ZZ\n5,1\n", "a.csv", "a.csv, dòng 1, cột 2: “ZZ” không phải mã câu hỏi"),
    (b"\xff\xfeQ", "a.csv", "a.csv: tệp CSV phải mã hóa UTF-8"),
    (b"PK\x03\x04junk", "a.xlsx", "a.xlsx: không đọc được tệp .xlsx"),
    (b"", "a.csv", "a.csv: tệp không có dòng tiêu đề"),
    (b"Q1\n", "a.pdf", "a.pdf: chỉ đọc được tệp .csv hoặc .xlsx"),
])
def test_reader_refuses_unreadable_files_with_a_clear_message(data, name, message):
    with pytest.raises(SurveyReadError) as error:
        read_responses(data, name, small_design())
    assert str(error.value).startswith(message)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.xlsx"]))
def test_any_bytes_give_a_result_or_a_read_error(data, name):
    try:
        result = read_responses(data, name, small_design())
    except SurveyReadError as error:
        assert str(error).startswith(name)
    else:
        assert all(r.answers for r in result.rows)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(["", "0", "1", "5", "9", "x", "Q1", ",", '"', "\n"]),
                               min_size=1, max_size=4), max_size=6))
def test_any_grid_under_a_valid_header_gives_rows_or_row_errors(cells):
    text = "Q1,Q2,Q3,K\n" + "\n".join(",".join(row) for row in cells)
    try:
        result = read_responses(text.encode(), "x.csv", small_design())
    except SurveyReadError as error:
        assert str(error).startswith("x.csv")
    else:
        design = small_design()
        for row in result.rows:
            assert all(design.questions[c].answer(v) for c, v in row.answers.items())


def test_each_respondent_group_rates_only_the_aspects_of_its_form():
    xhh = load_design("xhh-2025")
    deputies = xhh.group_scored("3")
    assert {q.aspect for q in deputies} == {"TCHE", "BOMAY", "CONGVU", "SO"}
    assert [q.code for q in xhh.group_scored("1")] == [q.code for q in xhh.scored]
    assert xhh.group_scored(None) == xhh.scored == xhh.group_scored("no-such-group")
    assert load_design("sipas-2023").group_scored("1") == load_design("sipas-2023").scored
