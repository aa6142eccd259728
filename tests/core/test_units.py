"""Unit registry data (cchc.core.units.records/classes) and body-name resolution (resolver)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.units import (
    UNIT_CLASSES,
    UNIT_KINDS,
    NameIndex,
    Resolution,
    canonical,
    members,
    province_units,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "seed_bodies.json"
Y2022 = date(2022, 6, 1)
Y2026 = date(2026, 1, 1)
PROVINCE = "38"
HOANG_TIEN_OLD = "38.399.15988"
KIEN_THO = "38.15112"


@cache
def records():
    return tuple(province_units("thanh-hoa"))


@cache
def index() -> NameIndex:
    return NameIndex(records())


def by_code():
    return {r.code: r for r in records()}


def seed_bodies():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["bodies"]


def outcome_of(r: Resolution) -> dict:
    out = {"outcome": r.outcome}
    if r.unit_codes:
        out["unit_codes"] = list(r.unit_codes)
    if r.class_key:
        out["class_key"] = r.class_key
    if r.office_name:
        out["office_name"] = r.office_name
    return out


def resolve(text, on=Y2022, issuer=PROVINCE):
    return index().resolve(text, on=on, issuer_code=issuer)


# --- dataset facts -------------------------------------------------------------------------------


def test_records_are_well_formed():
    recs = records()
    codes = [r.code for r in recs]
    assert len(codes) == len(set(codes))
    known = set(codes)
    for r in recs:
        assert r.kind in UNIT_KINDS
        assert r.parent_code is None or r.parent_code in known, r
        for succ, relation, _when in r.successors:
            assert succ in known, r
            assert relation in ("merged_into", "split_into", "renamed_to")
        if r.valid_from and r.valid_to:
            assert r.valid_from <= r.valid_to


def test_one_province_and_its_counts():
    kinds = Counter(r.kind for r in records())
    assert kinds["province"] == 1
    assert by_code()[PROVINCE].name == "UBND tỉnh Thanh Hóa"
    assert kinds["district"] == 27  # 26 in the dataset + Đông Sơn (merged into TP Thanh Hóa, 2024-12-01)
    new = [r for r in records() if r.kind == "commune" and r.valid_on(Y2026)]
    old = [r for r in records() if r.kind == "commune" and r.valid_on(date(2025, 6, 30))]
    assert len(new) == 166
    assert all(r.parent_code == PROVINCE and r.valid_from == date(2025, 7, 1) for r in new)
    assert len(old) == 547
    assert all(by_code()[r.parent_code].kind == "district" for r in old)


def test_hoang_tien_before_and_after():
    old = by_code()[HOANG_TIEN_OLD]
    assert old.name == "UBND xã Hoằng Tiến"
    assert by_code()[old.parent_code].name == "UBND huyện Hoằng Hóa"
    assert old.valid_to == date(2025, 6, 30)
    [(succ, relation, when)] = old.successors
    assert relation == "merged_into" and when == date(2025, 7, 1)
    new = by_code()[succ]
    assert new.kind == "commune" and new.parent_code == PROVINCE and new.name == "UBND xã Hoằng Tiến"
    merged = {r.short_names[0] for r in records() if any(s[0] == succ for s in r.successors)}
    assert merged == {"Xã Hoằng Tiến", "Xã Hoằng Yến", "Xã Hoằng Hải", "Xã Hoằng Trường"}


def test_kien_tho_exists_after_reform():
    kt = by_code()[KIEN_THO]
    assert kt.name == "UBND xã Kiên Thọ" and kt.valid_on(Y2026) and not kt.valid_on(Y2022)


def test_every_old_commune_has_a_successor():
    for r in records():
        if r.kind == "commune" and r.valid_to is not None:
            assert r.successors, r


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("tha-so-ke-hoach-va-dau-tu", "tha-so-tai-chinh"),
        ("tha-so-thong-tin-va-truyen-thong", "tha-so-khoa-hoc-va-cong-nghe"),
        ("tha-so-lao-dong-tbxh", "tha-so-noi-vu"),
        ("tha-so-nong-nghiep-va-ptnt", "tha-so-nong-nghiep-va-moi-truong"),
        ("tha-so-tai-nguyen-va-moi-truong", "tha-so-nong-nghiep-va-moi-truong"),
        ("tha-so-giao-thong-van-tai", "tha-so-xay-dung"),
        ("tha-ban-dan-toc", "tha-so-dan-toc-va-ton-giao"),
    ],
)
def test_department_mergers_of_2025(old, new):
    rec = by_code()[old]
    assert rec.valid_to == date(2025, 2, 28)
    assert rec.successors == ((new, "merged_into", date(2025, 3, 1)),)
    assert by_code()[new].valid_on(date(2025, 3, 1))


def test_sub_units_hang_under_their_department():
    assert by_code()["tha-ban-thi-dua-khen-thuong"].parent_code == "tha-so-noi-vu"
    assert by_code()["tha-trung-tam-phuc-vu-hcc"].parent_code == "tha-van-phong-ubnd-tinh"
    assert by_code()["tha-cuc-thue"].kind == "central_agency"


# --- classes -------------------------------------------------------------------------------------


def count(class_key, on, **kw):
    return len(members(class_key, records(), province_code=PROVINCE, on=on, **kw))


def test_class_membership_depends_on_the_date():
    assert count("communes", Y2022) == 547
    assert count("communes", Y2026) == 166
    assert count("districts", Y2022) == 27
    assert count("districts", date(2025, 1, 1)) == 26
    assert count("districts", Y2026) == 0
    assert count("departments", Y2022) == 20
    assert count("departments", Y2026) == 15
    assert count("all_levels", Y2026) == 167
    assert count("communes", Y2022, within="38.399") == len(
        [r for r in records() if r.parent_code == "38.399"]
    )


def test_departments_class_is_the_sở_ban_ngành_only():
    deps = {r.code for r in members("departments", records(), province_code=PROVINCE, on=Y2022)}
    assert {
        "tha-so-noi-vu",
        "tha-so-ke-hoach-va-dau-tu",
        "tha-van-phong-ubnd-tinh",
        "tha-thanh-tra-tinh",
    } <= deps
    assert "tha-cong-an-tinh" not in deps and "tha-ban-thi-dua-khen-thuong" not in deps
    deps26 = {r.code for r in members("departments", records(), province_code=PROVINCE, on=Y2026)}
    assert "tha-so-ke-hoach-va-dau-tu" not in deps26 and "tha-so-nong-nghiep-va-moi-truong" in deps26


def test_every_class_has_a_label_that_resolves_to_it():
    for key, cls in UNIT_CLASSES.items():
        assert resolve(cls.label).class_key == key, cls.label


# --- the seed bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize("entry", seed_bodies(), ids=lambda e: f"{e['seed'][:3]}:{e['text']}")
def test_seed_body_resolves_as_expected(entry):
    r = index().resolve(entry["text"], on=date.fromisoformat(entry["on"]), issuer_code=entry["issuer_code"])
    assert outcome_of(r) == entry["expected"]
    assert r.text == entry["text"]


def test_seed_cells_split_into_the_listed_bodies():
    listed = {(e["seed"], e["text"]) for e in seed_bodies()}
    for e in seed_bodies():
        bodies = index().split(e["cell"])
        assert e["text"] in bodies
        assert {(e["seed"], b) for b in bodies} <= listed


def test_bare_items_inherit_only_department_heads():
    assert index().split("Sở Tư pháp, Hội Luật gia tỉnh, Tài chính") == [
        "Sở Tư pháp",
        "Hội Luật gia tỉnh",
        "Tài chính",
    ]


@pytest.mark.parametrize(
    ("cell", "bodies"),
    [
        (
            "- Văn phòng\nUBND tỉnh;\n- Các Sở, ban,\nngành;\n- UBND cấp\nhuyện, cấp xã.",
            ["Văn phòng UBND tỉnh", "Các Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"],
        ),
        (
            "Viện Nông nghiệp Thanh Hóa; các Sở: Y tế, Văn hóa, Thể thao và Du lịch, Văn phòng UBND tỉnh",
            [
                "Viện Nông nghiệp Thanh Hóa",
                "Sở Y tế",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Văn phòng UBND tỉnh",
            ],
        ),
        ("Công chức Tài chính\n- Kế toán", ["Công chức Tài chính - Kế toán"]),
        (
            "Văn phòng UBND xã, công chức Tư pháp, Kế toán, Văn hóa - TT",
            ["Văn phòng UBND xã", "công chức Tư pháp", "Công chức Kế toán", "Công chức Văn hóa - TT"],
        ),
        ("Sở Tư pháp, các cơ quan liên quan", ["Sở Tư pháp", "các cơ quan liên quan"]),
        (
            "UBND cấp huyện UBND cấp xã, đơn vị sự nghiệp công lập",
            ["UBND cấp huyện", "UBND cấp xã", "đơn vị sự nghiệp công lập"],
        ),
        ("- Sở Nội vụ: theo\ndõi, kiểm tra.\n - Sở Nội vụ tổng\nhợp, báo cáo", ["Sở Nội vụ", "Sở Nội vụ"]),
    ],
)
def test_split(cell, bodies):
    assert index().split(cell) == bodies


def test_split_keeps_role_labels():
    cell = "- Cơ quan chủ trì: Sở Tư pháp. Cơ quan phối hợp các sở, ban, ngành cấp tỉnh; UBND cấp xã."
    assert index().split_labelled(cell) == [
        ("Cơ quan chủ trì", "Sở Tư pháp"),
        ("Cơ quan phối hợp", "các sở, ban, ngành cấp tỉnh"),
        ("Cơ quan phối hợp", "UBND cấp xã"),
    ]


# --- insensitivity, abbreviations, typos, dates --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sở Thông tin và Truyền thông",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "so thong tin va truyen thong",
        "Sở  Thông tin\nvà Truyền thông.",
        "Sở TT&TT",
        "Sở TT & TT",
        "Sở Thông tin và Truyền thông tỉnh Thanh Hóa",
        "Sở Thông tin và truyền thông",
    ],
)
def test_accent_case_space_abbreviation_insensitive(text):
    assert resolve(text).unit_codes == ("tha-so-thong-tin-va-truyen-thong",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sở LĐ-TB&XH", "tha-so-lao-dong-tbxh"),
        ("Sở Lao động – Thương binh và Xã hội", "tha-so-lao-dong-tbxh"),
        ("Sở NN&PTNT", "tha-so-nong-nghiep-va-ptnt"),
        ("Sở KH&ĐT", "tha-so-ke-hoach-va-dau-tu"),
        ("Sở TN&MT", "tha-so-tai-nguyen-va-moi-truong"),
        ("Sở GTVT", "tha-so-giao-thong-van-tai"),
        ("VP UBND tỉnh", "tha-van-phong-ubnd-tinh"),
        ("Văn phòng Ủy ban nhân dân tỉnh Thanh Hoá", "tha-van-phong-ubnd-tinh"),
        ("BQL KKT Nghi Sơn và các KCN", "tha-ban-quan-ly-kkt-nghi-son"),
        ("Đài PT-TH tỉnh", "tha-dai-phat-thanh-truyen-hinh"),
        ("Ban Thi đua - Khen thưởng thuộc Sở Nội vụ", "tha-ban-thi-dua-khen-thuong"),
        ("Ủy ban nhân dân tỉnh", PROVINCE),
        ("UBND huyện Hoằng Hóa", "38.399"),
        ("UBND xã Hoằng Tiến", HOANG_TIEN_OLD),
    ],
)
def test_abbreviations_and_variants(text, code):
    assert resolve(text).unit_codes == (code,)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("UBDN tỉnh", PROVINCE),
        ("Sở Tư phápp", "tha-so-tu-phap"),
        ("Sở Tài chínhh", "tha-so-tai-chinh"),
        ("Sở Khoa họcc và Côngg nghệ", "tha-so-khoa-hoc-va-cong-nghe"),
        ("SởTư pháp", "tha-so-tu-phap"),
        ("Sở Giáo dục", "tha-so-giao-duc-va-dao-tao"),
    ],
)
def test_typos_and_partial_names(text, code):
    r = resolve(text)
    assert r.outcome == "unit" and r.unit_codes == (code,)
    assert r.score < 100


def test_resolution_at_the_date():
    assert resolve("Sở Kế hoạch và Đầu tư", on=Y2022).unit_codes == ("tha-so-ke-hoach-va-dau-tu",)
    later = resolve("Sở Kế hoạch và Đầu tư", on=Y2026)  # a stale name follows the merger
    assert later.unit_codes == ("tha-so-tai-chinh",) and later.score < 100
    assert resolve("Sở Nội vụ", on=Y2026).unit_codes == ("tha-so-noi-vu",)
    assert resolve("Sở Nông nghiệp và Môi trường", on=Y2026).unit_codes == (
        "tha-so-nong-nghiep-va-moi-truong",
    )
    assert resolve("Sở Nông nghiệp và Môi trường", on=Y2022).outcome == "unresolved"  # did not exist yet
    assert resolve("UBND xã Hoằng Tiến", on=Y2026).unit_codes != (HOANG_TIEN_OLD,)
    assert (
        resolve("UBND xã Hoằng Yến", on=Y2026).unit_codes
        == resolve("UBND xã Hoằng Tiến", on=Y2026).unit_codes
    )
    assert resolve("UBND huyện Hoằng Hóa", on=Y2026).outcome == "unresolved"  # abolished, no successor
    assert resolve("UBND xã Kiên Thọ", on=Y2026).unit_codes == (KIEN_THO,)


def test_relative_to_the_issuer():
    assert resolve("UBND xã", issuer=HOANG_TIEN_OLD).unit_codes == (HOANG_TIEN_OLD,)
    assert resolve("Ủy ban nhân dân xã", on=Y2026, issuer=KIEN_THO).unit_codes == (KIEN_THO,)
    assert resolve("UBND cấp xã", on=Y2026, issuer=KIEN_THO).unit_codes == (KIEN_THO,)
    assert resolve("UBND huyện", issuer=HOANG_TIEN_OLD).unit_codes == ("38.399",)
    assert resolve("UBND xã", issuer=PROVINCE).outcome == "unresolved"
    assert resolve("UBND tỉnh", on=Y2026, issuer=KIEN_THO).unit_codes == (PROVINCE,)
    assert resolve("UBND cấp xã", issuer=PROVINCE).class_key == "communes"


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("Công chức Văn phòng – thống kê", "Công chức Văn phòng - Thống kê"),
        ("Công chức Tư pháp – Hộ tịch", "Công chức Tư pháp - Hộ tịch"),
        ("Công chức Văn hóa - Xã hội", "Công chức Văn hóa - Xã hội"),
        ("Công chức Địa chính - Xây dựng", "Công chức Địa chính - Xây dựng"),
        ("Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Công chức Địa chính - Xây dựng"),
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội"),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ hành chính công"),
    ],
)
def test_commune_offices(text, office):
    r = resolve(text, on=Y2026, issuer=KIEN_THO)
    assert (r.outcome, r.office_name) == ("office", office)


def test_offices_only_inside_a_commune_plan():
    assert resolve("Trung tâm Phục vụ hành chính công").unit_codes == ("tha-trung-tam-phuc-vu-hcc",)
    assert resolve("Công chức Tư pháp - Hộ tịch").outcome == "unresolved"


@pytest.mark.parametrize(
    "text",
    [
        "Các cơ quan liên quan",
        "Cơ quan liên quan",
        "các đơn vị có liên quan",
        "Các sở, ban, ngành liên quan",
        "Các tổ chức, cá nhân",
        "",
        "  -  ",
        "Các cơ quan, đơn vị",
    ],
)
def test_vague_sets_are_unresolved(text):
    r = resolve(text)
    assert r.outcome == "unresolved" and r.unit_codes == ()


@pytest.mark.parametrize(
    "text",
    [
        "Bộ Nội vụ",  # the ministry, one letter from "Sở Nội vụ"
        "Sở Nội vụ tỉnh Nghệ An",  # another province
        "Sở Ngoại giao",
        "UBND xã Hoằng",  # incomplete place name, many candidates
        "UBND xã Tiến",
        "UBND phường Phú Sơn",  # two of them before 2025 (TP Thanh Hóa, TX Bỉm Sơn)
        "Trung tâm",
        "Sở",
        "UBND huyện Hoằng Hóa mới",
        "Phòng Nội vụ",  # a district office, not in a province plan
        "Văn phòng UBND",  # whose?
        "Cục Thuế tỉnh Nghệ An",
    ],
)
def test_never_a_confident_wrong_unit(text):
    assert resolve(text).outcome == "unresolved", resolve(text)


def test_adversarial_near_names_resolve_to_themselves():
    assert resolve("Sở Ngoại vụ").unit_codes == ("tha-so-ngoai-vu",)
    assert resolve("UBND xã Hoằng Yến").unit_codes != (HOANG_TIEN_OLD,)
    assert resolve("Ban Tôn giáo").unit_codes == ("tha-ban-ton-giao",)


def test_learned_aliases():
    idx = NameIndex(records(), {"Phòng CCHC Sở Nội vụ": "tha-so-noi-vu"})
    assert idx.resolve("phòng cchc sở nội vụ", on=Y2022).unit_codes == ("tha-so-noi-vu",)
    assert idx.resolve("phòng cchc sở nội vụ", on=Y2026).unit_codes == ("tha-so-noi-vu",)


def test_canonical_form():
    assert canonical("Sở TT&TT") == "so thong tin va truyen thong"
    assert canonical("UBND cấp xã") == "uy ban nhan dan cap xa"
    assert canonical("Phòng VH-XH") == "phong van hoa xa hoi"


def test_every_unit_is_found_by_its_own_name():
    """By name on a day it existed; names shared by communes of two districts need the district."""
    codes = by_code()
    for rec in records():
        on = rec.valid_to or (Y2026 if rec.valid_from else Y2022)
        got = resolve(rec.name, on=on).unit_codes
        if got != (rec.code,):
            parent = codes[rec.parent_code]
            assert resolve(rec.name, on=on).outcome == "unresolved", rec  # ambiguous, never another unit
            assert resolve(f"{rec.name}, {parent.short_names[0]}", on=on).unit_codes == (rec.code,), rec


def test_names_differing_only_by_accents():
    assert resolve("UBND xã Hoằng Giang").unit_codes == ("38.399.15880",)
    assert resolve("UBND xã Hoàng Giang").unit_codes not in ((), ("38.399.15880",))
    assert resolve("UBND xã Thiệu Vân").unit_codes != resolve("UBND xã Thiệu Vận").unit_codes


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyỳờểạ &-,.;:()/\n0123456789SỞUBNDỦY")),
        max_size=60,
    )
)
def test_resolve_and_split_never_fail(text):
    r = resolve(text)
    assert r.outcome in ("unit", "class", "office", "unresolved")
    assert all(code in by_code() for code in r.unit_codes)
    for body in index().split(text):
        assert body.strip()
