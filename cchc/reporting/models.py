"""Periodic PAR reports: versioned form sets, reporting periods, each unit's submission of the
statistical forms (Biểu mẫu 1–7) with its values, and acknowledged warnings.

A submission holds the unit's *own* figures. The figures of a province (or of any unit) are the sum
over the accepted submissions of its subtree, computed by ``aggregation.py``; nobody types compiled
figures of the units below them, so nothing is counted twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cchc.core.areas import AREAS
from cchc.core.status import reporting_period
from cchc.history.models import ChangeLoggedModel
from cchc.units.models import Unit


class FormSetVersion(ChangeLoggedModel):
    """One version of a form set (``cchc/data/forms/<key>.json``), stored as data so that a
    period keeps the forms it was opened with when the Ministry's forms change."""

    key = models.CharField("bộ biểu mẫu", max_length=64)
    version = models.CharField("phiên bản", max_length=32, help_text="Dấu vân tay của các dòng chỉ tiêu.")
    title = models.CharField("tên", max_length=500, blank=True)
    valid_from = models.PositiveSmallIntegerField("áp dụng từ năm", null=True, blank=True)
    definition = models.JSONField("định nghĩa (JSON)")
    loaded_at = models.DateTimeField("nạp lúc", auto_now=True)

    history_exclude = ("definition", "loaded_at")

    class Meta:
        ordering = ["key", "-valid_from", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="unique_form_set_version")]
        verbose_name = "phiên bản bộ biểu mẫu"
        verbose_name_plural = "phiên bản bộ biểu mẫu"

    def __str__(self):
        return f"{self.key} ({self.version})"

    def form_set(self):
        from .formsets import form_set_of

        return form_set_of(self)


class ReportingPeriod(ChangeLoggedModel):
    """A reporting round of one province: Q1, 6 months, Q3, year (DOMAIN.md §6) or ad hoc."""

    class Kind(models.TextChoices):
        Q1 = "q1", "Quý I"
        H1 = "h1", "6 tháng đầu năm"
        Q3 = "q3", "Quý III"
        YEAR = "year", "Năm"
        ADHOC = "adhoc", "Đột xuất"

    class Status(models.TextChoices):
        OPEN = "open", "Đang nhận báo cáo"
        CLOSED = "closed", "Đã khóa"

    province = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reporting_periods", verbose_name="tỉnh",
        limit_choices_to={"kind": "province"},
    )
    kind = models.CharField("kỳ báo cáo", max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kỳ (báo cáo đột xuất)", max_length=300, blank=True)
    start = models.DateField("số liệu từ ngày")
    end = models.DateField("số liệu đến ngày")
    due = models.DateField("hạn gửi báo cáo")
    form_set = models.ForeignKey(
        FormSetVersion, on_delete=models.PROTECT, related_name="periods", verbose_name="bộ biểu mẫu"
    )
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.OPEN)
    report_text = models.JSONField(
        "nội dung báo cáo đã sửa", default=dict, blank=True,
        help_text="Các đoạn văn do người dùng sửa trước khi xuất báo cáo; trống = điền từ số liệu.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-end", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "year"], condition=~Q(kind="adhoc"), name="unique_periodic_report"
            ),
        ]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        # Given to the Ministry's staff (and held by superusers): every province's figures added.
        permissions = [("view_national_aggregate", "Xem số liệu tổng hợp toàn quốc")]

    def __str__(self):
        return f"Báo cáo CCHC {self.label} — {self.province}"

    def get_absolute_url(self):
        return reverse("reporting:period", args=[self.pk])

    def save(self, *args, **kwargs):
        self.fill_default_dates()
        super().save(*args, **kwargs)

    def fill_default_dates(self) -> None:
        """Start, end and due from the Ministry's calendar where not set (ad hoc: none)."""
        if self.kind != self.Kind.ADHOC and self.year and not (self.start and self.end and self.due):
            window = reporting_period(self.kind, self.year)
            self.start = self.start or window.start
            self.end = self.end or window.end
            self.due = self.due or window.due

    @property
    def label(self) -> str:
        """"6 tháng đầu năm 2024", "quý I năm 2024", "năm 2024"; an ad hoc report's own title."""
        if self.kind == self.Kind.ADHOC:
            return self.title or f"đột xuất năm {self.year}"
        return {
            "q1": f"quý I năm {self.year}",
            "h1": f"6 tháng đầu năm {self.year}",
            "q3": f"quý III năm {self.year}",
            "year": f"năm {self.year}",
        }[self.kind]

    @property
    def period_key(self) -> str | None:
        """The key `cchc.core.statforms.check` knows: "2024-H1"; None for ad hoc reports."""
        suffix = {"q1": "Q1", "h1": "H1", "q3": "Q3", "year": "Y"}.get(self.kind)
        return f"{self.year}-{suffix}" if suffix else None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_late(self, today: datetime.date) -> bool:
        return today > self.due


class Submission(ChangeLoggedModel):
    """One unit's forms for one period: draft → submitted → (returned → submitted →) accepted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Bị trả lại"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="submissions", verbose_name="kỳ báo cáo")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name="đơn vị")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người gửi",
    )
    decided_at = models.DateTimeField("xử lý lúc", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người xử lý",
    )
    reason = models.TextField("lý do trả lại", blank=True)
    tracking = models.JSONField(
        "số liệu từ theo dõi nhiệm vụ", null=True, blank=True,
        help_text="Kế hoạch, số nhiệm vụ và tình trạng tính đến ngày cuối kỳ; lấy tự động.",
    )
    narrative = models.JSONField(
        "thuyết minh từ báo cáo đã ban hành", default=dict, blank=True,
        help_text="Số, ngày, tiêu đề và phần kết quả theo từng lĩnh vực của báo cáo nhập từ tệp.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    history_exclude = ("updated_at",)

    class Meta:
        ordering = ["period", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unique_submission")]
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"

    def __str__(self):
        return f"{self.unit} — {self.period.label}"

    def get_absolute_url(self):
        return reverse("reporting:submission", args=[self.pk])

    def history_parent(self):
        return self.period

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE and self.period.is_open

    @property
    def narrative_sections(self) -> list[dict]:
        """The imported narrative's sections, each with its reform area's name."""
        return [{**s, "area_title": AREAS.get(s.get("area"), "")} for s in (self.narrative or {}).get("sections", [])]

    @property
    def narrative_issued_on(self) -> datetime.date | None:
        """The date of the report the narrative was taken from (stored as ISO text)."""
        try:
            return datetime.date.fromisoformat((self.narrative or {}).get("issued_on") or "")
        except ValueError:
            return None


class SubmissionValue(ChangeLoggedModel):
    """One cell of a submission: a row's value and note. Rows (not a JSON blob) so that every
    change of a figure is in the change log on its own and a drill-down over all units for one
    code is a single indexed query."""

    class Source(models.TextChoices):
        ENTRY = "entry", "Nhập trên hệ thống"
        IMPORT = "import", "Nhập từ tệp"
        TRACKING = "tracking", "Từ theo dõi nhiệm vụ"
        API = "api", "Qua API"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    code = models.CharField("mã chỉ tiêu", max_length=32)
    value = models.DecimalField("số liệu", max_digits=24, decimal_places=6, null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    source = models.CharField("nguồn", max_length=12, choices=Source.choices, default=Source.ENTRY)

    class Meta:
        ordering = ["submission", "code"]
        constraints = [models.UniqueConstraint(fields=["submission", "code"], name="unique_submission_value")]
        indexes = [models.Index(fields=["code", "submission"])]
        verbose_name = "số liệu chỉ tiêu"
        verbose_name_plural = "số liệu chỉ tiêu"

    def __str__(self):
        return f"{self.code} = {self.value if self.value is not None else '—'}"

    def history_parent(self):
        return self.submission


class Acknowledgement(ChangeLoggedModel):
    """A unit's explanation of a warning (the figures are right although a rule doubts them)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="acknowledgements")
    rule = models.CharField("quy tắc", max_length=200)
    codes = models.JSONField("chỉ tiêu", default=list)
    message = models.TextField("cảnh báo", blank=True)
    comment = models.TextField("giải trình")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người giải trình")
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["submission", "rule"]
        constraints = [models.UniqueConstraint(fields=["submission", "rule"], name="unique_acknowledgement")]
        verbose_name = "giải trình cảnh báo"
        verbose_name_plural = "giải trình cảnh báo"

    def __str__(self):
        return f"{self.rule}: {self.comment[:80]}"

    def history_parent(self):
        return self.submission
