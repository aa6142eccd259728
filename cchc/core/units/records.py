"""Unit records of a province: the province, its departments and agencies, districts and communes.

Pure data, no Django: the Django layer upserts these into its Unit model.

Codes (stable and unique across kinds and eras):

* province: the dataset province code, ``"38"`` for Thanh Hóa; a province merged away in 2025
  ``"<old code>-2025"`` (country.py);
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

Administrative units come from the vietnamadminunits dataset (country.py). Every province has
the common bodies of cchc/data/common_departments.json (coded ``"<province key>-<slug>"``) unless it
has a curated file of its own (cchc/data/thanh_hoa_departments.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .country import LAST_DAY_BEFORE_REFORM, REFORM_2025, Province, admin_rows, province, ward_successions

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
    """Every unit of the province: the province and its predecessors, departments and agencies,
    districts, old and new communes. Raises country.UnknownProvince for a key not in the dataset."""
    return list(_province_units(province))


@lru_cache(maxsize=40)
def _province_units(key: str) -> tuple[UnitRecord, ...]:
    prov = province(key)
    path = DATA_DIR / f"{prov.key.replace('-', '_')}_departments.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        curated = data["province"]
        if curated["code"] != prov.code:
            raise ValueError(f"{path.name}: province code {curated['code']!r}, the dataset says {prov.code!r}")
        head = _province_record(prov, curated["name"], tuple(curated.get("short_names", ())))
        bodies = [_curated(item) for item in data["units"]]
        extra = data.get("extra_districts", ())
        source = path.name
    else:
        head = _province_record(prov)
        bodies = common_bodies(prov)
        extra = ()
        source = "common_departments.json"
    records = [head, *_predecessor_records(prov), *bodies, *_admin_units(prov, extra)]
    codes = [r.code for r in records]
    if len(codes) != len(set(codes)):
        raise ValueError(f"duplicate unit codes for {prov.key} ({source})")
    return tuple(records)


def _province_record(prov: Province, name: str | None = None, short_names: tuple[str, ...] = ()) -> UnitRecord:
    return UnitRecord(
        code=prov.code,
        name=name or _committee(prov.name),
        kind="province",
        parent_code=None,
        short_names=short_names or (prov.name, "UBND thành phố" if prov.is_city else "UBND tỉnh"),
        valid_from=None if prov.continues else REFORM_2025,
    )


def _predecessor_records(prov: Province) -> list[UnitRecord]:
    return [
        UnitRecord(
            code=old.unit_code,
            name=_committee(old.name),
            kind="province",
            parent_code=None,
            short_names=(old.name,),
            valid_to=LAST_DAY_BEFORE_REFORM,
            successors=((prov.code, "merged_into", REFORM_2025),),
        )
        for old in prov.predecessors
        if old.unit_code != prov.code
    ]


@lru_cache(maxsize=1)
def _common() -> dict:
    return json.loads((DATA_DIR / "common_departments.json").read_text(encoding="utf-8"))


def common_bodies(prov: Province) -> list[UnitRecord]:
    """The common departments, agencies and central bodies of a province without a curated file,
    plus the ones particular to it, coded ``"<key>-<slug>"``."""
    data = _common()
    items = [*data["units"], *data["provinces"].get(prov.key, ())]

    def code(slug: str) -> str:
        return prov.code if slug == "province" else f"{prov.key}-{slug}"

    def text(value: str) -> str:
        value = value.replace("{place}", prov.place)
        return value.replace(" tỉnh", " thành phố") if prov.is_city else value

    records = []
    for item in items:
        record = _curated(item)
        records.append(
            UnitRecord(
                code=code(record.code),
                name=text(record.name),
                kind=record.kind,
                parent_code=code(record.parent_code or "province"),
                short_names=tuple(dict.fromkeys(text(s) for s in record.short_names)),
                valid_from=record.valid_from,
                valid_to=record.valid_to,
                successors=tuple((code(c), rel, when) for c, rel, when in record.successors),
            )
        )
    return records


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


def _committee(territorial_name: str) -> str:
    """'Xã Hoằng Tiến' -> 'UBND xã Hoằng Tiến'; 'Thị xã Bỉm Sơn' -> 'UBND thị xã Bỉm Sơn'."""
    return "UBND " + territorial_name[:1].lower() + territorial_name[1:]


def _admin_units(prov: Province, extra_districts=()) -> list[UnitRecord]:
    rows = admin_rows(prov)
    successions = ward_successions(prov, rows.current_keys)
    new_records = [
        UnitRecord(
            code=f"{prov.code}.{ward_code}",
            name=_committee(ward),
            kind="commune",
            parent_code=prov.code,
            short_names=(ward,),
            valid_from=REFORM_2025,
        )
        for ward_code, ward in rows.current
    ]
    special_zones = {w.removeprefix("Đặc khu "): f"{prov.code}.{c}" for c, w in rows.current if w.startswith("Đặc khu ")}

    districts: dict[str, UnitRecord] = {}
    communes = []
    for old, district, district_code, district_key, ward, ward_code, ward_key in rows.legacy:
        dcode = f"{old.code}.{district_code}"
        if dcode not in districts:
            districts[dcode] = UnitRecord(
                code=dcode,
                name=_committee(district),
                kind="district",
                parent_code=old.unit_code,
                short_names=(district,),
                valid_to=LAST_DAY_BEFORE_REFORM,
            )
        if ward is None:
            # An island district without communes (Bạch Long Vĩ, Cồn Cỏ, Lý Sơn, Côn Đảo, Hoàng Sa)
            # became a special zone of the same name.
            zone = special_zones.get(district.split(" ", 1)[1])
            if zone:
                districts[dcode] = _with_successors(districts[dcode], ((zone, "renamed_to", REFORM_2025),))
            continue
        communes.append(
            UnitRecord(
                code=f"{dcode}.{ward_code}",
                name=_committee(ward),
                kind="commune",
                parent_code=dcode,
                short_names=(ward,),
                valid_to=LAST_DAY_BEFORE_REFORM,
                successors=tuple(
                    (f"{prov.code}.{code}", rel, REFORM_2025)
                    for code, rel in successions.get(f"{old.key}_{district_key}_{ward_key}", ())
                ),
            )
        )
    for extra in extra_districts:
        dcode = f"{prov.code}.{extra['dataset_code']}"
        districts[dcode] = UnitRecord(
            code=dcode,
            name=_committee(extra["name"]),
            kind="district",
            parent_code=prov.code,
            short_names=(extra["name"],),
            valid_from=_date(extra.get("valid_from")),
            valid_to=_date(extra.get("valid_to")),
            successors=tuple(
                (f"{prov.code}.{c}", rel, date.fromisoformat(d)) for c, rel, d in extra.get("successors", ())
            ),
        )
    return [*sorted(districts.values(), key=lambda r: r.code), *communes, *new_records]


def _with_successors(record: UnitRecord, successors) -> UnitRecord:
    return UnitRecord(**{**record.__dict__, "successors": successors})


def province_summary(key: str) -> dict:
    """The counts `cchc load-units --json` prints."""
    prov = province(key)
    records = _province_units(prov.key)
    communes = [r for r in records if r.kind == "commune"]
    return {
        "province": prov.key,
        "name": prov.name,
        "communes": sum(1 for r in communes if r.valid_to is None),
        "departments": sum(1 for r in records if r.kind == "department" and r.valid_to is None),
        "districts_before_2025": sum(1 for r in records if r.kind == "district"),
        "communes_before_2025": sum(1 for r in communes if r.valid_to is not None),
        "successions": sum(len(r.successors) for r in records),
    }
