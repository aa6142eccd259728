"""A province's bodies as a spreadsheet (cchc/core/units/bodies.py): reading rows, planning changes."""

import datetime
import io

import pytest
from openpyxl import Workbook

from cchc.core.sheets import SheetError, read_xlsx
from cchc.core.units import bodies
from cchc.core.units.records import UnitRecord, province_units

COMMUNE = next(r.code for r in province_units("lam-dong") if r.kind == "commune" and r.parent_code == "68")
HEADER = ["Mã *", "Tên *", "Tên viết tắt", "Loại", "Đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến", "Kế thừa từ"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_for(rows, existing=None, elsewhere=(), successions=()):
    sheet = read_xlsx(xlsx(rows), "co-quan.xlsx", bodies.COLUMNS)
    parsed, errors = bodies.read_rows(sheet)
    units = existing if existing is not None else {r.code: r for r in province_units("lam-dong")}
    plan = bodies.plan_import(parsed, province_code="68", existing=units, elsewhere=set(elsewhere),
                              successions=set(successions))
    return plan, errors + plan.errors


def test_the_template_round_trips_to_no_change():
    records = province_units("lam-dong")
    units = {r.code: r for r in records}
    body_list = [r for r in records if r.kind in bodies.BODY_KINDS]
    successions = {(r.code, s[0]) for r in records for s in r.successors}
    rows = bodies.template_rows(body_list, successions, "68")
    assert len(rows) == len(body_list) > 30
    sheet = read_xlsx(xlsx(rows), "mau.xlsx", bodies.COLUMNS)
    parsed, errors = bodies.read_rows(sheet)
    assert errors == []
    plan = bodies.plan_import(parsed, province_code="68", existing=units, elsewhere=set(), successions=successions)
    assert plan.errors == [] and plan.unchanged == len(body_list) and plan.created == plan.updated == 0


def test_a_new_body_an_edited_one_and_a_merger_are_planned():
    plan, errors = plan_for([
        ["lam-dong-ban-qlkcn", "Ban Quản lý các khu công nghiệp", "BQL KCN; Ban QL KCN", "Sở, ban, ngành", "",
         "01/07/2025", None, None],
        ["lam-dong-so-tu-phap", None, "STP", None, None, None, None, None],
        ["lam-dong-so-y-te-moi", "Sở Y tế", None, "department", "68", datetime.date(2025, 7, 1), None,
         "lam-dong-so-y-te"],
    ])
    assert errors == []
    created, edited, merged = plan.changes
    assert (created.action, created.fields["short_names"][1], created.fields["valid_from"][1]) == (
        "create", ("BQL KCN", "Ban QL KCN"), datetime.date(2025, 7, 1))
    assert created.fields["parent"] == (None, "68") and created.fields["kind"] == (None, "department")
    assert edited.action == "update" and edited.fields == {"short_names": ((), ("STP",))}  # blanks keep the rest
    assert merged.successions == [("lam-dong-so-y-te", "lam-dong-so-y-te-moi", datetime.date(2025, 7, 1))]
    assert (plan.created, plan.updated, plan.successions) == (2, 1, 1)


def test_a_dash_clears_and_an_end_date_closes():
    plan, errors = plan_for([["lam-dong-so-ke-hoach-va-dau-tu", None, "-", None, None, None, "31/03/2025", None]])
    assert errors == [], errors
    (change,) = plan.changes
    assert change.fields == {
        "short_names": (("Sở KH&ĐT", "Sở KHĐT"), ()),
        "valid_to": (datetime.date(2025, 2, 28), datetime.date(2025, 3, 31)),
    }


def test_every_wrong_row_is_named_in_vietnamese():
    plan, errors = plan_for([
        ["", "Không mã", None, "department", None, None, None, None],
        ["ma co dau cach", "Sai mã", None, "department", None, None, None, None],
        ["x-loai", "Loại sai", None, "bệnh viện", None, None, None, None],
        ["x-ngay", "Ngày sai", None, "department", None, "31/02/2025", None, None],
        ["x-cap-tren", "Cấp trên sai", None, "department", "khong-co", None, None, None],
        ["x-thieu-ten", None, None, "department", None, None, None, None],
        [COMMUNE, "Đổi tên xã", None, "department", None, None, None, None],
        ["tha-so-noi-vu", "Mã tỉnh khác", None, "department", None, None, None, None],
        ["x-ke-thua", "Kế thừa không ngày", None, "department", None, None, None, "lam-dong-so-y-te"],
        ["x-ngay-nguoc", "Ngày ngược", None, "department", None, "01/07/2025", "30/06/2025", None],
    ], elsewhere={"tha-so-noi-vu"})
    text = "\n".join(e.text("co-quan.xlsx") for e in errors)
    expected = [
        "co-quan.xlsx, dòng 2, cột “Mã”: thiếu mã.",
        "dòng 3, cột “Mã”: mã “ma co dau cach” chỉ gồm",
        "dòng 4, cột “Loại”: “bệnh viện” không hợp lệ",
        "dòng 5, cột “Hiệu lực từ”: “31/02/2025” không phải ngày",
        "dòng 6, cột “Đơn vị cấp trên”: không có đơn vị mã “khong-co”",
        "dòng 7, cột “Tên”: thiếu tên",
        "dòng 9, cột “Mã”: mã “tha-so-noi-vu” đã dùng cho một đơn vị của tỉnh khác",
        "dòng 10, cột “Hiệu lực từ”: cần ngày hiệu lực để ghi kế thừa",
        "dòng 11, cột “Hiệu lực đến”: ngày 30/06/2025 trước ngày hiệu lực 01/07/2025",
    ]
    for message in expected:
        assert message in text, (message, text)
    assert "dòng 8, cột “Mã”: “COMMUNE” là đơn vị hành chính".replace("COMMUNE", COMMUNE) in text
    assert len(errors) == len(expected) + 1


def test_a_duplicate_code_and_a_parent_cycle_are_refused():
    _plan, errors = plan_for([
        ["x-a", "A", None, "department", "x-b", None, None, None],
        ["x-b", "B", None, "department", "x-a", None, None, None],
        ["x-a", "A lần hai", None, "department", None, None, None, None],
    ])
    text = "\n".join(e.text("f.xlsx") for e in errors)
    assert "dòng 4, cột “Mã”: mã “x-a” đã có ở dòng 2." in text


def test_a_parent_cycle_alone_is_refused():
    _plan, errors = plan_for([
        ["x-a", "A", None, "department", "x-b", None, None, None],
        ["x-b", "B", None, "department", "x-a", None, None, None],
    ])
    assert [e.message for e in errors] == ["đơn vị cấp trên tạo thành vòng lặp."] * 2


def test_a_sheet_without_the_required_columns_or_not_xlsx_is_refused():
    with pytest.raises(SheetError, match="thiếu cột “Tên”"):
        read_xlsx(xlsx([["a"]], header=["Mã"]), "f.xlsx", bodies.COLUMNS)
    with pytest.raises(SheetError, match="“Ghi chú” không phải cột của mẫu"):
        read_xlsx(xlsx([], header=["Mã", "Tên", "Ghi chú"]), "f.xlsx", bodies.COLUMNS)
    with pytest.raises(SheetError, match="không phải tệp Excel"):
        read_xlsx(b"ma,ten\n", "f.xlsx", bodies.COLUMNS)


def test_existing_records_have_the_fields_the_plan_compares():
    record = UnitRecord(code="x", name="X", kind="department", parent_code=None)
    plan = bodies.plan_import([bodies.BodyRow(2, "x", {"name": "X"})], province_code="68", existing={"x": record},
                              elsewhere=set(), successions=set())
    assert plan.unchanged == 1
