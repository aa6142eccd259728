"""`cchc init --province KEY`: first run on an empty database, and the first login's steps."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.accounts.models import Membership
from cchc.history.models import ObjectChange
from cchc.units.models import Unit


def test_init_loads_the_province_and_creates_its_coordinator(db, capsys, client):
    call_command("init", "--province", "lam-dong", "--email", "cchc@sonoivu.lamdong.gov.vn")
    out = capsys.readouterr().out
    assert "Đã cài đặt cchc cho UBND tỉnh Lâm Đồng: 520 đơn vị" in out and "Các bước tiếp theo:" in out
    password = re.search(r"Mật khẩu \(chỉ hiện một lần.*\): (\S+)", out).group(1)
    assert Unit.objects.filter(parent__code="68", kind="commune").count() == 124
    membership = Membership.objects.get(user__username="dieuphoi")
    assert (membership.unit.code, membership.role) == ("lam-dong-so-noi-vu", "coordinator")
    assert ObjectChange.objects.filter(origin="cchc init", object_type__model="membership").exists()

    assert client.login(username="dieuphoi", password=password)
    page = client.get("/").content.decode()
    assert 'id="first-steps"' in page and "Nhập kế hoạch CCHC của tỉnh" in page
    assert 'href="/don-vi/nhap-co-quan/"' in page and 'href="/tai-khoan/nhap/"' in page
    assert client.get("/don-vi/nhap-co-quan/").context["province"].code == "68"  # the coordinator's own

    with pytest.raises(CommandError, match="chỉ chạy trên cơ sở dữ liệu trống"):
        call_command("init", "--province", "ha-noi")
    assert not Unit.objects.filter(code="01").exists()


def test_init_refuses_an_unknown_province_and_leaves_the_database_empty(db):
    with pytest.raises(CommandError, match="Gần nhất: ha-noi"):
        call_command("init", "--province", "ha-nol")
    assert not Unit.objects.exists() and not get_user_model().objects.exists()
