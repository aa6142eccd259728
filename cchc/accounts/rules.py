"""Object permissions (django-rules), all derived from the user's scope (see scope.py)."""

import rules

from .scope import scope_for


@rules.predicate
def can_view_plan(user, plan):
    return plan is not None and plan.__class__.objects.restrict(user).filter(pk=plan.pk).exists()


@rules.predicate
def can_manage_plan(user, plan):
    return plan is not None and scope_for(user).can_manage(plan.issuer_id)


@rules.predicate
def can_edit_obligation(user, obligation):
    return obligation is not None and scope_for(user).can_edit(obligation.unit_id)


@rules.predicate
def can_manage_unit(user, unit):
    return unit is not None and scope_for(user).can_manage(unit.pk)


rules.add_perm("plans.view_plan", can_view_plan)
rules.add_perm("plans.change_plan", can_manage_plan)
rules.add_perm("plans.issue_plan", can_manage_plan)
rules.add_perm("plans.change_obligation", can_edit_obligation)
rules.add_perm("accounts.manage_unit_users", can_manage_unit)
rules.add_perm("units.import_bodies", can_manage_unit)
