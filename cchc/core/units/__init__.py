"""Unit registry data and body-name resolution (pure Python, no Django).

* `provinces` — the 34 provinces and cities after 1/7/2025 by key, with their predecessors (country.py);
* `province_units` — the province, its departments and agencies (curated, cchc/data/*_departments.json,
  or the common set cchc/data/common_departments.json), districts and communes before and after the
  2025 reform (vietnamadminunits dataset); `province_summary` — their counts;
* `UNIT_CLASSES` / `members` — "UBND cấp xã", "Các sở, ban, ngành cấp tỉnh"… and who they are on a date;
* `NameIndex.resolve` — a body as written -> unit / class / office of the issuer / unresolved;
  `NameIndex.split` — a table cell -> single bodies.
"""

from .classes import UNIT_CLASSES, UnitClass, class_of, members
from .country import UnknownProvince, provinces
from .names import ABBREVIATIONS, canonical
from .patterns import OFFICES
from .records import SUCCESSION_KINDS, UNIT_KINDS, UnitRecord, province_summary, province_units
from .resolver import OUTCOMES, NameIndex, Resolution

__all__ = [
    "ABBREVIATIONS",
    "OFFICES",
    "OUTCOMES",
    "SUCCESSION_KINDS",
    "UNIT_CLASSES",
    "UNIT_KINDS",
    "NameIndex",
    "Resolution",
    "UnitClass",
    "UnitRecord",
    "UnknownProvince",
    "canonical",
    "class_of",
    "members",
    "province_summary",
    "province_units",
    "provinces",
]
