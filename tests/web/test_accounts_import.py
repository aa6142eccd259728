"""Bulk import of officials' accounts and memberships from .xlsx, and the set-password e-mail."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from cchc.accounts.models import Membership
from cchc.history.models import ObjectChange

HEADER = ["Họ và tên", "Thư điện tử", "Đơn vị", "Vai trò"]


def xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name="tai-khoan.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def coordinator(registry, make_user):
    return make_user("snv", registry["home_affairs"], role="coordinator")


def test_preview_then_import_sends_each_new_person_a_set_password_link(
    registry, coordinator, make_user, client, django_capture_on_commit_callbacks
):
    known = make_user("an", registry["justice"], role="viewer", email="an@stp.thanhhoa.gov.vn")
    data = xlsx([
        ["Lê Thị Hoa", "hoa@snv.thanhhoa.gov.vn", "tha-so-noi-vu", "Cán bộ cập nhật"],
        ["Lê Thị Hoa", "hoa@snv.thanhhoa.gov.vn", "UBND xã Kiên Thọ", "viewer"],
        ["Nguyễn Văn An", "an@stp.thanhhoa.gov.vn", "tha-so-tu-phap", "manager"],
        ["Phạm Minh", "minh@kientho.thanhhoa.gov.vn", "38102", "officer"],
    ])
    client.force_login(coordinator)
    assert 'id="accounts-template"' in client.get("/tai-khoan/nhap/").content.decode()
    preview = client.post("/tai-khoan/nhap/", {"file": upload(data)})
    body = preview.content.decode()
    assert 'id="dry-run"' in body and "Sẽ tạo <strong>2</strong> tài khoản mới" in body
    assert "thêm <strong>3</strong> lượt vào đơn vị, đổi vai trò <strong>1</strong> lượt" in body
    assert "Xem → Lãnh đạo, quản trị đơn vị" in body
    assert get_user_model().objects.count() == 2 and mail.outbox == []  # a dry run writes and sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/tai-khoan/nhap/", {"payload": preview.context["payload"], "apply": "1"})
    assert done.status_code == 302
    hoa = get_user_model().objects.get(username="hoa@snv.thanhhoa.gov.vn")
    assert (hoa.first_name, hoa.email, hoa.has_usable_password()) == ("Lê Thị Hoa", hoa.username, False)
    assert set(Membership.objects.filter(user=hoa).values_list("unit__code", "role")) == {
        ("tha-so-noi-vu", "officer"), ("38102", "viewer")}
    assert Membership.objects.get(user=known).role == "manager"
    assert ObjectChange.objects.filter(origin="accounts.import tai-khoan.xlsx", user=coordinator,
                                       object_type__model="membership").count() == 4

    assert sorted(m.to[0] for m in mail.outbox) == ["hoa@snv.thanhhoa.gov.vn", "minh@kientho.thanhhoa.gov.vn"]
    letter = next(m for m in mail.outbox if m.to == ["hoa@snv.thanhhoa.gov.vn"])
    assert "Kính gửi Lê Thị Hoa" in letter.body and "UBND xã Kiên Thọ: Xem" in letter.body
    link = re.search(r"http://\S+/tai-khoan/dat-mat-khau/\S+", letter.body).group(0)

    client.logout()
    path = urlsplit(link).path
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Cchc-2026-hoa!", "new_password2": "Cchc-2026-hoa!"})
    assert done.status_code == 302
    assert client.login(username="hoa@snv.thanhhoa.gov.vn", password="Cchc-2026-hoa!")
    client.logout()
    assert 'id="invalid-link"' in client.get(path, follow=True).content.decode()  # a link works once


def test_a_wrong_row_refuses_the_whole_file(registry, coordinator, client):
    client.force_login(coordinator)
    data = xlsx([
        ["Lê Thị Hoa", "hoa@snv.thanhhoa.gov.vn", "tha-so-noi-vu", "officer"],
        ["Trần B", "b@snv.thanhhoa.gov.vn", "so-khong-co", "officer"],
    ])
    body = client.post("/tai-khoan/nhap/", {"file": upload(data), "apply": "1"}).content.decode()
    assert "tai-khoan.xlsx, dòng 3, cột “Đơn vị”: không có đơn vị mã hoặc tên “so-khong-co”" in body
    assert not get_user_model().objects.filter(username="hoa@snv.thanhhoa.gov.vn").exists()


def test_a_manager_imports_only_into_their_units_and_cannot_grant_coordinators(registry, make_user, client):
    manager = make_user("ql", registry["new_b"], role="manager")
    client.force_login(manager)
    data = xlsx([
        ["Phạm Minh", "minh@kientho.vn", "38102", "coordinator"],
        ["Trần B", "b@snv.vn", "tha-so-noi-vu", "officer"],
    ])
    body = client.post("/tai-khoan/nhap/", {"file": upload(data)}).content.decode()
    assert "dòng 2, cột “Vai trò”: chỉ điều phối viên CCHC cấp tỉnh mới giao được vai trò điều phối." in body
    assert "dòng 3, cột “Đơn vị”: bạn không quản lý tài khoản của Sở Nội vụ." in body

    officer = make_user("cb", registry["new_b"], role="officer")
    client.force_login(officer)
    assert client.get("/tai-khoan/nhap/").status_code == 403
    assert client.post("/tai-khoan/nhap/", {"file": upload(data)}).status_code == 403


def test_the_command_previews_then_imports(registry, tmp_path, capsys, django_capture_on_commit_callbacks):
    path = tmp_path / "tk.xlsx"
    path.write_bytes(xlsx([["Phạm Minh", "minh@kientho.vn", "38102", "Lãnh đạo, quản trị đơn vị"]]))
    call_command("import_accounts", str(path), "--dry-run")
    assert "Sẽ tạo 1 tài khoản mới, thêm 1 lượt vào đơn vị" in capsys.readouterr().out
    assert not get_user_model().objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_accounts", str(path))
    out = capsys.readouterr().out
    assert "Thư có đường dẫn đặt mật khẩu: gửi tới 1 người mới." in out and len(mail.outbox) == 1
    assert Membership.objects.get(user__username="minh@kientho.vn").role == "manager"
    with pytest.raises(CommandError, match="dòng 2, cột “Vai trò”"):
        path.write_bytes(xlsx([["Phạm Minh", "minh@kientho.vn", "38102", "trưởng phòng"]]))
        call_command("import_accounts", str(path))


def test_a_failing_mail_server_keeps_the_accounts(registry, settings, django_capture_on_commit_callbacks, caplog):
    from cchc.accounts import bulk

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        plan = bulk.apply(xlsx([["Phạm Minh", "minh@kientho.vn", "38102", "officer"]]), "tk.xlsx", None)
    assert plan.emails_sent == 0 and "welcome e-mail to minh@kientho.vn failed" in caplog.text
    assert Membership.objects.filter(user__username="minh@kientho.vn", unit__code="38102").exists()
