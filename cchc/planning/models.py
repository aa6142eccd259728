"""Task lineage between plans (the same duty a level down or a year later) and where a drafted
task came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cchc.core.lineage.drafting import ORIGIN_LABELS
from cchc.history.models import ChangeLoggedModel
from cchc.plans.models import Plan, Task


class TaskLineageQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Lineage of child tasks in plans the user may see (or change)."""
        return self.filter(child__plan__in=Plan.objects.restrict(user, action))

    def standing(self):
        """Proposed or confirmed: the pairs that count as "taken up"."""
        return self.exclude(status=TaskLineage.Status.REJECTED)


class TaskLineage(ChangeLoggedModel):
    """`child` is the same duty as `parent`: taken down a level (relation "level") or carried into
    the next year (relation "year"). Proposed by the matcher, confirmed or rejected by a person."""

    class Relation(models.TextChoices):
        LEVEL = "level", "Cấp dưới thực hiện nhiệm vụ cấp trên"
        YEAR = "year", "Nhiệm vụ năm trước chuyển sang"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Đề xuất tự động"
        CONFIRMED = "confirmed", "Đã xác nhận"
        REJECTED = "rejected", "Không phải cùng nhiệm vụ"

    parent = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="lineage_children",
                               verbose_name="nhiệm vụ cấp trên / năm trước")
    child = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="lineage_parents",
                              verbose_name="nhiệm vụ")
    relation = models.CharField("quan hệ", max_length=8, choices=Relation.choices)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField("độ tương đồng", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người xác nhận")
    decided_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)

    objects = TaskLineageQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "child"], name="unique_task_lineage"),
                       models.CheckConstraint(condition=~Q(parent=models.F("child")), name="lineage_not_self")]
        indexes = [models.Index(fields=["relation", "status"])]
        verbose_name = "liên kết nhiệm vụ"
        verbose_name_plural = "liên kết nhiệm vụ"

    def __str__(self):
        return f"{self.parent} → {self.child}"

    def history_parent(self):
        return self.child.plan


class DraftOrigin(ChangeLoggedModel):
    """Where a task of a drafted plan came from (shown on the review screen)."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="draft_origin")
    origin = models.CharField("nguồn", max_length=16, choices=list(ORIGIN_LABELS.items()))
    source = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="nhiệm vụ gốc")
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "nguồn nhiệm vụ dự thảo"
        verbose_name_plural = "nguồn nhiệm vụ dự thảo"

    def __str__(self):
        return f"{self.get_origin_display()}: {self.task}"

    def history_parent(self):
        return self.task.plan
