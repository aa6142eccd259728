"""`cchc sipas-designs --json` and `cchc sipas-index PATH --design KEY --json`."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cchc.core.surveys import load_design


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_designs_json_lists_questions_with_their_answers():
    designs = json.loads(run("sipas_designs", "--json"))
    sipas = next(d for d in designs if d["key"] == "sipas-2023")
    first = sipas["questions"][0]
    assert (first["code"], first["factor"], first["aspect"]) == ("TC.1", "TC", "DV")
    assert first["answers"][0] == {"code": "1", "label": "Rất không hài lòng", "level": 1, "valid": True}
    assert first["answers"][-1] == {"code": "0", "label": "Không có ý kiến", "level": None, "valid": False}
    channel = next(q for q in sipas["questions"] if q["code"] == "R6")
    assert channel["factor"] is None and [a["label"] for a in channel["answers"]][:2] == ["Trực tiếp", "Trực tuyến"]
    assert {d["key"] for d in designs} == {"sipas-2023", "xhh-2025"}


def test_index_json_from_csv(tmp_path):
    path = tmp_path / "phieu.csv"
    # TC.1: 5, 3, 4 → 2 of 3 = 66.67; TC.2: 4, 0 (no opinion), 1 → 1 of 2 = 50; TC = 58.335 → 58.34
    # TT.1: 5 → 100. DV = mean of the two factors with answers = (58.335 + 100)/2 = 79.17
    path.write_text("form_no,TC.1,TC.2,TT.1,R6\nA1,5,4,,1\nA2,3,0,5,2\nA3,4,1,,\n", encoding="utf-8")
    result = json.loads(run("sipas_index", str(path), "--design", "sipas-2023", "--json"))
    assert result["responses"] == 3
    assert result["questions"]["TC.1"] == {"pct": 66.67, "valid": 3}
    assert result["questions"]["TC.2"] == {"pct": 50.0, "valid": 2}
    assert result["factors"]["TC"] == 58.34 and result["factors"]["TT"] == 100.0
    assert result["factors"]["CC"] is None
    assert result["aspects"] == {"DV": 79.17} and result["overall"] == 79.17


@pytest.mark.parametrize("content,message", [
    ("TC.1\n9\n", "phieu.csv, dòng 2, cột TC.1: đáp án “9” không có trong thang đo"),
    ("XX\n1\n", "phieu.csv, dòng 1, cột 1: “XX” không phải mã câu hỏi"),
])
def test_index_bad_input_exits_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "phieu.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("sipas_index", str(path), "--design", "sipas-2023", "--json")
    assert error.value.returncode == 2 and str(error.value).startswith(message) and "\n" not in str(error.value)


def test_index_unknown_design_or_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as error:
        run("sipas_index", str(tmp_path / "x.csv"), "--design", "nope")
    assert error.value.returncode == 2 and "nope" in str(error.value)
    with pytest.raises(CommandError, match="không tìm thấy tệp"):
        run("sipas_index", str(tmp_path / "x.csv"), "--design", "sipas-2023")


def test_designs_json_lists_the_library_designs_in_their_latest_version(registry):
    from cchc.surveys.models import DesignVersion, QuestionnaireDesign

    raw = load_design("sipas-2023").raw
    library = QuestionnaireDesign.objects.create(province=registry["province"], key="sipas-tinh",
                                                 name="Phiếu SIPAS riêng của tỉnh")
    DesignVersion.objects.create(design=library, number=1, content={**raw, "key": "sipas-tinh"}, fingerprint="v1")
    second = copy.deepcopy({**raw, "key": "sipas-tinh"})
    second["aspects"][0]["factors"][0]["questions"][0]["text"] = "Chỗ ngồi chờ đủ và sạch sẽ"
    DesignVersion.objects.create(design=library, number=2, content=second, fingerprint="v2")

    designs = json.loads(run("sipas_designs", "--json"))
    assert [d["key"] for d in designs] == ["sipas-2023", "xhh-2025", "sipas-tinh"]
    entry = designs[-1]
    assert (entry["name"], entry["source"], entry["version"], entry["library"]) == (
        "Phiếu SIPAS riêng của tỉnh", "library", 2, library.pk)
    assert entry["province"] == registry["province"].name
    first = entry["questions"][0]
    assert (first["code"], first["text"]) == ("TC.1", "Chỗ ngồi chờ đủ và sạch sẽ")  # version 2's, not 1's
    assert set(first) == {"code", "text", "factor", "aspect", "answers"}
    assert (first["factor"], first["aspect"]) == ("TC", "DV")
    assert first["answers"][0] == {"code": "1", "label": "Rất không hài lòng", "level": 1, "valid": True}
    assert "sipas-tinh" in run("sipas_designs") and "phiên bản 2" in run("sipas_designs")
