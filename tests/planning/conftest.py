"""A small province with plans of two years and two levels, built in the database:

* the province's plan of 2026, issued: 1.1 led by the communes (due 30/06/2026), 1.2 led by Sở Tư
  pháp, 1.3 with the communes as coordinating bodies (due 31/12/2026); its targets;
* xã Kiên Thọ's 2026 plan built from it with 1.1 only, due later than the province's, weaker target;
  xã Hoằng Tiến Mới has no plan;
* Sở Nội vụ's 2026 plan, issued: a recurring task, a task done, a task left unfinished;
* the province's plan of 2027, issued, with a task for the departments.

And the seed documents for the lineage of real plans.
"""

from __future__ import annotations

import datetime

import pytest

from cchc.demo import SEEDS_DIR

PROVINCE_2022 = SEEDS_DIR / "000_2e2ce113b0e961ad.txt"
COMMUNE_2022 = SEEDS_DIR / "001_f427b61819319772.txt"
PROVINCE_2021 = SEEDS_DIR / "002_442362603b7241c1.txt"


def add_task(plan, area, number, content, bodies=(), deadline=""):
    """A task in the plan's section of `area` (created on first use) with its milestones read
    from `deadline` by the grammar, as the importer does."""
    from cchc.core.areas import AREAS
    from cchc.core.deadlines import parse_deadline
    from cchc.plans.models import Assignment, Section, Task
    from cchc.plans.services import create_milestones
    from cchc.units.models import Unit, UnitClass

    section, _ = Section.objects.get_or_create(
        plan=plan, area=area,
        defaults={"position": list(AREAS).index(area), "number": str(list(AREAS).index(area) + 1),
                  "title": AREAS[area]})
    task = Task.objects.create(plan=plan, section=section, position=section.tasks.count(), number=number,
                               content=content, deadline_text=deadline)
    create_milestones(task, [m.as_json() for m in parse_deadline(deadline, plan.year)] if deadline else [])
    for index, (role, body) in enumerate(bodies):
        Assignment.objects.create(task=task, position=index, role=role, text=str(body),
                                  unit=body if isinstance(body, Unit) else None,
                                  unit_class=body if isinstance(body, UnitClass) else None)
    return task


def make_plan(issuer, year, **fields):
    from cchc.plans.models import Plan

    return Plan.objects.create(issuer=issuer, year=year, title=f"Kế hoạch cải cách hành chính năm {year}", **fields)


@pytest.fixture
def world(registry, make_user):
    from cchc.plans.models import Obligation, Target
    from cchc.plans.services import cascade_plan, issue_plan

    w = dict(registry)
    province, communes = registry["province"], registry["communes"]
    p26 = make_plan(province, 2026, number="257/KH-UBND", issued_on=datetime.date(2025, 12, 22))
    w["t1"] = add_task(p26, "institutions", "1", "Rà soát, đơn giản hóa thủ tục hành chính",
                       [("lead", communes)], "Quý II/2026")
    w["t2"] = add_task(p26, "institutions", "2", "Kiểm tra công tác theo dõi thi hành pháp luật",
                       [("lead", registry["justice"])], "Tháng 10/2026")
    w["t3"] = add_task(p26, "institutions", "3", "Tuyên truyền phổ biến giáo dục pháp luật về cải cách hành chính",
                       [("lead", registry["justice"]), ("coordinating", communes)], "Trước ngày 31/12/2026")
    Target.objects.create(plan=p26, position=0, text="100% hồ sơ giải quyết đúng hạn", op=">=", value=98,
                          unit="%")
    issue_plan(p26)
    w["province_2026"] = p26

    commune_plan = cascade_plan(p26, registry["new_b"], [w["t1"].pk])
    child = commune_plan.tasks.get()
    child.deadline_text = "Quý III/2026"
    child.save()
    child.milestones.all().delete()
    add_milestones(child)
    Target.objects.create(plan=commune_plan, position=0, text="95% hồ sơ giải quyết đúng hạn", op=">=", value=95,
                          unit="%")
    w["kien_tho_2026"] = commune_plan

    home = registry["home_affairs"]
    d26 = make_plan(home, 2026, number="45/KH-SNV", parent=p26)
    w["recurring"] = add_task(d26, "direction", "1", "Theo dõi, đôn đốc thực hiện kế hoạch cải cách hành chính năm 2026",
                              [("lead", home)], "Thường xuyên")
    w["done"] = add_task(d26, "organization", "1", "Sắp xếp tổ chức bộ máy các phòng chuyên môn",
                         [("lead", home)], "Quý I/2026")
    w["unfinished"] = add_task(d26, "civil_service", "1", "Xây dựng đề án vị trí việc làm năm 2026",
                               [("lead", home)], "Trước ngày 15/12/2026")
    issue_plan(d26)
    Obligation.objects.filter(task=w["done"]).update(status="done_on_time", completed_on=datetime.date(2026, 3, 20))
    w["department_2026"] = d26

    p27 = make_plan(province, 2027, number="300/KH-UBND", issued_on=datetime.date(2026, 12, 20))
    w["p27_departments"] = add_task(p27, "public_finance", "1", "Thực hiện cơ chế tự chủ tài chính tại các đơn vị sự nghiệp",
                                    [("lead", registry["departments"])], "Quý IV/2027")
    w["p27_communes"] = add_task(p27, "digital_government", "1", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                                 [("lead", communes)], "Quý III/2027")
    Target.objects.create(plan=p27, position=0, text="100% hồ sơ giải quyết đúng hạn", op=">=", value=99, unit="%")
    issue_plan(p27)
    w["province_2027"] = p27

    w["coordinator"] = make_user("coordinator", home, "coordinator")
    w["home_manager"] = make_user("home_manager", home, "manager")
    w["kt_manager"] = make_user("kt_manager", registry["new_b"], "manager")
    w["kt_viewer"] = make_user("kt_viewer", registry["new_b"], "viewer")
    w["other_manager"] = make_user("other_manager", registry["new_a"], "manager")
    return w


def add_milestones(task):
    from cchc.core.deadlines import parse_deadline
    from cchc.plans.services import create_milestones

    create_milestones(task, [m.as_json() for m in parse_deadline(task.deadline_text, task.plan.year)])


@pytest.fixture
def seed_plans(db):
    """The province's 2022 plan and commune Hoằng Tiến's 2022 plan, imported (drafts) with the
    Thanh Hóa registry."""
    from cchc.plans.importing import import_plan_file
    from cchc.units.models import Unit
    from cchc.units.registry import load_province

    load_province("thanh-hoa")
    province = import_plan_file(PROVINCE_2022, issuer=Unit.objects.get(code="38")).plan
    commune = import_plan_file(COMMUNE_2022, issuer=Unit.objects.get(code="38.399.15988")).plan
    return {"province": province, "commune": commune}
