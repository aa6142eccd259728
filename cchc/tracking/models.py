"""Progress on obligations: append-only updates with evidence, and the completions they record."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from cchc.history.models import ChangeLoggedModel
from cchc.plans.models import Milestone, Obligation


class ProgressUpdate(ChangeLoggedModel):
    """One report of progress by a unit on its obligation. Never edited: a correction is a new
    update, and the latest update about a milestone (or the whole task) is what counts."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Chưa triển khai"
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        DONE = "done", "Đã hoàn thành"
        BLOCKED = "blocked", "Gặp vướng mắc"

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="updates", verbose_name="nhiệm vụ")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người cập nhật")
    created_at = models.DateTimeField("cập nhật lúc", auto_now_add=True, db_index=True)
    state = models.CharField("tình hình", max_length=16, choices=State.choices)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", null=True, blank=True, validators=[MaxValueValidator(100)])
    narrative = models.TextField("kết quả, nội dung cập nhật", blank=True)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="updates",
        verbose_name="mốc", help_text="Để trống nếu cập nhật cho cả nhiệm vụ.",
    )
    period_key = models.CharField("kỳ", max_length=16, blank=True, help_text="Với nhiệm vụ định kỳ: 2026-Q1, 2026-H1…")
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"

    def __str__(self):
        return f"{self.get_state_display()} — {self.obligation}"

    def history_parent(self):
        return self.obligation


class Evidence(ChangeLoggedModel):
    """A document proving the work (tài liệu kiểm chứng): a reference, and a file or a link."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    reference = models.CharField("số, ký hiệu, ngày văn bản", max_length=300, blank=True)
    doc_kind = models.CharField("loại văn bản", max_length=64, blank=True)
    doc_number = models.CharField("số", max_length=32, blank=True)
    doc_symbol = models.CharField("ký hiệu", max_length=64, blank=True)
    doc_date = models.DateField("ngày văn bản", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500, blank=True)
    file = models.FileField("tệp", upload_to="evidence/%Y/%m/", blank=True)
    file_kind = models.CharField("loại tệp", max_length=16, blank=True)
    link = models.URLField("đường dẫn", max_length=500, blank=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self):
        return self.reference or self.title or self.file.name or self.link

    def history_parent(self):
        return self.update.obligation


class Completion(models.Model):
    """Derived from updates: the date one occurrence of a milestone was done (the whole task's
    completion is `Obligation.completed_on`). Rows, so statuses need no replay of updates."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="completions")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=16, blank=True)
    completed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["obligation", "milestone", "period_key"], name="unique_completion"),
        ]

    def __str__(self):
        return f"{self.obligation_id}/{self.milestone_id}/{self.period_key or '-'}: {self.completed_on}"
