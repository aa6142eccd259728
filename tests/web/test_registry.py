"""Loading Thanh Hóa's real units into the database, and resolving names against them."""

import datetime

from django.core.management import call_command

from cchc.units.models import Unit, UnitClass
from cchc.units.registry import PlanBodyResolver, load_province, teach_alias


def test_load_units_builds_the_tree_with_the_2025_reform_and_is_idempotent(db, capsys):
    call_command("load_units", "--province", "thanh-hoa")
    assert "Đã nạp đơn vị" in capsys.readouterr().out
    province = Unit.objects.get(code="38")
    after = UnitClass.objects.get(key="communes").members(province, datetime.date(2026, 1, 1))
    before = UnitClass.objects.get(key="communes").members(province, datetime.date(2022, 6, 1))
    assert after.count() == 166 and before.count() == 547
    old = Unit.objects.get(code="38.399.15988")
    assert old.parent.name == "UBND huyện Hoằng Hóa" and old.valid_to == datetime.date(2025, 6, 30)
    assert [u.code for u in old.successors_on(datetime.date(2025, 7, 1))] == ["38.15991"]
    assert old.province() == province
    planning = Unit.objects.get(code="tha-so-ke-hoach-va-dau-tu")
    assert planning.successors_on(datetime.date(2025, 3, 1))[0].name == "Sở Tài chính"

    again = load_province("thanh-hoa")
    assert (again.created, again.updated, again.successions) == (0, 0, 0)


def test_resolver_works_at_the_plans_date_and_learns_aliases(db):
    load_province("thanh-hoa")
    province = Unit.objects.get(code="38")
    resolve_2022 = PlanBodyResolver(province, datetime.date(2022, 1, 1))
    assert resolve_2022("Sở TT&TT")[0].name == "Sở Thông tin và Truyền thông"
    assert resolve_2022("UBND các huyện, thị xã, thành phố")[1].key == "districts"
    assert resolve_2022("Các cơ quan liên quan") == (None, None)
    commune = Unit.objects.get(code="38.15112")
    office, _ = PlanBodyResolver(commune, datetime.date(2026, 1, 1))("Công chức Tư pháp – Hộ tịch")
    assert office.kind == "office" and office.parent == commune
    same_office, _ = PlanBodyResolver(commune, datetime.date(2026, 1, 1))("Công chức Tư pháp - hộ tịch")
    assert same_office == office

    teach_alias("Tổ công tác CCHC của tỉnh", Unit.objects.get(code="tha-so-noi-vu"))
    unit, _ = PlanBodyResolver(province, datetime.date(2026, 1, 1))("Tổ công tác CCHC của tỉnh")
    assert unit.code == "tha-so-noi-vu"


def test_unit_search_ignores_accents_and_case(client, db, make_user):
    load_province("thanh-hoa")
    client.force_login(make_user("u"))
    options = client.get("/don-vi/tim/", {"q": "kien tho"}).content.decode()
    assert "UBND xã Kiên Thọ" in options and 'value="38.15112"' in options
    assert client.get("/api/units/", {"q": "HOANG TIEN", "valid_on": "2026-01-01"}).json()["count"] == 1


def test_ids_under_agrees_with_the_subtree(db, django_assert_max_num_queries):
    load_province("thanh-hoa")
    province = Unit.objects.get(code="38")
    district = Unit.objects.get(name="UBND huyện Hoằng Hóa")
    some = set(Unit.objects.order_by("pk").values_list("pk", flat=True)[::7]) | {district.pk}
    for root in (province, district):
        with django_assert_max_num_queries(1):  # one recursive query, whatever the depth
            under = Unit.objects.ids_under(root, some)
        assert under == some & Unit.objects.subtree_ids(root)
    assert district.pk in Unit.objects.ids_under(district, {district.pk})
    assert Unit.objects.ids_under(district, {province.pk, 10**9}) == set()  # above it; unknown
