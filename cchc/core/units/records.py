"""Unit records of a province: the province, its departments and agencies, districts and communes.

Pure data, no Django: the Django layer upserts these into its Unit model.

Codes (stable and unique across kinds and eras):

* province: the dataset province code, ``"38"`` for Thanh Hóa;
* district (until 2025-06-30): ``"<province>.<district>"``, e.g. ``"38.399"`` (huyện Hoằng Hóa);
* commune before 2025-07-01: ``"<province>.<district>.<commune>"``, e.g. ``"38.399.15988"`` (xã Hoằng Tiến);
* commune from 2025-07-01: ``"<province>.<commune>"``, e.g. ``"38.15112"`` (xã Kiên Thọ).
  The new official codes reuse codes of merged communes (new Hoằng Tiến is 15991, the code of old
  Hoằng Hải), hence the era-specific shape;
* departments, agencies and their sub-units: curated slugs, e.g. ``"tha-so-noi-vu"``.

Names: administrative units are named after their People's Committee, the body that carries out tasks,
in the short form the plans use: "UBND tỉnh Thanh Hóa", "UBND huyện Hoằng Hóa", "UBND xã Hoằng Tiến";
the territorial name ("Xã Hoằng Tiến") is a short name. Departments keep their name without the
province ("Sở Nội vụ").

Administrative units come from the vietnamadminunits dataset (MIT licence,
https://github.com/tranngocminhhieu/vietnamadminunits): its legacy table is the state of
2024-12-01..2025-06-30, its current table the state from 2025-07-01, and its converter data gives
which old communes became which new ones. The package is located but not imported (importing it
loads its parsers and geo libraries); its SQLite and JSON files are read directly.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

UNIT_KINDS = (
    "province",
    "department",
    "district",
    "commune",
    "office",
    "central_agency",
    "public_service_unit",
)
SUCCESSION_KINDS = ("merged_into", "split_into", "renamed_to")

REFORM_2025 = date(2025, 7, 1)  # two-level local government: districts abolished, communes merged
LAST_DAY_BEFORE_REFORM = date(2025, 6, 30)

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    kind: str
    parent_code: str | None
    short_names: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None  # last day it existed
    successors: tuple[tuple[str, str, date], ...] = ()  # (successor code, SUCCESSION_KINDS item, date)

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


def province_units(province: str = "thanh-hoa") -> list[UnitRecord]:
    """Every unit of the province: the province, departments and agencies, districts, old and new communes."""
    return list(_province_units(province))


@lru_cache(maxsize=8)
def _province_units(province: str) -> tuple[UnitRecord, ...]:
    path = DATA_DIR / f"{province.replace('-', '_')}_departments.json"
    if not path.exists():
        raise ValueError(f"no curated unit data for province {province!r} (expected {path.name})")
    data = json.loads(path.read_text(encoding="utf-8"))
    prov = data["province"]
    province_code = prov["code"]
    records = [
        UnitRecord(
            code=province_code,
            name=prov["name"],
            kind="province",
            parent_code=None,
            short_names=tuple(prov.get("short_names", ())),
        )
    ]
    records.extend(_curated(item) for item in data["units"])
    records.extend(_admin_units(prov["dataset_code"], province_code, data.get("extra_districts", ())))
    codes = [r.code for r in records]
    if len(codes) != len(set(codes)):
        raise ValueError(f"duplicate unit codes in {path.name}")
    return tuple(records)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _successors(items) -> tuple[tuple[str, str, date], ...]:
    out = []
    for code, relation, when in items:
        if relation not in SUCCESSION_KINDS:
            raise ValueError(f"unknown succession kind {relation!r}")
        out.append((code, relation, date.fromisoformat(when)))
    return tuple(out)


def _curated(item: dict) -> UnitRecord:
    if item["kind"] not in UNIT_KINDS:
        raise ValueError(f"unknown unit kind {item['kind']!r}")
    return UnitRecord(
        code=item["code"],
        name=item["name"],
        kind=item["kind"],
        parent_code=item.get("parent"),
        short_names=tuple(item.get("short_names", ())),
        valid_from=_date(item.get("valid_from")),
        valid_to=_date(item.get("valid_to")),
        successors=_successors(item.get("successors", ())),
    )


def _dataset_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vietnamadminunits package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _committee(territorial_name: str) -> str:
    """'Xã Hoằng Tiến' -> 'UBND xã Hoằng Tiến'; 'Thị xã Bỉm Sơn' -> 'UBND thị xã Bỉm Sơn'."""
    return "UBND " + territorial_name[:1].lower() + territorial_name[1:]


def _admin_units(dataset_code: str, province_code: str, extra_districts) -> list[UnitRecord]:
    data_dir = _dataset_dir()
    with sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True) as conn:
        legacy = conn.execute(
            "SELECT DISTINCT provinceKey, district, districtCode, districtKey, ward, wardCode, wardKey "
            "FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode",
            (dataset_code,),
        ).fetchall()
        current = conn.execute(
            "SELECT DISTINCT provinceKey, ward, wardCode, wardKey FROM admin_units "
            "WHERE provinceCode = ? ORDER BY wardCode",
            (dataset_code,),
        ).fetchall()
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    new_code_by_key = {}
    new_records = []
    for _pkey, ward, ward_code, ward_key in current:
        code = f"{province_code}.{ward_code}"
        new_code_by_key[ward_key] = code
        new_records.append(
            UnitRecord(
                code=code,
                name=_committee(ward),
                kind="commune",
                parent_code=province_code,
                short_names=(ward,),
                valid_from=REFORM_2025,
            )
        )

    # Old commune key ("tinhthanhhoa_huyenhoanghoa_xahoangtien") -> successors.
    successions: dict[str, tuple[tuple[str, str, date], ...]] = {}
    new_province_keys = {r[0] for r in current}
    for pkey in new_province_keys:
        for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(pkey, {}).items():
            relation = "merged_into" if len(old_keys) > 1 else "renamed_to"
            for old_key in old_keys:
                if new_key in new_code_by_key:
                    successions[old_key] = ((new_code_by_key[new_key], relation, REFORM_2025),)
        for old_key, parts in converter["DICT_PROVINCE_WARD_DIVIDED"].get(pkey, {}).items():
            ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])  # default successor first
            successions[old_key] = tuple(
                (new_code_by_key[p["newWardKey"]], "split_into", REFORM_2025)
                for p in ordered
                if p["newWardKey"] in new_code_by_key
            )

    districts: dict[str, UnitRecord] = {}
    communes = []
    for pkey, district, district_code, district_key, ward, ward_code, ward_key in legacy:
        dcode = f"{province_code}.{district_code}"
        if dcode not in districts:
            districts[dcode] = UnitRecord(
                code=dcode,
                name=_committee(district),
                kind="district",
                parent_code=province_code,
                short_names=(district,),
                valid_to=LAST_DAY_BEFORE_REFORM,
            )
        communes.append(
            UnitRecord(
                code=f"{dcode}.{ward_code}",
                name=_committee(ward),
                kind="commune",
                parent_code=dcode,
                short_names=(ward,),
                valid_to=LAST_DAY_BEFORE_REFORM,
                successors=successions.get(f"{pkey}_{district_key}_{ward_key}", ()),
            )
        )
    for extra in extra_districts:
        dcode = f"{province_code}.{extra['dataset_code']}"
        districts[dcode] = UnitRecord(
            code=dcode,
            name=_committee(extra["name"]),
            kind="district",
            parent_code=province_code,
            short_names=(extra["name"],),
            valid_from=_date(extra.get("valid_from")),
            valid_to=_date(extra.get("valid_to")),
            successors=tuple(
                (f"{province_code}.{c}", rel, date.fromisoformat(d))
                for c, rel, d in extra.get("successors", ())
            ),
        )
    return [*sorted(districts.values(), key=lambda r: r.code), *communes, *new_records]
