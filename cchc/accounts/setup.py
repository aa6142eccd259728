"""First run for a province: its units and bodies, and the coordinator who sets up the rest."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.core.units.country import province as find_province
from cchc.today import today
from cchc.units.models import Unit, UnitKind
from cchc.units.registry import LoadResult, load_province

from .models import Membership, Role


class NotEmpty(Exception):
    pass


@dataclass
class Initialised:
    province: Unit
    coordinator_unit: Unit
    username: str
    password: str
    units: LoadResult


def next_steps(username: str) -> list[str]:
    """What the coordinator does next; printed by `cchc init` and shown on the first login."""
    return [
        "Chạy máy chủ: cchc serve, rồi mở http://127.0.0.1:8000/",
        f"Đăng nhập bằng tài khoản {username} và đổi mật khẩu.",
        "Rà soát danh mục đơn vị, sở, ngành của tỉnh (Danh mục đơn vị) và bổ sung cơ quan riêng của tỉnh: "
        "Danh mục đơn vị → Nhập danh mục cơ quan (tệp mẫu .xlsx), hoặc cchc import-bodies TỆP.xlsx --province MÃ.",
        "Nhập kế hoạch CCHC của tỉnh: cchc import-plan TỆP.docx (hoặc trên trang Kế hoạch).",
        "Cấp tài khoản cho cán bộ các sở, ngành và các xã, phường: nhập từ tệp .xlsx ở trang /tai-khoan/nhap/ "
        "(hoặc cchc import-accounts TỆP.xlsx); mỗi người nhận thư có đường dẫn đặt mật khẩu.",
    ]


@transaction.atomic
def initialise(province_key: str, username: str = "dieuphoi", email: str = "") -> Initialised:
    """Load the province into an empty database and create its coordinator at the Sở Nội vụ.
    Raises NotEmpty if units or users exist, core.UnknownProvince for an unknown key."""
    User = get_user_model()
    if Unit.objects.exists() or User.objects.exists():
        raise NotEmpty(
            "Cơ sở dữ liệu đã có dữ liệu (đơn vị hoặc tài khoản): cchc init chỉ chạy trên cơ sở dữ liệu trống. "
            "Để nạp thêm một tỉnh, dùng cchc load-units --province MÃ."
        )
    code = find_province(province_key).code
    units = load_province(province_key)
    province = Unit.objects.get(code=code)
    home = (
        Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT, name="Sở Nội vụ").valid_on(today()).first()
        or province
    )
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, email=email, password=password, first_name="Điều phối CCHC")
    user.is_staff = user.is_superuser = True
    user.save()
    Membership.objects.create(user=user, unit=home, role=Role.COORDINATOR)
    return Initialised(province, home, username, password, units)

