"""Whether a task of a parsed plan (the reader's JSON) concerns a unit: its lead, coordinating
or implementing bodies name the unit's class ("UBND cấp xã", "Các sở, ban, ngành") or the unit."""

from __future__ import annotations

from cchc.core.text import fold
from cchc.core.units import UNIT_CLASSES
from cchc.core.units.names import canonical

__all__ = ["concerns", "issuer_kind"]

_CONCERN_ROLES = ("implementing",)


def issuer_kind(issuer: str | None) -> str | None:
    """The kind of unit an issuer's long name is: "commune", "district", "province", "department"."""
    folded = fold(issuer or "")
    for word, kind in (("xa ", "commune"), ("phuong ", "commune"), ("thi tran ", "commune"),
                       ("huyen ", "district"), ("thi xa ", "district"), ("tinh ", "province")):
        if folded.startswith(("uy ban nhan dan " + word, "ubnd " + word)):
            return kind
    if folded.startswith(("so ", "ban ", "thanh tra", "van phong")):
        return "department"
    return None


def _bodies(task: dict) -> list[str]:
    bodies = list(task.get("lead") or []) + list(task.get("coordinating") or [])
    for other in task.get("other_roles") or []:
        if other.get("role") in _CONCERN_ROLES:
            bodies += other.get("bodies") or []
    return bodies


def concerns(task: dict, kind: str | None, issuer: str | None) -> bool:
    """Whether the task names the class of units of `kind` or the unit `issuer` itself."""
    own = canonical(issuer) if issuer else None
    for body in _bodies(task):
        key = canonical(body)
        if own and key == own:
            return True
        if kind is None:
            continue
        for part in [key, *key.split(" cap ")[1:]]:  # "uy ban nhan dan cap huyen cap xa"
            part = part if part.startswith("uy ban") or part == key else f"uy ban nhan dan cap {part}"
            for cls in UNIT_CLASSES.values():
                if kind in cls.kinds and cls.matches(part):
                    return True
    return False
