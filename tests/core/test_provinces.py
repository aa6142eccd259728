"""Every province from the dataset (cchc.core.units.country, records): keys, counts, successions,
common bodies, and the resolver over the country."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from cchc.core.units import NameIndex, UnknownProvince, province_summary, province_units, provinces
from cchc.core.units.country import dataset_dir

SEED_BODIES = Path(__file__).resolve().parent.parent / "fixtures" / "seed_bodies.json"
KEYS = list(provinces())


def dataset(sql: str, *args):
    with sqlite3.connect(f"file:{dataset_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        return conn.execute(sql, args).fetchall()


@cache
def country() -> tuple:
    return tuple(r for key in KEYS for r in province_units(key))


@cache
def country_index() -> NameIndex:
    return NameIndex(country())


def test_the_34_provinces_and_their_keys():
    assert len(KEYS) == 34
    assert {"thanh-hoa", "lam-dong", "ha-noi", "ho-chi-minh", "hue", "da-nang"} <= set(KEYS)
    lam_dong = provinces()["lam-dong"]
    assert lam_dong.name == "Tỉnh Lâm Đồng" and lam_dong.code == "68"
    assert [(p.name, p.unit_code) for p in lam_dong.predecessors] == [
        ("Tỉnh Bình Thuận", "60-2025"), ("Tỉnh Đắk Nông", "67-2025"), ("Tỉnh Lâm Đồng", "68"),
    ]
    # Tây Ninh took Long An's code: both old provinces end, a new unit begins.
    tay_ninh = {r.code: r for r in province_units("tay-ninh") if r.kind == "province"}
    assert tay_ninh["80"].valid_from == date(2025, 7, 1) and tay_ninh["80"].name == "UBND tỉnh Tây Ninh"
    assert tay_ninh["80-2025"].name == "UBND tỉnh Long An"
    assert tay_ninh["72-2025"].successors == (("80", "merged_into", date(2025, 7, 1)),)


def test_an_unknown_key_names_the_nearest():
    with pytest.raises(UnknownProvince) as raised:
        province_units("lam-dng")
    assert raised.value.nearest[0] == "lam-dong"
    assert "lam-dong" in str(raised.value) and "\n" not in str(raised.value)
    assert province_units("Lâm Đồng") == province_units("lam-dong")


def test_the_country_adds_up_to_3321_communes_with_unique_codes():
    records = country()
    codes = Counter(r.code for r in records)
    assert [c for c, n in codes.items() if n > 1] == []
    after = [r for r in records if r.kind == "commune" and r.valid_on(date(2026, 1, 1))]
    before = [r for r in records if r.kind == "commune" and r.valid_on(date(2025, 6, 30))]
    assert len(after) == 3321 == dataset("SELECT count(DISTINCT wardCode) FROM admin_units")[0][0]
    assert len(before) == 10035 == dataset("SELECT count(DISTINCT wardCode) FROM admin_units_legacy")[0][0]
    assert sum(1 for r in records if r.kind == "province" and r.valid_on(date(2026, 1, 1))) == 34
    assert sum(1 for r in records if r.kind == "province" and r.valid_on(date(2025, 6, 30))) == 63


@pytest.mark.parametrize("key", KEYS)
def test_a_province_matches_the_dataset(key):
    prov = provinces()[key]
    records = province_units(key)
    known = {r.code: r for r in records}
    for r in records:
        assert r.parent_code is None or r.parent_code in known, r
        for successor, _relation, _when in r.successors:
            assert successor in known, r
    summary = province_summary(key)
    olds = [p.key for p in prov.predecessors]
    marks = ",".join("?" * len(olds))
    assert summary["communes"] == dataset("SELECT count(*) FROM admin_units WHERE provinceCode = ?", prov.code)[0][0]
    assert summary["communes_before_2025"] == dataset(
        f"SELECT count(wardCode) FROM admin_units_legacy WHERE provinceKey IN ({marks})", *olds
    )[0][0]
    extra = 1 if key == "thanh-hoa" else 0  # huyện Đông Sơn, merged on 2024-12-01 (curated)
    assert summary["districts_before_2025"] == extra + dataset(
        f"SELECT count(DISTINCT provinceKey || districtCode) FROM admin_units_legacy WHERE provinceKey IN ({marks})",
        *olds,
    )[0][0]
    # Every pre-2025 commune has a successor among the province's new communes.
    old_communes = [r for r in records if r.kind == "commune" and r.valid_to == date(2025, 6, 30)]
    assert old_communes and all(r.successors for r in old_communes)
    assert all(known[s].valid_from == date(2025, 7, 1) for r in old_communes for s, _, _ in r.successors)
    assert summary["departments"] >= 13 and summary["successions"] >= len(old_communes)


def test_common_bodies_of_a_province_and_of_a_city():
    lam_dong = {r.code: r for r in province_units("lam-dong")}
    assert lam_dong["lam-dong-so-noi-vu"].parent_code == "68"
    assert lam_dong["lam-dong-kho-bac-nha-nuoc"].name == "Kho bạc Nhà nước Lâm Đồng"
    assert lam_dong["lam-dong-so-ke-hoach-va-dau-tu"].successors == (
        ("lam-dong-so-tai-chinh", "merged_into", date(2025, 3, 1)),
    )
    ha_noi = {r.code: r for r in province_units("ha-noi")}
    assert ha_noi["ha-noi-cong-an-tinh"].name == "Công an thành phố"
    assert ha_noi["ha-noi-so-quy-hoach-kien-truc"].kind == "department"
    # Thanh Hóa keeps its curated list.
    assert "tha-so-noi-vu" in {r.code for r in province_units("thanh-hoa")}


def test_island_districts_became_special_zones():
    hai_phong = {r.code: r for r in province_units("hai-phong")}
    bach_long_vi = next(r for r in hai_phong.values() if r.name == "UBND huyện Bạch Long Vĩ")
    (successor, relation, _), = bach_long_vi.successors
    assert hai_phong[successor].name == "UBND đặc khu Bạch Long Vĩ" and relation == "renamed_to"


@pytest.mark.parametrize(
    ("text", "on", "issuer", "expected"),
    [
        ("Sở Nội vụ", date(2026, 3, 1), "68", ("unit", ("lam-dong-so-noi-vu",))),
        ("Công an tỉnh", date(2026, 3, 1), "68", ("unit", ("lam-dong-cong-an-tinh",))),
        ("Sở Kế hoạch và Đầu tư", date(2024, 3, 1), "68", ("unit", ("lam-dong-so-ke-hoach-va-dau-tu",))),
        ("Thuế tỉnh Lâm Đồng", date(2026, 3, 1), "68", ("unit", ("lam-dong-thue-tinh",))),
        ("Công an thành phố Hà Nội", date(2026, 3, 1), "01", ("unit", ("ha-noi-cong-an-tinh",))),
        ("Sở Nội vụ", date(2026, 3, 1), "01", ("unit", ("ha-noi-so-noi-vu",))),
        ("UBND các xã, phường", date(2026, 3, 1), "68", ("class", "communes")),
    ],
)
def test_the_resolver_knows_every_provinces_bodies(text, on, issuer, expected):
    resolution = country_index().resolve(text, on=on, issuer_code=issuer)
    if expected[0] == "class":
        assert (resolution.outcome, resolution.class_key) == expected
    else:
        assert (resolution.outcome, resolution.unit_codes) == expected


def test_the_seed_plans_bodies_still_resolve_against_the_whole_country():
    bodies = json.loads(SEED_BODIES.read_text(encoding="utf-8"))["bodies"]
    wrong = []
    for body in bodies:
        r = country_index().resolve(body["text"], on=date.fromisoformat(body["on"]), issuer_code=body["issuer_code"])
        got = {"outcome": r.outcome}
        if r.unit_codes:
            got["unit_codes"] = list(r.unit_codes)
        if r.class_key:
            got["class_key"] = r.class_key
        if r.office_name:
            got["office_name"] = r.office_name
        if got != body["expected"]:
            wrong.append((body["text"], got, body["expected"]))
    assert len(bodies) == 130 and wrong == []
