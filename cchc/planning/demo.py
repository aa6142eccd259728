"""Demo data of task lineage and drafting (called by `cchc load-demo` after the seed plans):

* the province's 2026 plan (its 2022 plan moved to 2026, as Kế hoạch 257/KH-UBND of 22/12/2025,
  the plan commune Kiên Thọ's 2026 plan cites), issued: its tasks reach all communes;
* 2026 plans of most communes built from it, each leaving out a few duties, and Kiên Thọ's real
  2026 plan (seed 004) matched against it: the coordinator's matrix shows who left out what;
* Sở Nội vụ's 2026 plan, issued, half done, and its drafted 2027 plan (a draft to edit and issue).
"""

from __future__ import annotations

import datetime
import random

from cchc.core.lineage.shifting import shift_years
from cchc.plans.models import Assignment, Obligation, Plan, Section, Target, Task
from cchc.plans.services import cascade_plan, create_milestones, issue_plan
from cchc.units.models import Unit, UnitKind

from .drafting import draft_plan
from .lineage import CONCERN_ROLES, propose

PROVINCE, DEPARTMENT, KIEN_THO = "38", "tha-so-noi-vu", "38.15112"
COMMUNE_SHARE = 0.75  # of the communes get a 2026 plan built from the province's


def copy_plan(plan: Plan, year: int, **fields) -> Plan:
    """The plan with its wording and deadlines moved to `year` (a stand-in for a real plan)."""
    move = lambda text: shift_years(text, plan.year, year) if text else text  # noqa: E731
    copy = Plan.objects.create(issuer=plan.issuer, year=year, title=move(plan.title), **fields)
    for target in plan.targets.all():
        Target.objects.create(plan=copy, position=target.position, area=target.area, text=move(target.text),
                              op=target.op, value=target.value, unit=target.unit)
    for section in plan.sections.all():
        new_section = Section.objects.create(plan=copy, position=section.position, number=section.number,
                                             area=section.area, title=section.title)
        for task in section.tasks.order_by("position").prefetch_related("assignments"):
            new_task = Task.objects.create(plan=copy, section=new_section, position=task.position, number=task.number,
                                           content=move(task.content), deliverables=[move(d) for d in task.deliverables],
                                           notes=task.notes, deadline_text=move(task.deadline_text))
            from cchc.core.deadlines import parse_deadline

            create_milestones(new_task, [m.as_json() for m in parse_deadline(new_task.deadline_text, year)])
            for a in task.assignments.all():
                Assignment.objects.create(task=new_task, position=a.position, role=a.role, text=a.text,
                                          unit_id=a.unit_id, unit_class_id=a.unit_class_id)
    return copy


def load(stdout=None) -> None:
    province = Unit.objects.get(code=PROVINCE)
    # The alive demo (cchc/demo/alive.py) may have made the province's 2026 plan already, when
    # today is in 2026: build on it rather than issuing a second one.
    plan_2026 = Plan.objects.filter(issuer=province, year=2026).order_by("created_at").first()
    if plan_2026 is not None and Plan.objects.filter(parent=plan_2026, issuer__code=DEPARTMENT).exists():
        return  # already loaded
    if plan_2026 is None:
        source = Plan.objects.filter(issuer=province, year=2022).order_by("created_at").first()
        if source is None:
            return
        plan_2026 = copy_plan(source, 2026, number="257/KH-UBND", issued_on=datetime.date(2025, 12, 22))
        issue_plan(plan_2026)
    rng = random.Random(2026)
    communes = list(Unit.objects.filter(pk__in=Obligation.objects.filter(task__plan=plan_2026, role__in=CONCERN_ROLES)
                                        .values("unit_id"), kind=UnitKind.COMMUNE).order_by("code"))
    kien_tho = Plan.objects.filter(issuer__code=KIEN_THO, year=2026).first()
    for commune in communes:
        if commune.code == KIEN_THO or rng.random() > COMMUNE_SHARE:
            continue
        duties = list(Obligation.objects.filter(task__plan=plan_2026, unit=commune, role__in=CONCERN_ROLES)
                      .values_list("task_id", flat=True).order_by("task_id"))
        kept = [t for t in duties if rng.random() > 0.12]  # each leaves out about one duty in eight
        cascade_plan(plan_2026, commune, kept)
    if kien_tho is not None:
        kien_tho.parent = plan_2026
        kien_tho.save(update_fields=["parent"])
        propose(plan_2026, kien_tho)
    department = Unit.objects.get(code=DEPARTMENT)
    duties = list(Obligation.objects.filter(task__plan=plan_2026, unit=department, role__in=CONCERN_ROLES)
                  .values_list("task_id", flat=True).order_by("task_id"))
    own_2026 = cascade_plan(plan_2026, department, duties)
    own_2026.number, own_2026.issued_on = "45/KH-SNV", datetime.date(2026, 1, 5)
    own_2026.save(update_fields=["number", "issued_on"])
    issue_plan(own_2026)
    for n, obligation in enumerate(Obligation.objects.filter(task__plan=own_2026).order_by("task__position")):
        if n % 2 == 0:  # half of the year's work done; the rest is carried over into 2027
            obligation.completed_on = datetime.date(2026, 11, 30)
            obligation.status = "done_on_time"
            obligation.save(update_fields=["completed_on", "status"])
    draft = draft_plan(department, 2027)
    if stdout is not None:
        stdout.write(f"Kế hoạch 2026 của tỉnh và {Plan.objects.filter(parent=plan_2026).count()} kế hoạch cấp dưới; "
                     f"dự thảo {draft} với {draft.tasks.count()} nhiệm vụ.")
