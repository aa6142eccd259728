"""PAR plans: targets, sections by reform area, tasks, who does them, when, and the obligations
an issued plan creates for every responsible unit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cchc.core.areas import AREA_CHOICES
from cchc.core.status import STATUS_LABELS
from cchc.history.models import ChangeLoggedModel
from cchc.units.models import Unit, UnitClass


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Plans the user may see ("view") or edit and issue ("change")."""
        from cchc.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if action == "change":
            return self.filter(issuer__in=scope.manage)
        # Plans of the user's units and below, plus issued plans from above that reach them.
        return self.filter(
            Q(issuer__in=scope.view) | Q(issuer__in=scope.above, status=Plan.Status.ISSUED)
        )


class Plan(ChangeLoggedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name="đơn vị ban hành")
    year = models.PositiveSmallIntegerField("năm")
    number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
        verbose_name="thực hiện kế hoạch",
    )
    parent_reference = models.CharField("căn cứ kế hoạch cấp trên", max_length=500, blank=True)
    source_file = models.FileField("tệp gốc", upload_to="plans/%Y/", blank=True)
    source_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    source_sha256 = models.CharField("mã băm tệp gốc", max_length=64, blank=True, db_index=True)
    source_text = models.TextField("văn bản gốc", blank=True)
    read_from_scan = models.BooleanField("đọc từ bản quét (OCR)", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = PlanQuerySet.as_manager()
    history_exclude = ("source_text",)

    class Meta:
        ordering = ["-year", "issuer__name"]
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self):
        number = f" ({self.number})" if self.number else ""
        return f"Kế hoạch CCHC năm {self.year} — {self.issuer}{number}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def reference_date(self) -> datetime.date:
        """The date that decides which units a class means: issue date, else 1 January."""
        return self.issued_on or datetime.date(self.year, 1, 1)


class Target(ChangeLoggedModel):
    class Op(models.TextChoices):
        AT_LEAST = ">=", "tối thiểu"
        AT_MOST = "<=", "tối đa"
        EQUAL = "=", "đạt"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveIntegerField(default=0)
    area = models.CharField("lĩnh vực", max_length=32, choices=AREA_CHOICES, blank=True)
    text = models.TextField("chỉ tiêu")
    op = models.CharField("so sánh", max_length=2, choices=Op.choices, blank=True)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField("đơn vị tính", max_length=32, blank=True)
    indicator_code = models.CharField(
        "chỉ tiêu thống kê", max_length=32, blank=True, help_text="Mã trao đổi của chỉ tiêu trong biểu mẫu, ví dụ 3:3.1."
    )
    actual = models.DecimalField("kết quả đạt được", max_digits=12, decimal_places=2, null=True, blank=True)
    actual_on = models.DateField("kết quả tính đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self):
        return self.text[:120]

    def assessment(self, today: datetime.date) -> str | None:
        """"met", "at_risk" (not met yet, the year still running) or "missed"; None without numbers."""
        if self.actual is None or self.value is None or not self.op:
            return None
        met = {">=": self.actual >= self.value, "<=": self.actual <= self.value, "=": self.actual == self.value}[self.op]
        if met:
            return "met"
        return "at_risk" if today <= datetime.date(self.plan.year, 12, 31) else "missed"

    def history_parent(self):
        return self.plan


class Section(ChangeLoggedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    number = models.CharField("số", max_length=16, blank=True)
    area = models.CharField("lĩnh vực", max_length=32, choices=AREA_CHOICES)
    title = models.CharField("tiêu đề", max_length=500)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = "lĩnh vực của kế hoạch"
        verbose_name_plural = "lĩnh vực của kế hoạch"

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def history_parent(self):
        return self.plan


class Task(ChangeLoggedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks", verbose_name="lĩnh vực")
    position = models.PositiveIntegerField(default=0)
    number = models.CharField("TT", max_length=16, blank=True)
    content = models.TextField("nội dung")
    deliverables = models.JSONField("sản phẩm", default=list, blank=True)
    notes = models.TextField("ghi chú", blank=True)
    deadline_text = models.TextField("thời gian hoàn thành", blank=True)
    source_first_line = models.PositiveIntegerField("từ dòng", null=True, blank=True)
    source_last_line = models.PositiveIntegerField("đến dòng", null=True, blank=True)
    from_scan = models.BooleanField("đọc từ bản quét (OCR)", default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
        verbose_name="nhiệm vụ cấp trên",
    )

    class Meta:
        ordering = ["plan", "section__position", "position"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"

    def __str__(self):
        return f"{self.number}. {self.content[:100]}" if self.number else self.content[:100]

    def get_absolute_url(self):
        return reverse("plans:task", args=[self.pk])

    def history_parent(self):
        return self.plan


class Role(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"
    MONITORING = "monitoring", "Theo dõi, kiểm tra, đôn đốc"
    DRAFTING = "drafting", "Xây dựng dự thảo"
    APPRAISING = "appraising", "Thẩm định"
    IMPLEMENTING = "implementing", "Thực hiện"
    REPORTING = "reporting", "Tổng hợp, báo cáo"


# Roles that oblige a unit to act and report on the task; monitoring bodies only chase it.
OBLIGED_ROLES = [Role.LEAD, Role.DRAFTING, Role.APPRAISING, Role.IMPLEMENTING, Role.REPORTING, Role.COORDINATING]


class Assignment(ChangeLoggedModel):
    """A body named in a role: one unit, a class of units, or text nobody could resolve yet."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveIntegerField(default=0)
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    text = models.CharField("tên như trong văn bản", max_length=500)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    unit_class = models.ForeignKey(
        UnitClass, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments",
        verbose_name="nhóm đơn vị",
    )

    class Meta:
        ordering = ["task", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(unit_class__isnull=True), name="assignment_unit_or_class"
            )
        ]
        verbose_name = "phân công"
        verbose_name_plural = "phân công"

    def __str__(self):
        return f"{self.get_role_display()}: {self.unit or self.unit_class or self.text}"

    @property
    def is_resolved(self) -> bool:
        return self.unit_id is not None or self.unit_class_id is not None

    def history_parent(self):
        return self.task


class Milestone(ChangeLoggedModel):
    class Kind(models.TextChoices):
        DATE = "date", "Ngày cụ thể"
        MONTH = "month", "Tháng"
        QUARTER = "quarter", "Quý"
        YEAR = "year", "Năm"
        ONGOING = "ongoing", "Thường xuyên"
        RECURRING = "recurring", "Định kỳ"
        EVENT = "event", "Theo sự kiện"
        UNKNOWN = "unknown", "Chưa xác định"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField("mốc", max_length=500, blank=True)
    deliverable = models.CharField("sản phẩm", max_length=500, blank=True)
    deadline_text = models.CharField("thời hạn như trong văn bản", max_length=500, blank=True)
    kind = models.CharField("loại thời hạn", max_length=16, choices=Kind.choices, default=Kind.UNKNOWN)
    due = models.DateField("hạn", null=True, blank=True)
    recurrence = models.JSONField("chu kỳ", null=True, blank=True)
    event_on = models.DateField(
        "ngày phát sinh sự kiện", null=True, blank=True,
        help_text="Với thời hạn theo sự kiện: ngày sự kiện xảy ra (văn bản chỉ đạo được ban hành…).",
    )

    class Meta:
        ordering = ["task", "position"]
        verbose_name = "mốc thời hạn"
        verbose_name_plural = "mốc thời hạn"

    def __str__(self):
        return self.label or self.deadline_text or self.get_kind_display()

    def history_parent(self):
        return self.task


STATUS_CHOICES = list(STATUS_LABELS.items())


class ObligationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        from cchc.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(unit__in=scope.edit if action == "change" else scope.view)

    def active(self):
        return self.filter(withdrawn_on__isnull=True)


class Obligation(ChangeLoggedModel):
    """What one unit owes on one task of an issued plan. Progress attaches here, so an
    obligation is never deleted once issued: a re-issue that drops the unit withdraws it."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="obligations", verbose_name="nhiệm vụ")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obligations", verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    # The plan's year, copied so that per-year lists and counts need no join through the task.
    year = models.PositiveSmallIntegerField("năm")
    created_at = models.DateTimeField("giao lúc", auto_now_add=True)
    withdrawn_on = models.DateField("thu hồi ngày", null=True, blank=True)
    completed_on = models.DateField("hoàn thành ngày", null=True, blank=True)
    # Status as of `status_on`, kept so that lists and dashboards can filter and count in SQL.
    # Refreshed on every progress update and daily (cchc refresh-statuses); any other date is
    # computed on demand by cchc.tracking.status.
    status = models.CharField("tình trạng", max_length=16, choices=STATUS_CHOICES, default="pending")
    next_due = models.DateField("hạn gần nhất chưa hoàn thành", null=True, blank=True)
    status_on = models.DateField("tình trạng tính đến ngày", null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["task", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="unique_obligation")]
        indexes = [
            models.Index(fields=["unit", "year", "status"]),  # a unit's or a province's year
            models.Index(fields=["status", "next_due"]),  # the daily refresh, overdue lists
        ]
        verbose_name = "nghĩa vụ thực hiện"
        verbose_name_plural = "nghĩa vụ thực hiện"

    def __str__(self):
        return f"{self.unit} — {self.task}"

    def get_absolute_url(self):
        return reverse("tracking:obligation", args=[self.pk])

    def history_parent(self):
        return self.task
