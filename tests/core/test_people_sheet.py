"""Officials as a spreadsheet (cchc/core/people.py): each row checked on its own."""

import io

from openpyxl import Workbook

from cchc.core import people
from cchc.core.sheets import read_xlsx

ROLES = {"viewer": "Xem", "officer": "Cán bộ cập nhật", "manager": "Lãnh đạo, quản trị đơn vị"}


def rows_of(rows):
    book = Workbook()
    book.active.append(["Họ và tên", "Thư điện tử", "Đơn vị", "Vai trò"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return people.read_rows(read_xlsx(out.getvalue(), "tk.xlsx", people.COLUMNS), ROLES)


def test_good_rows_are_read_with_roles_by_label_or_key():
    rows, errors = rows_of([
        ["Lê Thị Hoa", "Hoa.LT@SoNoiVu.ThanhHoa.gov.vn", "tha-so-noi-vu", "cán bộ cập nhật"],
        ["Lê Thị Hoa", "hoa.lt@sonoivu.thanhhoa.gov.vn", "38101", "viewer"],
        [None, None, None, None],
    ])
    assert errors == []
    assert [(r.line, r.email, r.unit, r.role) for r in rows] == [
        (2, "hoa.lt@sonoivu.thanhhoa.gov.vn", "tha-so-noi-vu", "officer"),
        (3, "hoa.lt@sonoivu.thanhhoa.gov.vn", "38101", "viewer"),
    ]


def test_each_wrong_cell_is_named():
    _rows, errors = rows_of([
        ["", "a@b.vn", "38", "viewer"],
        ["Trần Văn B", "tran van b@gmail", "38", "viewer"],
        ["Trần Văn C", "c@b.vn", "38", "giám đốc"],
        ["Trần Văn D", "d@b.vn", "38", "viewer"],
        ["Trần Văn Đ", "d@b.vn", "38101", "viewer"],
        ["Trần Văn E", "e@b.vn", "38", "viewer"],
        ["Trần Văn E", "e@b.vn", "38", "officer"],
    ])
    text = [e.text("tk.xlsx") for e in errors]
    assert text == [
        "tk.xlsx, dòng 2, cột “Họ và tên”: thiếu họ và tên.",
        "tk.xlsx, dòng 3, cột “Thư điện tử”: “tran van b@gmail” không phải địa chỉ thư điện tử.",
        "tk.xlsx, dòng 4, cột “Vai trò”: “giám đốc” không hợp lệ; dùng một trong: Xem (viewer); "
        "Cán bộ cập nhật (officer); Lãnh đạo, quản trị đơn vị (manager).",
        "tk.xlsx, dòng 6, cột “Họ và tên”: d@b.vn đã ghi ở dòng 5 với tên “Trần Văn D”.",
        "tk.xlsx, dòng 8, cột “Đơn vị”: e@b.vn ở đơn vị này đã ghi ở dòng 7.",
    ]
