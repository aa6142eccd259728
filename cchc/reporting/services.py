"""The reporting workflow: who may do what, entering values, validation, submit / return / accept,
and the figures that come from task tracking rather than from typing.

Every page and the API call these functions, so they always agree. Errors a person must read are
`ReportingError`s with a Vietnamese message.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.accounts.models import Membership, Role
from cchc.accounts.scope import provinces_of, scope_for
from cchc.core import status as engine
from cchc.core.statforms import (
    Finding,
    FormSet,
    VNNumberError,
    format_vn_number,
    is_dash,
    parse_vn_number,
    validate,
)
from cchc.core.text import fold
from cchc.history.bulk import record_bulk
from cchc.history.models import ObjectChange, snapshot
from cchc.today import today as business_today
from cchc.units.models import Unit, UnitKind

from .models import Acknowledgement, ReportingPeriod, Submission, SubmissionValue

# Units that report in a period (offices and posts report through their commune).
REPORTING_KINDS = (UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)


class ReportingError(Exception):
    """Something a person asked for that cannot be done; the message says why, in Vietnamese."""

    def __init__(self, message: str, details: Iterable[str] = ()):
        self.message = message
        self.details = list(details)
        super().__init__(message)

    def __str__(self):
        return self.message + ("" if not self.details else " " + " ".join(self.details))


# --- permissions -------------------------------------------------------------------------------


def coordinated_provinces(user) -> set[int]:
    """Provinces whose PAR coordination (Sở Nội vụ) the user belongs to."""
    if not (user and user.is_authenticated):
        return set()
    if user.is_superuser:
        return set(Unit.objects.filter(kind=UnitKind.PROVINCE).values_list("pk", flat=True))
    cached = getattr(user, "_cchc_coordinated", None)
    if cached is None:
        cached = set()
        for membership in Membership.objects.filter(user=user, role=Role.COORDINATOR).select_related("unit"):
            province = membership.unit.province()
            if province is not None:
                cached.add(province.pk)
        user._cchc_coordinated = cached
    return cached


def is_coordinator_of(user, province: Unit | int) -> bool:
    pk = province if isinstance(province, int) else province.pk
    return pk in coordinated_provinces(user)


def visible_periods(user) -> QuerySet:
    return ReportingPeriod.objects.filter(province__in=[p.pk for p in provinces_of(user)])


def visible_submissions(user) -> QuerySet:
    """Submissions of units the user sees (their own units and below; a coordinator: the
    province). Everything else is a 404, never a 403, so its existence is not revealed."""
    scope = scope_for(user)
    submissions = Submission.objects.filter(period__in=visible_periods(user))
    if scope.everything:
        return submissions
    return submissions.filter(Q(unit__in=scope.view) | Q(period__province__in=coordinated_provinces(user)))


def can_edit(user, submission: Submission) -> bool:
    """May change values, import, acknowledge and submit (an editing role over the unit)."""
    return scope_for(user).can_edit(submission.unit_id) or is_coordinator_of(user, submission.period.province_id)


def can_decide(user, submission: Submission) -> bool:
    """May accept or return: a PAR coordinator of the period's province."""
    return is_coordinator_of(user, submission.period.province_id)


# --- the form set and stored values ------------------------------------------------------------


def form_set_of(period_or_submission) -> FormSet:
    period = getattr(period_or_submission, "period", period_or_submission)
    return period.form_set.form_set()


def stored_values(submission: Submission) -> dict[str, Decimal]:
    return {
        code: value
        for code, value in submission.values.filter(value__isnull=False).values_list("code", "value")
    }


def stored_notes(submission: Submission) -> dict[str, str]:
    return dict(submission.values.exclude(note="").values_list("code", "note"))


def stored_sources(submission: Submission) -> dict[str, str]:
    return dict(submission.values.values_list("code", "source"))


def _normalise(value: Decimal) -> Decimal:
    """A stored Decimal (6 places) as typed: 238144.000000 -> 238144, 99.650000 -> 99.65."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def display_number(value: Decimal | None, places: int | None = None) -> str:
    """Vietnamese notation: 238.144, 99,65. With ``places`` rounded to them; else as typed."""
    if value is None:
        return ""
    if places is None:
        value = _normalise(value)
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_vn_number(value, places)


def row_places(row) -> int:
    return row.places if row.value_type in ("percent", "amount") else 0


def rounded_row_value(row, value: Decimal) -> Decimal:
    """A row's value at the decimals the form prints, rounded half-up the way reports are
    written by hand, except that a ratio just under 100% never becomes 100 (99,99916 -> 99,99)."""
    step = Decimal(1).scaleb(-row_places(row))
    rounded = Decimal(value).quantize(step, ROUND_HALF_UP)
    if row.value_type == "percent" and value < 100 <= rounded:
        rounded = Decimal(value).quantize(step, ROUND_DOWN)
    return rounded


def display_row_value(row, value: Decimal | None) -> str:
    """A computed row value as the form prints it: "99,99", "2.133"."""
    if value is None:
        return ""
    return format_vn_number(rounded_row_value(row, value), row_places(row))


# --- figures from task tracking ---------------------------------------------------------------


@dataclass(frozen=True)
class TrackingRows:
    """Codes of Biểu mẫu 1's plan-completion rows in a form set: the ratio row "Tỷ lệ hoàn
    thành Kế hoạch CCHC năm", tasks in the plan (its denominator), tasks done (its numerator)."""

    ratio: str
    total: str
    done: str

    @property
    def inputs(self) -> tuple[str, str]:
        return (self.total, self.done)


def tracking_rows(form_set: FormSet) -> TrackingRows | None:
    """Found by the row's name, not its number: forms are renumbered from year to year."""
    for row in form_set.rows.values():
        name = fold(row.name)
        if "ty le hoan thanh ke hoach" in name and row.formula is not None and row.formula.op == "ratio":
            return TrackingRows(row.code, row.formula.denominator, row.formula.numerator)
    return None


def tracking_summary(unit: Unit, period: ReportingPeriod) -> dict | None:
    """Tasks of the unit's issued plan of the period's year and their statuses as of the period's
    end (cchc.tracking.status). A task's status rolls up its lead units' obligations (all its
    obligations when no lead is named). None when the unit has no issued plan that year."""
    from cchc.plans.models import Obligation, Plan
    from cchc.plans.models import Role as PlanRole
    from cchc.tracking.status import evaluate, with_status_data

    plan = (
        Plan.objects.filter(issuer=unit, year=period.year, status=Plan.Status.ISSUED)
        .order_by("-issued_on", "-pk")
        .first()
    )
    if plan is None:
        return None
    per_task: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for obligation in with_status_data(Obligation.objects.active().filter(task__plan=plan)):
        per_task[obligation.task_id].append((obligation.role, evaluate(obligation, period.end).status))
    statuses = []
    for task_id in plan.tasks.values_list("pk", flat=True):
        rows = per_task.get(task_id, [])
        leads = [s for role, s in rows if role == PlanRole.LEAD]
        statuses.append(engine.roll_up(leads or [s for _, s in rows]))
    counts = engine.count_statuses(statuses)
    return {
        "plan": plan.pk,
        "plan_title": str(plan),
        "as_of": period.end.isoformat(),
        "tasks": len(statuses),
        "done": counts[engine.DONE_ON_TIME] + counts[engine.DONE_LATE],
        "counts": counts,
    }


def refresh_tracking(submission: Submission) -> dict | None:
    """Fill the plan-completion rows of an editable submission from tracking data (a submitted
    one keeps what it was sent with)."""
    if submission.status not in Submission.EDITABLE:
        return submission.tracking
    summary = tracking_summary(submission.unit, submission.period)
    rows = tracking_rows(form_set_of(submission))
    if summary != submission.tracking:
        submission.tracking = summary
        submission.save(update_fields=["tracking", "updated_at"])
    if summary is not None and rows is not None:
        _write(
            submission,
            {rows.total: Decimal(summary["tasks"]), rows.done: Decimal(summary["done"])},
            None,
            SubmissionValue.Source.TRACKING,
        )
    return summary


def tracked_codes(submission: Submission) -> set[str]:
    """Codes filled from tracking for this submission (not typed)."""
    if not submission.tracking:
        return set()
    rows = tracking_rows(form_set_of(submission))
    return set(rows.inputs) if rows else set()


# --- entering values ---------------------------------------------------------------------------


@dataclass
class Entry:
    """Values and notes read from a form, with the problems found reading them."""

    values: dict[str, Decimal | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def parse_entry(form_set: FormSet, raw_values: Mapping[str, object], raw_notes: Mapping[str, str] | None = None) -> Entry:
    """Typed cells ("238.144", "99,65", "", "-") into Decimals; numbers pass as they are.
    Only input rows are read: derived rows are computed, group rows carry nothing."""
    entry = Entry()
    inputs = set(form_set.input_codes())
    for code, raw in raw_values.items():
        if code not in form_set.rows:
            entry.errors[code] = f"Mã chỉ tiêu «{code}» không có trong bộ biểu mẫu {form_set.key}."
            continue
        row = form_set.rows[code]
        if code not in inputs:
            if raw not in (None, ""):
                kind = "được tính tự động" if row.derived else "là dòng tiêu đề nhóm"
                entry.errors[code] = f"Chỉ tiêu {row.label()} {kind}, không nhập số liệu."
            continue
        if raw is None or (isinstance(raw, str) and (not raw.strip() or is_dash(raw))):
            entry.values[code] = None
            entry.texts[code] = "" if raw is None else raw.strip()
            continue
        entry.texts[code] = str(raw).strip()
        if isinstance(raw, bool):
            entry.errors[code] = f"Chỉ tiêu {row.label()}: giá trị «{raw}» không phải là số."
            continue
        try:
            if isinstance(raw, float):
                number = Decimal(repr(raw))
            elif isinstance(raw, int | Decimal):
                number = Decimal(raw)
            else:
                number = parse_vn_number(str(raw))
        except VNNumberError as exc:
            entry.errors[code] = f"Chỉ tiêu {row.label()}: {exc}"
            continue
        if abs(number) >= Decimal(10) ** 17 or number != number.quantize(Decimal("0.000001")):
            entry.errors[code] = f"Chỉ tiêu {row.label()}: số «{raw}» quá lớn hoặc quá nhiều chữ số thập phân (tối đa 6)."
            continue
        entry.values[code] = number
    for code, note in (raw_notes or {}).items():
        if code in form_set.rows:
            entry.notes[code] = (note or "").strip()
        else:
            entry.errors[code] = f"Mã chỉ tiêu «{code}» không có trong bộ biểu mẫu {form_set.key}."
    return entry


def _write(
    submission: Submission,
    values: Mapping[str, Decimal | None],
    notes: Mapping[str, str] | None,
    source: str,
) -> int:
    """Upsert cells in bulk, one change-log row per changed cell. Returns how many changed."""
    notes = notes or {}
    existing = {v.code: v for v in submission.values.all()}
    created, changed, before = [], [], {}
    for code in set(values) | set(notes):
        current = existing.get(code)
        value = values.get(code, current.value if current else None)
        note = notes.get(code, current.note if current else "")
        if current is None:
            if value is None and not note:
                continue
            created.append(SubmissionValue(submission=submission, code=code, value=value, note=note, source=source))
            continue
        new_source = source if code in values else current.source
        if (current.value is None and value is None or current.value is not None and value is not None
                and Decimal(current.value) == Decimal(value)) and current.note == note and current.source == new_source:
            continue
        before[current.pk] = snapshot(current)
        current.value, current.note, current.source = value, note, new_source
        changed.append(current)
    SubmissionValue.objects.bulk_create(created, batch_size=500)
    record_bulk(created, ObjectChange.Action.CREATE)
    SubmissionValue.objects.bulk_update(changed, ["value", "note", "source"], batch_size=500)
    record_bulk(changed, ObjectChange.Action.UPDATE, before)
    return len(created) + len(changed)


def ensure_editable(submission: Submission) -> None:
    if not submission.period.is_open:
        raise ReportingError(f"Kỳ báo cáo {submission.period.label} đã khóa, không sửa được số liệu.")
    if submission.status == Submission.Status.SUBMITTED:
        raise ReportingError(
            f"Báo cáo của {submission.unit} đã gửi, đang chờ tiếp nhận: không sửa được. "
            "Nếu cần sửa, đề nghị cơ quan tổng hợp trả lại báo cáo."
        )
    if submission.status == Submission.Status.ACCEPTED:
        raise ReportingError(f"Báo cáo của {submission.unit} đã được tiếp nhận, không sửa được số liệu.")


@transaction.atomic
def save_values(
    submission: Submission,
    values: Mapping[str, Decimal | None],
    notes: Mapping[str, str] | None = None,
    *,
    source: str = SubmissionValue.Source.ENTRY,
    replace: bool = False,
) -> int:
    """Store typed values of a draft (or returned) submission. Rows filled from tracking are
    left alone. ``replace``: every input row not in ``values`` is cleared (an import)."""
    submission = Submission.objects.select_for_update().select_related("period__form_set", "unit").get(pk=submission.pk)
    ensure_editable(submission)
    form_set = form_set_of(submission)
    inputs = set(form_set.input_codes())
    unknown = sorted(set(values) - inputs)
    if unknown:
        raise ReportingError(f"Không nhập được số liệu cho các chỉ tiêu {', '.join(unknown)} (không phải dòng nhập).")
    skip = tracked_codes(submission)
    values = {c: v for c, v in values.items() if c not in skip}
    if replace:
        values = {c: values.get(c) for c in inputs - skip}
    changed = _write(submission, values, notes, source)
    refresh_tracking(submission)
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    return changed


# --- validation --------------------------------------------------------------------------------


def findings_for(submission: Submission, values: Mapping[str, Decimal] | None = None) -> list[Finding]:
    form_set = form_set_of(submission)
    return validate(form_set, stored_values(submission) if values is None else values)


def pending_warnings(submission: Submission, findings: Iterable[Finding]) -> list[Finding]:
    """Warnings without a current explanation (an explanation holds for the warning as worded:
    when the figures change, the warning's numbers change and it must be explained again)."""
    acknowledged = {(a.rule, a.message) for a in submission.acknowledgements.all()}
    return [f for f in findings if f.severity == "warning" and (f.rule, f.message) not in acknowledged]


@transaction.atomic
def acknowledge(submission: Submission, rule: str, comment: str, user) -> Acknowledgement:
    comment = (comment or "").strip()
    if not comment:
        raise ReportingError("Cần ghi rõ nội dung giải trình cho cảnh báo.")
    ensure_editable(submission)
    finding = next((f for f in findings_for(submission) if f.rule == rule), None)
    if finding is None:
        raise ReportingError(f"Không có cảnh báo «{rule}» trong số liệu hiện tại.")
    if finding.severity != "warning":
        raise ReportingError("Đây là lỗi, không phải cảnh báo: phải sửa số liệu, không giải trình được.")
    ack, _ = Acknowledgement.objects.update_or_create(
        submission=submission, rule=rule,
        defaults={"codes": list(finding.codes), "message": finding.message, "comment": comment, "user": user},
    )
    return ack


# --- the workflow ------------------------------------------------------------------------------


def expected_units(period: ReportingPeriod) -> QuerySet:
    """Units that owe a report in the period: the province and every department, district and
    commune of it that exists on the period's last day."""
    return (
        Unit.objects.filter(pk__in=Unit.objects.subtree_ids(period.province))
        .filter(kind__in=REPORTING_KINDS)
        .valid_on(period.end)
    )


def open_submission(period: ReportingPeriod, unit: Unit, user) -> Submission:
    """The unit's submission for the period, created as an empty draft on first use."""
    submission = Submission.objects.filter(period=period, unit=unit).first()
    if submission is not None:
        return submission
    if not period.is_open:
        raise ReportingError(f"Kỳ báo cáo {period.label} đã khóa.")
    if unit.pk not in Unit.objects.subtree_ids(period.province):
        raise ReportingError(f"{unit} không thuộc {period.province}.")
    submission, _ = Submission.objects.get_or_create(period=period, unit=unit)
    refresh_tracking(submission)
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("period__form_set", "unit").get(pk=submission.pk)


@transaction.atomic
def submit(submission: Submission, user, now: datetime.datetime | None = None) -> Submission:
    """Send the forms: every error fixed, every warning explained. Refused when already sent."""
    submission = _locked(submission)
    when = timezone.localtime(submission.submitted_at).strftime("%H:%M %d/%m/%Y") if submission.submitted_at else ""
    if submission.status == Submission.Status.SUBMITTED:
        raise ReportingError(
            f"Báo cáo của {submission.unit} kỳ {submission.period.label} đã được gửi lúc {when}; "
            "không gửi lại lần nữa. Nếu cần sửa, đề nghị cơ quan tổng hợp trả lại báo cáo."
        )
    if submission.status == Submission.Status.ACCEPTED:
        raise ReportingError(
            f"Báo cáo của {submission.unit} kỳ {submission.period.label} đã được tiếp nhận; không gửi lại được."
        )
    if not submission.period.is_open:
        raise ReportingError(f"Kỳ báo cáo {submission.period.label} đã khóa, không gửi được báo cáo.")
    refresh_tracking(submission)
    values = stored_values(submission)
    if not values:
        raise ReportingError("Báo cáo chưa có số liệu nào, chưa gửi được.")
    findings = findings_for(submission, values)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ReportingError(
            f"Chưa gửi được: còn {len(errors)} lỗi phải sửa trước khi gửi.", [f.message for f in errors]
        )
    unexplained = pending_warnings(submission, findings)
    if unexplained:
        raise ReportingError(
            f"Chưa gửi được: còn {len(unexplained)} cảnh báo chưa giải trình. "
            "Hãy sửa số liệu hoặc ghi giải trình cho từng cảnh báo.",
            [f.message for f in unexplained],
        )
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = now or timezone.now()
    submission.submitted_by = user
    submission.save()
    return submission


@transaction.atomic
def accept(submission: Submission, user, now: datetime.datetime | None = None) -> Submission:
    submission = _locked(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise ReportingError(
            f"Chỉ tiếp nhận được báo cáo đã gửi; báo cáo của {submission.unit} đang ở trạng thái "
            f"«{submission.get_status_display()}»."
        )
    submission.status = Submission.Status.ACCEPTED
    submission.decided_by, submission.decided_at = user, now or timezone.now()
    submission.save()
    return submission


@transaction.atomic
def return_submission(submission: Submission, user, reason: str, now: datetime.datetime | None = None) -> Submission:
    reason = (reason or "").strip()
    if not reason:
        raise ReportingError("Cần ghi rõ lý do trả lại báo cáo để đơn vị biết phải sửa gì.")
    submission = _locked(submission)
    if submission.status not in (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED):
        raise ReportingError(
            f"Chỉ trả lại được báo cáo đã gửi; báo cáo của {submission.unit} đang ở trạng thái "
            f"«{submission.get_status_display()}»."
        )
    submission.status = Submission.Status.RETURNED
    submission.reason = reason
    submission.decided_by, submission.decided_at = user, now or timezone.now()
    submission.save()
    return submission


# --- the coordinator's overview ----------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    submission: Submission | None
    state: str  # not_started, draft, late, submitted, returned, accepted
    label: str
    color: str


STATE_LABELS = {
    "not_started": ("Chưa nhập", "secondary"),
    "draft": ("Đang soạn", "info"),
    "late": ("Quá hạn, chưa gửi", "danger"),
    "returned": ("Bị trả lại", "warning"),
    "submitted": ("Đã gửi, chờ tiếp nhận", "primary"),
    "accepted": ("Đã tiếp nhận", "success"),
}


def period_overview(period: ReportingPeriod, user, today: datetime.date | None = None) -> list[UnitRow]:
    """Every unit that owes a report (and every unit that sent one), with where it stands."""
    today = today or business_today()
    scope = scope_for(user)
    coordinator = is_coordinator_of(user, period.province_id)
    submissions = {s.unit_id: s for s in period.submissions.select_related("unit")}
    units = {u.pk: u for u in expected_units(period)}
    units.update({s.unit_id: s.unit for s in submissions.values()})
    late = period.is_late(today)
    rows = []
    for unit in sorted(units.values(), key=lambda u: (_kind_order(u.kind), u.name)):
        if not (coordinator or scope.can_view(unit.pk)):
            continue
        submission = submissions.get(unit.pk)
        status = submission.status if submission else "not_started"
        if status in ("not_started", "draft", "returned") and late:
            state = "late" if status != "returned" else "returned"
        else:
            state = status
        label, color = STATE_LABELS[state]
        if state == "returned" and late:
            label += " (quá hạn)"
        rows.append(UnitRow(unit, submission, state, label, color))
    return rows


def _kind_order(kind: str) -> int:
    order = [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE]
    return order.index(kind) if kind in order else len(order)
