"""`cchc plan-lineage PARENT CHILD --json`: the task pairs of two plans (documents or stored ids)."""

import json as json_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.lineage import area_number, match_tasks, refs_from_plan_json
from cchc.core.lineage.concern import concerns, issuer_kind
from cchc.core.plan_reader import PlanReadError, read_plan


class Command(BaseCommand):
    help = ("Ghép nhiệm vụ của hai kế hoạch (cấp trên với cấp dưới, hoặc năm trước với năm sau). PARENT, CHILD: "
            "tệp kế hoạch (.txt, .docx, .pdf) hoặc mã kế hoạch trong CSDL.")

    def add_arguments(self, parser):
        parser.add_argument("parent")
        parser.add_argument("child")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args, parent, child, json: bool, **options):
        parent_side, child_side = _side(parent), _side(child)
        result = match_tasks(parent_side["refs"], child_side["refs"])
        matched = {p.parent.key for p in result.pairs}
        not_taken = [ref for ref in parent_side["refs"] if ref.key not in matched
                     and child_side["concerned_by"](parent_side, ref)]
        out = {
            "pairs": [{"parent": _ref(p.parent), "child": _ref(p.child), "score": p.score} for p in result.pairs],
            "child_without_parent": [_ref(t) for t in result.child_without_parent],
            "parent_not_taken_up": [_ref(t) for t in not_taken],
        }
        if json:
            self.stdout.write(json_module.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(out['pairs'])} cặp nhiệm vụ; {len(out['child_without_parent'])} nhiệm vụ cấp dưới "
                          f"không có nhiệm vụ tương ứng; {len(out['parent_not_taken_up'])} nhiệm vụ cấp trên chưa "
                          "được đưa vào kế hoạch.")
        for pair in out["pairs"]:
            self.stdout.write(f"  {_label(pair['parent'])} → {_label(pair['child'])}  ({pair['score']:.2f})")
        for ref in out["parent_not_taken_up"]:
            self.stdout.write(f"  chưa đưa vào: {_label(ref)} {ref['title'][:100]}")


def _ref(task) -> dict:
    return {"area": area_number(task.area), "ordinal": task.ordinal, "number": task.number, "title": task.text}


def _label(ref: dict) -> str:
    return f"{ref['area']}.{ref['ordinal']}"


def _side(argument: str) -> dict:
    """refs, and a predicate: does a parent task (of the other side) concern this side's unit."""
    if argument.isdigit() and not Path(argument).exists():
        return _stored(int(argument))
    path = Path(argument)
    if not path.exists():
        raise CommandError(f"{argument}: không tìm thấy tệp, cũng không phải mã kế hoạch", returncode=2)
    try:
        parsed = read_plan(path)
    except PlanReadError as error:
        raise CommandError(str(error), returncode=2) from error
    refs = refs_from_plan_json(parsed)
    tasks = {ref.key: task for ref, task in zip(refs, (t for s in parsed["sections"] for t in s["tasks"]), strict=True)}
    kind, issuer = issuer_kind(parsed.get("issuer")), parsed.get("issuer")

    def concerned_by(parent_side, ref):
        return parent_side["concerns"](ref, kind=kind, issuer=issuer, unit=None)

    def task_concerns(ref, *, kind, issuer, unit):
        return concerns(tasks[ref.key], kind, issuer)

    return {"refs": refs, "concerned_by": concerned_by, "concerns": task_concerns}


def _stored(pk: int) -> dict:
    from cchc.planning.lineage import concerned_units, plan_tasks, task_refs
    from cchc.plans.models import Plan

    plan = Plan.objects.select_related("issuer").filter(pk=pk).first()
    if plan is None:
        raise CommandError(f"Không có kế hoạch mã {pk} trong CSDL.", returncode=2)
    refs = task_refs(plan_tasks(plan))
    issuer = plan.issuer
    concerned = None

    def concerned_by(parent_side, ref):
        return parent_side["concerns"](ref, kind=issuer.kind, issuer=issuer.name, unit=issuer.pk)

    def task_concerns(ref, *, kind, issuer, unit):
        nonlocal concerned
        if concerned is None:
            concerned = concerned_units(plan)
        if unit is not None:
            return unit in concerned.get(ref.key, ())
        from cchc.plans.models import Assignment

        task = {"lead": [], "coordinating": [], "other_roles": [{"role": "implementing", "bodies": []}]}
        for role, text in Assignment.objects.filter(task_id=ref.key).values_list("role", "text"):
            if role in ("lead", "coordinating"):
                task[role].append(text)
            elif role == "implementing":
                task["other_roles"][0]["bodies"].append(text)
        return concerns(task, kind, issuer)

    return {"refs": refs, "concerned_by": concerned_by, "concerns": task_concerns}
