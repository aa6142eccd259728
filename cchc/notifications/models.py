"""What a user is told: one row per reminder or digest, and how often they want e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OVERDUE = "overdue", "Quá hạn"
    DIGEST = "digest", "Tổng hợp tuần"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def unread_first(self):
        return self.order_by(models.F("read_at").asc(nulls_first=True), "-created_at", "-pk")


class Notification(models.Model):
    """One thing a user is told once. `dedupe_key` is unique, so running a job again for the
    same day (or a second worker running it at the same time) never creates it twice;
    `emailed_at` records that it went out by e-mail, so it is never mailed twice either."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận"
    )
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    obligation = models.ForeignKey(
        "plans.Obligation", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name="nghĩa vụ thực hiện",
    )
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    # The deadline the reminder is about (due_soon, overdue) and the job's day.
    due = models.DateField("hạn", null=True, blank=True)
    day = models.DateField("ngày nhắc")
    # Structured content for pages and mails: the late units of a digest.
    data = models.JSONField("dữ liệu", default=dict, blank=True)
    dedupe_key = models.CharField("khóa chống trùng", max_length=200, unique=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(
                fields=["user", "day"], name="notification_unmailed", condition=Q(emailed_at__isnull=True)
            ),
        ]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self):
        return f"{self.user} — {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailFrequency(models.TextChoices):
    DAILY = "daily", "Hằng ngày"
    WEEKLY = "weekly", "Hằng tuần (thứ Hai)"
    OFF = "off", "Không nhận thư"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference",
        verbose_name="người dùng",
    )
    email_frequency = models.CharField(
        "nhận thư nhắc việc", max_length=8, choices=EmailFrequency.choices, default=EmailFrequency.DAILY
    )

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "tùy chọn thông báo"

    def __str__(self):
        return f"{self.user}: {self.get_email_frequency_display()}"

    @classmethod
    def frequency_of(cls, user) -> str:
        pref = cls.objects.filter(user=user).values_list("email_frequency", flat=True).first()
        return pref or EmailFrequency.DAILY
