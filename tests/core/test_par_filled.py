"""A filled province self-assessment (.docx / .xlsx in the layout units send: the criteria table with
a "Điểm tự đánh giá" column) read and scored by the engine; `cchc par-score` is tested in tests/par."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cchc.core.par import load_template, score
from cchc.core.par.filled import read_filled

T = load_template("bnv-1187-2025-province")
AREA1 = {
    "1.1": "1,35",
    "1.2": "0,5",
    "1.3.1": "0,5",
    "1.3.2": "0,75",
    "1.4": "1,25",
    "1.5": "1",
    "1.6": "0,75",
    "1.7": "1,2",
}  # hand sum 7,30
AREA2 = {"2.1.1": "1", "2.1.2": "0", "2.2": "0,5", "2.3.1": "0,25", "2.3.2": "0,8", "2.4": "0,5"}  # 3,05
HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá", "Ghi chú"]


def table_rows():
    scores = {**AREA1, **AREA2}
    rows = [HEADER]
    for node in T.walk():
        if node.parent_code and node.code[-1].isalpha():
            continue  # unnumbered parts: scored on their criterion's row
        if node.code[0] not in "12":
            continue
        code, name = f"{node.code}.", node.name
        if node.code == "1.5":  # a code missing and a typo in the name
            code, name = "", name.replace("nhiệm vụ", "nhiêm vụ")
        if node.code == "1.3.2":  # a typo in the name, code given
            name = name.replace("Xử lý", "Xữ lý")
        rows.append([code, name, str(node.max).replace(".", ","), scores.get(node.code, ""), ""])
        if node.code == "1.1":
            rows.append(["", "Tính điểm theo công thức: (b/a)*điểm tối đa", "", "", ""])
    rows.append(["", "Công tác phối hợp với cơ quan báo chí", "0,50", "0,5", ""])  # unknown row
    return rows


def write_docx(path, rows):
    import docx

    document = docx.Document()
    document.add_paragraph("BẢNG TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM 2025")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.save(path)
    return path


def write_xlsx(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Bảng tự đánh giá"])
    for cells in rows:
        sheet.append(cells)
    book.save(path)
    return path


@pytest.fixture
def filled_docx(tmp_path):
    return write_docx(tmp_path / "tu-danh-gia.docx", table_rows())


@pytest.fixture
def filled_xlsx(tmp_path):
    return write_xlsx(tmp_path / "tu-danh-gia.xlsx", table_rows())


@pytest.mark.parametrize("fixture", ["filled_docx", "filled_xlsx"])
def test_reading_matches_rows_by_code_then_name_and_lists_the_rest(fixture, request):
    path = request.getfixturevalue(fixture)
    filled = read_filled(path, T)
    assert filled.scores == {k: D(v.replace(",", ".")) for k, v in {**AREA1, **AREA2}.items()}
    unknown = [f for f in filled.findings if "không khớp tiêu chí nào" in f]
    assert len(unknown) == 1 and "Công tác phối hợp với cơ quan báo chí" in unknown[0]
    assert any("không ghi mã; khớp theo tên với tiêu chí 1.5" in f for f in filled.findings)
    assert all(", dòng " in f for f in filled.findings)
    card = score(T, filled.scores)
    assert card.areas["1"]["points"] == D("7.30")
    assert card.areas["2"]["points"] == D("3.05")




def test_a_table_without_a_self_score_column_is_refused_naming_the_file(tmp_path):
    from cchc.core.par.filled import FilledReadError

    path = write_docx(tmp_path / "bang.docx", [["STT", "Tiêu chí", "Điểm tối đa"], ["1.1", "Thực hiện kế hoạch", "1,5"]])
    with pytest.raises(FilledReadError, match="bang.docx: không tìm thấy bảng tiêu chí"):
        read_filled(path, T)


def test_a_score_that_is_not_a_number_is_a_finding_with_its_row(tmp_path):
    rows = [HEADER, ["1.2.", "x", "1,00", "một", ""], ["1.6.", "y", "1,00", "0,75", ""]]
    filled = read_filled(write_xlsx(tmp_path / "t.xlsx", rows), T)
    assert filled.scores == {"1.6": D("0.75")} and filled.rows == {"1.6": 4}  # sheet rows: a title row, then the header
    assert filled.findings == ["t.xlsx, dòng 3 (tiêu chí 1.2): điểm tự đánh giá «một» không phải là số."]
