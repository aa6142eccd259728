"""Accounts and memberships of a province's officials from an .xlsx (rows read in cchc/core/people.py):
the dry run, the transactional apply, and the e-mail that lets each new person set a password.

New people get an account named by their e-mail, with no usable password, and an e-mail holding a
one-time link (Django's password-reset token) to set it. People who already have an account are
only added to the unit or given the new role. Memberships are change-logged models, so every
membership written appears in the change history under the importer's name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cchc.core import people
from cchc.core.sheets import RowError, SheetError, read_xlsx, write_xlsx
from cchc.core.text import fold
from cchc.today import today
from cchc.units.models import Unit

from .models import Membership, Role
from .scope import Scope, scope_for

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Line:
    line: int
    full_name: str
    email: str
    unit: Unit
    role: str
    new_user: bool
    membership: str  # "create" | "role" | "unchanged"
    old_role: str = ""

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def old_role_label(self) -> str:
        return Role(self.old_role).label if self.old_role else ""


@dataclass
class Plan:
    lines: list[Line] = field(default_factory=list)
    emails_sent: int = 0

    @property
    def new_users(self) -> int:
        return len({line.email for line in self.lines if line.new_user})

    @property
    def new_memberships(self) -> int:
        return sum(line.membership == "create" for line in self.lines)

    @property
    def role_changes(self) -> int:
        return sum(line.membership == "role" for line in self.lines)

    @property
    def unchanged(self) -> int:
        return sum(line.membership == "unchanged" for line in self.lines)


def template() -> bytes:
    return write_xlsx(people.COLUMNS, [], [*people.NOTES, "Vai trò: " + "; ".join(
        f"{label} ({key})" for key, label in Role.choices) + "."], "Tài khoản")


def can_import(user) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.manage)


def _unit(text: str, on) -> tuple[Unit | None, str]:
    unit = Unit.objects.filter(code=text).first()
    if unit is not None:
        return unit, ""
    folded = fold(text)
    candidates = [u for u in Unit.objects.filter(search_text__startswith=folded).valid_on(on) if fold(u.name) == folded]
    if len(candidates) == 1:
        return candidates[0], ""
    if candidates:
        codes = ", ".join(u.code for u in candidates[:5])
        return None, f"tên “{text}” ứng với nhiều đơn vị (mã {codes}); hãy ghi mã đơn vị."
    return None, f"không có đơn vị mã hoặc tên “{text[:60]}” (xem Danh mục đơn vị)."


def dry_run(data: bytes, name: str, importer) -> Plan:
    """What importing the file would do. Raises ImportRefused naming every wrong row and column."""
    try:
        sheet = read_xlsx(data, name, people.COLUMNS)
    except SheetError as exc:
        raise ImportRefused([str(exc)]) from None
    rows, errors = people.read_rows(sheet, dict(Role.choices))
    # importer None: the command line, which has every right (like the admin site's superuser).
    scope = scope_for(importer) if importer is not None else Scope(everything=True)
    grants_coordinators = scope.everything or Membership.objects.filter(user=importer, role=Role.COORDINATOR).exists()
    User = get_user_model()
    emails = {row.email for row in rows}
    users = {}
    for user in User.objects.filter(email__in=emails) | User.objects.filter(username__in=emails):
        users.setdefault((user.email or user.username).lower(), user)
    memberships = {
        (m.user_id, m.unit_id): m for m in Membership.objects.filter(user__in=users.values())
    }
    plan = Plan()
    on = today()
    for row in rows:
        unit, problem = _unit(row.unit, on)
        if unit is None:
            errors.append(RowError(row.line, people.TITLES["unit"], problem))
            continue
        if not scope.can_manage(unit.pk):
            errors.append(RowError(row.line, people.TITLES["unit"], f"bạn không quản lý tài khoản của {unit.name}."))
            continue
        if row.role == Role.COORDINATOR and not grants_coordinators:
            errors.append(RowError(row.line, people.TITLES["role"], "chỉ điều phối viên CCHC cấp tỉnh mới giao được "
                                                                    "vai trò điều phối."))
            continue
        user = users.get(row.email)
        existing = memberships.get((user.pk, unit.pk)) if user is not None else None
        if existing is None:
            action, old = "create", ""
        elif existing.role != row.role:
            action, old = "role", existing.role
        else:
            action, old = "unchanged", ""
        plan.lines.append(Line(row.line, row.full_name, row.email, unit, row.role, user is None, action, old))
    if errors:
        raise ImportRefused([e.text(name) for e in sorted(errors, key=lambda e: e.line)])
    return plan


@transaction.atomic
def apply(data: bytes, name: str, importer) -> Plan:
    """Import the file, all rows or none; the e-mails go once the transaction has committed.
    Run inside a change_context naming the importer."""
    plan = dry_run(data, name, importer)
    User = get_user_model()
    created: dict[str, object] = {}
    for line in plan.lines:
        user = created.get(line.email)
        if user is None and line.new_user:
            user = User.objects.create_user(username=line.email[:150], email=line.email, first_name=line.full_name)
            created[line.email] = user
        elif user is None:
            user = User.objects.filter(email__iexact=line.email).first() or User.objects.get(username=line.email)
        if line.membership == "create":
            Membership.objects.create(user=user, unit=line.unit, role=line.role)
        elif line.membership == "role":
            membership = Membership.objects.get(user=user, unit=line.unit)
            membership.role = line.role
            membership.save()
    transaction.on_commit(lambda: _send_all(list(created.values()), plan))
    return plan


def _send_all(users, plan: Plan) -> None:
    """After the commit: a mail server that fails leaves the accounts in place (the person can ask
    for a new link), and the failure is logged."""
    sent = 0
    for user in users:
        try:
            send_welcome(user, plan)
            sent += 1
        except Exception:  # SMTP and network errors of every kind
            logger.exception("welcome e-mail to %s failed", user.email)
    plan.emails_sent = sent


def set_password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:set_password", args=[uid, token])


def send_welcome(user, plan: Plan) -> None:
    units = [line for line in plan.lines if line.email == user.email]
    body = render_to_string("accounts/email/welcome.txt", {
        "user": user, "lines": units, "link": set_password_link(user), "site": settings.SITE_URL,
    })
    EmailMessage("Tài khoản hệ thống theo dõi cải cách hành chính", body, to=[user.email]).send()
