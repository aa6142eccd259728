"""What a user may see and change, as sets of unit ids. Every queryset restriction and every
object rule is derived from here, so pages and the API always agree (cf. NetBox's restrict())."""

from __future__ import annotations

from dataclasses import dataclass

from cchc.units.models import Unit, UnitKind

from .models import Membership, Role

EDITING_ROLES = {Role.OFFICER, Role.MANAGER, Role.COORDINATOR}
MANAGING_ROLES = {Role.MANAGER, Role.COORDINATOR}


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    view: frozenset[int] = frozenset()  # units whose plans and obligations the user sees
    edit: frozenset[int] = frozenset()  # units whose obligations the user updates
    manage: frozenset[int] = frozenset()  # units whose plans and users the user manages
    above: frozenset[int] = frozenset()  # ancestors of the user's units: their issued plans reach the user

    def can_view(self, unit_id: int | None) -> bool:
        return self.everything or unit_id in self.view

    def can_edit(self, unit_id: int | None) -> bool:
        return self.everything or unit_id in self.edit

    def can_manage(self, unit_id: int | None) -> bool:
        return self.everything or unit_id in self.manage


_CACHE_ATTR = "_cchc_scope"


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    view, edit, manage, above = set(), set(), set(), set()
    for membership in Membership.objects.filter(user=user).select_related("unit"):
        root = membership.unit
        if membership.role == Role.COORDINATOR:
            root = root.province() or root
        reach = _reach(root)
        view |= reach
        if membership.role in EDITING_ROLES:
            edit |= reach
        if membership.role in MANAGING_ROLES:
            manage |= reach
        above |= set(Unit.objects.ancestor_ids(membership.unit))
    scope = Scope(view=frozenset(view), edit=frozenset(edit), manage=frozenset(manage), above=frozenset(above))
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _reach(root: Unit) -> set[int]:
    """The root's subtree plus every unit that merged into a unit of it, so that a merged
    commune's past work stays visible to its successor."""
    return Unit.objects.reach_ids(root)


def provinces_of(user) -> list[Unit]:
    scope = scope_for(user)
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE)
    return list(provinces if scope.everything else provinces.filter(pk__in=scope.view | scope.above))
