"""Classes of units ("UBND cấp xã", "Các sở, ban, ngành cấp tỉnh"): a task given to a class is given to
every member, each reporting its own part (DOMAIN.md §4).

Decisions:

* ``departments`` ("Các sở, ban, ngành cấp tỉnh", "Giám đốc các sở, Trưởng các ban, ngành…", "Các cơ quan
  chuyên môn cấp tỉnh") = units of kind ``department``: the sở, Văn phòng UBND tỉnh, Thanh tra tỉnh, Ban Dân
  tộc and the Ban Quản lý KKT Nghi Sơn — the bodies the province ranks in its departmental PAR Index. Central
  agencies located in the province (Công an tỉnh, Cục Thuế, Kho bạc, BHXH…) are *not* members: they are
  not under the provincial People's Committee and take part only when named, or through
  ``central_agencies``. Sub-units (kind ``office``: Ban Thi đua - Khen thưởng, Trung tâm Phục vụ hành
  chính công tỉnh) are not members either: their parent department answers for them.
* ``districts`` / ``communes`` = People's Committees of that level valid on the date; ``all_levels``
  ("UBND các cấp") = province, districts and communes.
* ``public_service_units`` ("Các đơn vị sự nghiệp công lập") = units of kind ``public_service_unit``;
  the registry holds only the few named in the seeds, so membership is partial.

Membership depends on the date: "UBND cấp huyện" has 27 members in 2022 and none in 2026.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .records import UnitRecord


@dataclass(frozen=True)
class UnitClass:
    key: str
    label: str  # how plans write it
    kinds: tuple[str, ...]
    patterns: tuple[str, ...]  # full-match regexes over the canonical form (names.canonical)
    include_province: bool = False

    def matches(self, key: str) -> bool:
        return any(rx.fullmatch(key) for rx in _compiled(self))


_BODY = r"(?:ban|nganh|co quan|don vi)"

UNIT_CLASSES: dict[str, UnitClass] = {
    c.key: c
    for c in (
        UnitClass(
            "departments",
            "Các sở, ban, ngành cấp tỉnh",
            ("department",),
            (
                rf"(?:cac so|so(?: (?:cac )?{_BODY})+)(?: (?:cac )?{_BODY})*(?: cap tinh| tinh| thuoc uy ban nhan dan tinh)?",
                r"(?:cac )?co quan chuyen mon (?:cap tinh|thuoc uy ban nhan dan tinh)",
            ),
        ),
        UnitClass(
            "districts",
            "UBND cấp huyện",
            ("district",),
            (r"uy ban nhan dan (?:cap huyen|(?:cac )?huyen thi xa thanh pho|cac huyen)",),
        ),
        UnitClass(
            "communes",
            "UBND cấp xã",
            ("commune",),
            (
                r"uy ban nhan dan (?:cap xa|(?:cac )?xa phuong(?: thi tran)?(?: dac khu)?|(?:cac )?xa thi tran|cac xa)",
            ),
        ),
        UnitClass(
            "all_levels",
            "UBND các cấp",
            ("province", "district", "commune"),
            (r"uy ban nhan dan cac cap",),
            include_province=True,
        ),
        UnitClass(
            "central_agencies",
            "Các cơ quan Trung ương đóng trên địa bàn tỉnh",
            ("central_agency",),
            (r"cac co quan (?:trung uong|nganh doc)(?: dong tren dia ban(?: tinh)?)?",),
        ),
        UnitClass(
            "public_service_units",
            "Các đơn vị sự nghiệp công lập",
            ("public_service_unit",),
            (r"(?:cac )?don vi su nghiep cong lap(?: cap tinh| truc thuoc(?: uy ban nhan dan tinh)?)?",),
        ),
    )
}

_COMPILED: dict[str, tuple[re.Pattern, ...]] = {}


def _compiled(cls: UnitClass) -> tuple[re.Pattern, ...]:
    rx = _COMPILED.get(cls.key)
    if rx is None:
        rx = _COMPILED[cls.key] = tuple(re.compile(p) for p in cls.patterns)
    return rx


def class_of(key: str) -> str | None:
    """The class whose written forms match this canonical key, if any."""
    for cls in UNIT_CLASSES.values():
        if cls.matches(key):
            return cls.key
    return None


def members(
    class_key: str,
    records: Sequence[UnitRecord],
    *,
    province_code: str,
    on: date,
    within: str | None = None,
) -> list[UnitRecord]:
    """Members of the class in the province, valid on the date; `within` narrows to one unit's subtree
    (a district's plan saying "UBND cấp xã" means that district's communes)."""
    cls = UNIT_CLASSES[class_key]
    by_code = {r.code: r for r in records}
    anchor = within or province_code

    def under(rec: UnitRecord) -> bool:
        seen = 0
        code = rec.parent_code
        while code is not None and seen < 16:
            if code == anchor:
                return True
            parent = by_code.get(code)
            code = parent.parent_code if parent else None
            seen += 1
        return False

    out = []
    for rec in records:
        if rec.kind not in cls.kinds or not rec.valid_on(on):
            continue
        if rec.code == province_code and cls.include_province and within is None:
            out.append(rec)
        elif under(rec):
            out.append(rec)
    return out
