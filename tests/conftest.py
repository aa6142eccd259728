"""Shared fixtures: a small province registry built in the database, and users in roles."""

from __future__ import annotations

import datetime

import pytest

REFORM_DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def registry(db):
    """A province with two departments, a district with two communes that merged on
    1/7/2025 into one new commune, and another post-reform commune."""
    from cchc.units.models import Succession, Unit, UnitClass

    def unit(code, name, kind, parent=None, **dates):
        return Unit.objects.create(code=code, name=name, kind=kind, parent=parent, **dates)

    last_day = REFORM_DAY - datetime.timedelta(days=1)
    province = unit("38", "UBND tỉnh Thanh Hóa", "province")
    r = {
        "province": province,
        "home_affairs": unit("tha-so-noi-vu", "Sở Nội vụ", "department", province),
        "justice": unit("tha-so-tu-phap", "Sở Tư pháp", "department", province),
        "district": unit("380", "UBND huyện Hoằng Hóa", "district", province, valid_to=last_day),
    }
    r["old_a"] = unit("38001", "UBND xã Hoằng Tiến", "commune", r["district"], valid_to=last_day)
    r["old_b"] = unit("38002", "UBND xã Hoằng Hải", "commune", r["district"], valid_to=last_day)
    r["new_a"] = unit("38101", "UBND xã Hoằng Tiến Mới", "commune", province, valid_from=REFORM_DAY)
    r["new_b"] = unit("38102", "UBND xã Kiên Thọ", "commune", province, valid_from=REFORM_DAY)
    for old in (r["old_a"], r["old_b"]):
        Succession.objects.create(predecessor=old, successor=r["new_a"], kind="merged_into", on=REFORM_DAY)
    r["communes"] = UnitClass.objects.create(key="communes", name="UBND cấp xã", member_kinds=["commune"])
    r["departments"] = UnitClass.objects.create(
        key="departments", name="Các sở, ban, ngành cấp tỉnh", member_kinds=["department"]
    )
    return r


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from cchc.accounts.models import Membership

    def make(username, unit=None, role="officer", **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
        if unit is not None:
            Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def plan_factory(db):
    """A plan with one section and tasks assigned as given: {task number: [(role, unit|class|text)]}."""
    from cchc.plans.models import Assignment, Plan, Section, Task
    from cchc.units.models import Unit, UnitClass

    def make(issuer, year=2022, status="draft", tasks=None, issued_on=None):
        plan = Plan.objects.create(
            issuer=issuer, year=year, title=f"Kế hoạch CCHC năm {year}", status=status, issued_on=issued_on
        )
        section = Section.objects.create(plan=plan, area="institutions", title="Cải cách thể chế")
        for position, (number, bodies) in enumerate((tasks or {"1": []}).items()):
            task = Task.objects.create(
                plan=plan, section=section, position=position, number=number, content=f"Nhiệm vụ {number}"
            )
            for index, (role, body) in enumerate(bodies):
                Assignment.objects.create(
                    task=task,
                    position=index,
                    role=role,
                    text=str(body),
                    unit=body if isinstance(body, Unit) else None,
                    unit_class=body if isinstance(body, UnitClass) else None,
                )
        return plan

    return make
