"""`cchc draft-plan --unit CODE --year N [--parent PLAN] [--docx PATH] [--json]`."""

import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.history.context import change_context
from cchc.plans.models import Plan
from cchc.units.models import Unit


class Command(BaseCommand):
    help = ("Lập dự thảo kế hoạch CCHC năm N của một đơn vị từ kế hoạch năm trước (nhiệm vụ thường xuyên, "
            "chưa hoàn thành) và kế hoạch cấp trên năm N.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị")
        parser.add_argument("--year", required=True, type=int, help="năm kế hoạch")
        parser.add_argument("--parent", type=int, help="mã kế hoạch cấp trên (mặc định: kế hoạch của đơn vị cấp trên)")
        parser.add_argument("--docx", help="ghi dự thảo ra tệp .docx")
        parser.add_argument("--json", action="store_true", help="in dự thảo dạng JSON")

    def handle(self, *args, unit, year, parent, docx, json: bool, **options):
        from cchc.planning.documents import build_plan_docx, plan_document
        from cchc.planning.drafting import DraftRefused, draft_plan

        issuer = Unit.objects.filter(code=unit).first()
        if issuer is None:
            raise CommandError(f"Không có đơn vị mã “{unit}” trong danh mục.", returncode=2)
        parent_plan = None
        if parent is not None:
            parent_plan = Plan.objects.filter(pk=parent).first()
            if parent_plan is None:
                raise CommandError(f"Không có kế hoạch mã {parent} trong CSDL.", returncode=2)
            if parent_plan.year != year:
                raise CommandError(f"Kế hoạch cấp trên mã {parent} là của năm {parent_plan.year}, không phải năm "
                                   f"{year}.", returncode=2)
        try:
            with change_context(origin=f"cchc draft-plan {unit} {year}"):
                plan = draft_plan(issuer, year, parent=parent_plan)
        except DraftRefused as error:
            raise CommandError(str(error), returncode=2) from error
        if docx:
            Path(docx).write_bytes(build_plan_docx(plan_document(plan)))
        if json:
            self.stdout.write(json_module.dumps(plan_json(plan), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Đã lập dự thảo {plan} (mã {plan.pk}): {plan.tasks.count()} nhiệm vụ."
                          + (f" Tệp: {docx}" if docx else ""))


def plan_json(plan: Plan) -> dict:
    """The draft in the shape of the plan JSON (docs/plan-json.md) plus each task's origin."""
    from cchc.planning.models import DraftOrigin

    origins = {o.task_id: o for o in DraftOrigin.objects.filter(task__plan=plan).select_related("source__plan")}
    sections = []
    for section in plan.sections.all():
        tasks = []
        for task in section.tasks.order_by("position").prefetch_related("assignments", "milestones"):
            roles = {"lead": [], "coordinating": [], "monitoring": []}
            for a in task.assignments.all():
                roles.setdefault(a.role, []).append(a.text)
            origin = origins.get(task.pk)
            tasks.append({
                "number": task.number, "content": task.content, "deliverables": task.deliverables,
                "lead": roles["lead"], "coordinating": roles["coordinating"], "deadline_text": task.deadline_text,
                "milestones": [{"label": m.label, "kind": m.kind, "due": m.due.isoformat() if m.due else None}
                               for m in task.milestones.all()],
                "origin": origin.origin if origin else None,
                "source": ({"plan": origin.source.plan_id, "year": origin.source.plan.year, "task": origin.source_id,
                            "number": origin.source.number} if origin and origin.source else None),
                "parent_task": task.parent_id,
            })
        sections.append({"number": section.number, "area": section.area, "title": section.title, "tasks": tasks})
    return {
        "id": plan.pk, "issuer": plan.issuer.name, "year": plan.year, "title": plan.title, "status": plan.status,
        "parent": plan.parent_id, "number": plan.number or None,
        "targets": [{"text": t.text, "area": t.area or None, "op": t.op or None,
                     "value": float(t.value) if t.value is not None else None, "unit": t.unit} for t in plan.targets.all()],
        "sections": sections,
    }
