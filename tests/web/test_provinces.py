"""Loading every province's units into the database: `cchc load-units --all / --province / --json / --list`."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.core.units import province_summary
from cchc.history.models import ObjectChange
from cchc.units.models import Succession, Unit, UnitClass
from cchc.units.registry import PlanBodyResolver, load_all_provinces

AFTER = datetime.date(2026, 1, 1)
BEFORE = datetime.date(2025, 6, 30)


def test_every_province_loads_on_an_empty_database_and_loading_twice_changes_nothing(db, capsys):
    call_command("load_units", "--all")
    assert "Đã nạp đơn vị: thêm 15354" in capsys.readouterr().out
    communes = Unit.objects.filter(kind="commune")
    assert communes.valid_on(AFTER).count() == 3321
    assert communes.valid_on(BEFORE).count() == 10035
    assert communes.valid_on(BEFORE).filter(successions_out__isnull=True).count() == 0
    assert Unit.objects.filter(kind="province").valid_on(AFTER).count() == 34
    assert Unit.objects.filter(kind="province").valid_on(BEFORE).count() == 63
    # Every write is in the change history.
    assert ObjectChange.objects.filter(object_type__model="unit", action="create").count() == Unit.objects.count()
    assert ObjectChange.objects.filter(object_type__model="succession").count() == Succession.objects.count()

    lam_dong = Unit.objects.get(code="68")
    dak_nong = Unit.objects.get(code="67-2025")
    assert Unit.objects.with_predecessor_ids({lam_dong.pk}) >= {lam_dong.pk, dak_nong.pk}
    old_commune = Unit.objects.filter(parent__parent=dak_nong, kind="commune").first()
    assert old_commune.province() == dak_nong
    assert old_commune.successors_on(AFTER)[0].parent == lam_dong
    communes_class = UnitClass.objects.get(key="communes")
    assert communes_class.members(lam_dong, AFTER).count() == 124

    again = load_all_provinces()
    assert (again.created, again.updated, again.successions) == (0, 0, 0)


def test_one_province_prints_its_counts_as_json(db, capsys):
    call_command("load_units", "--province", "lam-dong", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == province_summary("lam-dong")
    assert printed["name"] == "Tỉnh Lâm Đồng" and printed["communes"] == 124
    province = Unit.objects.get(code="68")
    assert Unit.objects.filter(parent=province, kind="commune").count() == printed["communes"]
    assert Unit.objects.filter(kind="commune", valid_to=BEFORE).count() == printed["communes_before_2025"]
    assert Unit.objects.filter(kind="district").count() == printed["districts_before_2025"]
    assert Succession.objects.count() == printed["successions"]
    assert Unit.objects.filter(parent=province, kind="department").valid_on(AFTER).count() == printed["departments"]

    resolve = PlanBodyResolver(province, datetime.date(2026, 3, 1))
    assert resolve("Sở Nội vụ")[0].code == "lam-dong-so-noi-vu"
    assert resolve("Công an tỉnh")[0].code == "lam-dong-cong-an-tinh"
    assert resolve("UBND các xã, phường")[1].key == "communes"


def test_list_and_an_unknown_key(db, capsys):
    call_command("load_units", "--list")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 34 and "lam-dong\tTỉnh Lâm Đồng" in lines
    with pytest.raises(CommandError, match="Gần nhất: lam-dong"):
        call_command("load_units", "--province", "lam-dng")
    assert not Unit.objects.exists()
