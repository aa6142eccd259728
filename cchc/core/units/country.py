"""The country's provinces and their administrative units, from the vietnamadminunits dataset.

Pure data, no Django. The dataset (MIT licence, https://github.com/tranngocminhhieu/vietnamadminunits)
is located but not imported (importing it loads its parsers and geo libraries): its SQLite and JSON
files are read directly. Its legacy table is the state of 2024-12-01..2025-06-30 (63 provinces,
696 districts, 10,035 communes), its current table the state from 2025-07-01 (34 provinces,
3,321 communes, wards and special zones), and its converter data says which old province and
commune became which new one.

Province keys are the slug of the province's short name after 2025: "thanh-hoa", "lam-dong",
"ha-noi", "ho-chi-minh".

Codes (see records.py): a province after 2025 has its new dataset code ("68" Lâm Đồng). A province
before 2025 is the same unit when it kept its name and code (Thanh Hóa "38", Lâm Đồng "68");
a province merged into another, or whose code went to the new province, is ``"<old code>-2025"``
("67-2025" Đắk Nông, "80-2025" Long An, whose code 80 is now Tây Ninh's).
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cchc.core.text import fold

REFORM_2025 = date(2025, 7, 1)  # two-level local government: districts abolished, communes merged
LAST_DAY_BEFORE_REFORM = date(2025, 6, 30)


class UnknownProvince(ValueError):
    def __init__(self, key: str, nearest: list[str]):
        self.key, self.nearest = key, nearest
        hint = f" Gần nhất: {', '.join(nearest)}." if nearest else ""
        super().__init__(f"Không có tỉnh/thành phố mã {key!r}.{hint} Xem danh sách: cchc load-units --list")


@dataclass(frozen=True)
class OldProvince:
    code: str  # the dataset's code before 2025
    key: str  # the dataset's key ("tinhdaknong")
    name: str  # "Tỉnh Đắk Nông"
    unit_code: str  # the Unit code: the new province's code when it continues, else "<code>-2025"


@dataclass(frozen=True)
class Province:
    key: str  # "lam-dong"
    code: str  # dataset code after 2025, "68"
    dataset_key: str  # "tinhlamdong"
    name: str  # "Tỉnh Lâm Đồng" / "Thành phố Hà Nội"
    place: str  # "Lâm Đồng"
    predecessors: tuple[OldProvince, ...]

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Thành phố ")

    @property
    def continues(self) -> bool:
        """Whether one province before 2025 is this very unit (same name and code)."""
        return any(p.unit_code == self.code for p in self.predecessors)


def dataset_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _connect() -> sqlite3.Connection:
    return sqlite3.connect(f"file:{dataset_dir() / 'dataset.db'}?mode=ro", uri=True)


@cache
def converter() -> dict:
    return json.loads((dataset_dir() / "converter_2025.json").read_text(encoding="utf-8"))


def province_key(short_name: str) -> str:
    return "-".join(fold(short_name).replace("-", " ").split())


@cache
def provinces() -> dict[str, Province]:
    """The 34 provinces and cities from 2025-07-01, by key, in dataset code order."""
    with _connect() as conn:
        current = conn.execute(
            "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM admin_units ORDER BY provinceCode"
        ).fetchall()
        legacy = {
            row[1]: row
            for row in conn.execute("SELECT DISTINCT provinceCode, provinceKey, province FROM admin_units_legacy")
        }
    out = {}
    for code, name, short, dkey in current:
        olds = []
        for old_key in converter()["DICT_PROVINCE"][dkey]:
            old_code, _, old_name = legacy[old_key]
            same = old_code == code and old_key == dkey
            unit_code = code if same else f"{old_code}-2025"
            olds.append(OldProvince(old_code, old_key, old_name, unit_code))
        key = province_key(short)
        out[key] = Province(key, code, dkey, name, short, tuple(sorted(olds, key=lambda p: p.code)))
    return out


def province(key: str) -> Province:
    known = provinces()
    if key in known:
        return known[key]
    folded = province_key(key)
    if folded in known:
        return known[folded]
    raise UnknownProvince(key, difflib.get_close_matches(folded, list(known), n=3, cutoff=0.5))


@dataclass(frozen=True)
class AdminRows:
    """A province's administrative units as the dataset has them."""

    current: list[tuple[str, str]]  # (ward code, ward name) after 2025
    current_keys: dict[str, str]  # ward key -> ward code
    legacy: list[tuple[OldProvince, str, str, str, str, str, str]]
    # (old province, district name, district code, district key, ward name or None, ward code, ward key)


def admin_rows(prov: Province) -> AdminRows:
    olds = {p.key: p for p in prov.predecessors}
    with _connect() as conn:
        current = conn.execute(
            "SELECT DISTINCT ward, wardCode, wardKey FROM admin_units WHERE provinceCode = ? ORDER BY wardCode",
            (prov.code,),
        ).fetchall()
        marks = ",".join("?" * len(olds))
        legacy = conn.execute(
            "SELECT DISTINCT provinceKey, district, districtCode, districtKey, ward, wardCode, wardKey "
            f"FROM admin_units_legacy WHERE provinceKey IN ({marks}) ORDER BY provinceCode, districtCode, wardCode",
            tuple(olds),
        ).fetchall()
    return AdminRows(
        current=[(code, ward) for ward, code, _ in current],
        current_keys={key: code for _, code, key in current},
        legacy=[(olds[row[0]], *row[1:]) for row in legacy],
    )


def ward_successions(prov: Province, current_keys: dict[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Old commune key ("tinhthanhhoa_huyenhoanghoa_xahoangtien") -> ((new ward code, relation), ...),
    the default successor first for a commune split between several."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    data = converter()
    for new_key, old_keys in data["DICT_PROVINCE_WARD_NO_DIVIDED"].get(prov.dataset_key, {}).items():
        relation = "merged_into" if len(old_keys) > 1 else "renamed_to"
        for old_key in old_keys:
            if new_key in current_keys:
                out[old_key] = ((current_keys[new_key], relation),)
    for old_key, parts in data["DICT_PROVINCE_WARD_DIVIDED"].get(prov.dataset_key, {}).items():
        ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
        out[old_key] = tuple(
            (current_keys[p["newWardKey"]], "split_into") for p in ordered if p["newWardKey"] in current_keys
        )
    return out
