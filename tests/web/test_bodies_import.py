"""A province corrects its own list of bodies from an .xlsx: template, dry run, audited apply."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from cchc.history.models import ObjectChange
from cchc.units.models import Succession, Unit
from cchc.units.registry import PlanBodyResolver, load_province

NEW_ROW = ["lam-dong-ban-qlkcn", "Ban Quản lý các khu công nghiệp tỉnh", "BQL các KCN; Ban QLKCN",
           "Sở, ban, ngành", "", "01/07/2025", None, None]


@pytest.fixture
def lam_dong(db, make_user):
    load_province("lam-dong")
    province = Unit.objects.get(code="68")
    coordinator = make_user("snv", Unit.objects.get(code="lam-dong-so-noi-vu"), role="coordinator")
    return province, coordinator


def upload(data: bytes, name="co-quan.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def edited_template(content: bytes, rows) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_coordinator_downloads_corrects_previews_and_applies(lam_dong, client):
    province, coordinator = lam_dong
    client.force_login(coordinator)
    assert 'id="import-bodies"' in client.get("/don-vi/").content.decode()
    page = client.get("/don-vi/nhap-co-quan/")
    assert page.status_code == 200 and 'id="bodies-template"' in page.content.decode()
    template = client.get(f"/don-vi/nhap-co-quan/mau/?tinh={province.pk}")
    assert template["Content-Disposition"] == 'attachment; filename="co-quan-68.xlsx"'
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "lam-dong-so-noi-vu" in codes and not any(c.startswith("68.") for c in codes)
    count = Unit.objects.count()

    data = edited_template(template.content, [NEW_ROW])
    preview = client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk, "file": upload(data)})
    body = preview.content.decode()
    assert 'id="dry-run"' in body and "Sẽ thêm <strong>1</strong>, sửa <strong>0</strong>" in body
    assert "Ban Quản lý các khu công nghiệp tỉnh" in body and "BQL các KCN; Ban QLKCN" in body
    assert Unit.objects.count() == count  # a dry run writes nothing

    done = client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk, "payload": preview.context["payload"],
                                                  "apply": "1"})
    assert done.status_code == 302
    unit = Unit.objects.get(code="lam-dong-ban-qlkcn")
    assert (unit.parent, unit.kind, unit.short_names, unit.valid_from) == (
        province, "department", ["BQL các KCN", "Ban QLKCN"], datetime.date(2025, 7, 1))
    change = ObjectChange.objects.get(object_type__model="unit", object_id=unit.pk)
    assert (change.action, change.user, change.origin) == ("create", coordinator, "units.import_bodies co-quan.xlsx")
    history = client.get(f"/don-vi/{unit.pk}/").content.decode()
    assert "snv · tạo mới" in history  # the unit's page shows who added it

    # The resolver learns the body: a plan of Lâm Đồng names it by its short name.
    resolver = PlanBodyResolver(province, datetime.date(2026, 2, 1))
    assert resolver("Ban QLKCN") == (unit, None)

    again = client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk, "file": upload(data)})
    assert "Tệp không thay đổi gì so với danh mục hiện tại." in again.content.decode()


def test_a_wrong_row_refuses_the_whole_file_with_its_row_and_column(lam_dong, client):
    province, coordinator = lam_dong
    client.force_login(coordinator)
    rows = [NEW_ROW, ["lam-dong-so-y-te", "Sở Y tế", None, "department", None, "30/02/2025", None, None]]
    book = Workbook()
    book.active.append(["Mã", "Tên", "Tên viết tắt", "Loại", "Đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến",
                        "Kế thừa từ"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    page = client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk, "file": upload(out.getvalue()), "apply": "1"})
    body = page.content.decode()
    assert "co-quan.xlsx, dòng 3, cột “Hiệu lực từ”: “30/02/2025” không phải ngày" in body
    assert not Unit.objects.filter(code="lam-dong-ban-qlkcn").exists()

    renamed = client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk, "file": upload(b"%PDF-1.4 x", "a.xlsx")})
    assert "không phải" in renamed.content.decode() and 'id="dry-run"' not in renamed.content.decode()


def test_only_the_provinces_coordinator_imports(lam_dong, client, make_user):
    province, _coordinator = lam_dong
    officer = make_user("officer", Unit.objects.get(code="lam-dong-so-y-te"), role="officer")
    client.force_login(officer)
    assert 'id="import-bodies"' not in client.get("/don-vi/").content.decode()
    assert client.get("/don-vi/nhap-co-quan/").status_code == 403
    assert client.get("/don-vi/nhap-co-quan/mau/").status_code == 403

    load_province("thanh-hoa")
    other = make_user("tha", Unit.objects.get(code="tha-so-noi-vu"), role="coordinator")
    client.force_login(other)
    assert client.get("/don-vi/nhap-co-quan/").context["province"].code == "38"
    assert client.post("/don-vi/nhap-co-quan/", {"tinh": province.pk}).status_code == 403


def test_the_command_previews_then_imports_a_merger(lam_dong, tmp_path, capsys):
    call_command("import_bodies", "--province", "lam-dong", "--template", str(tmp_path / "mau.xlsx"))
    merged = ["lam-dong-so-y-te-va-dan-so", "Sở Y tế và Dân số", None, "department", None, "01/01/2026", None,
              "lam-dong-so-y-te"]
    path = Path(tmp_path / "co-quan.xlsx")
    path.write_bytes(edited_template((tmp_path / "mau.xlsx").read_bytes(), [merged]))
    capsys.readouterr()
    call_command("import_bodies", str(path), "--province", "lam-dong", "--dry-run")
    out = capsys.readouterr().out
    assert "Sẽ thêm 1, sửa 0" in out and "1 quan hệ kế thừa mới" in out and "kế thừa từ lam-dong-so-y-te" in out
    assert not Unit.objects.filter(code="lam-dong-so-y-te-va-dan-so").exists()

    call_command("import_bodies", str(path), "--province", "lam-dong")
    succession = Succession.objects.get(successor__code="lam-dong-so-y-te-va-dan-so")
    assert (succession.predecessor.code, succession.on) == ("lam-dong-so-y-te", datetime.date(2026, 1, 1))
    assert ObjectChange.objects.filter(origin="cchc import-bodies co-quan.xlsx", object_type__model="succession").exists()

    with pytest.raises(CommandError, match="Không nhập được"):
        path.write_bytes(edited_template(path.read_bytes(), [["lam-dong-x", "X", None, "trường học", None, None, None,
                                                              None]]))
        call_command("import_bodies", str(path), "--province", "lam-dong")


def test_a_superuser_chooses_the_province(lam_dong, client, make_user):
    load_province("thanh-hoa")
    admin = make_user("admin", is_superuser=True)
    client.force_login(admin)
    first = client.get("/don-vi/nhap-co-quan/")
    assert 'id="choose-province"' in first.content.decode()
    tha = Unit.objects.get(code="38")
    page = client.get(f"/don-vi/nhap-co-quan/?tinh={tha.pk}").content.decode()
    assert "Nhập danh mục cơ quan — UBND tỉnh Thanh Hóa" in page and f'mau/?tinh={tha.pk}"' in page
