from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "cchc.notifications"
    label = "notifications"
    verbose_name = "Thông báo, nhắc việc"

    def ready(self):
        post_migrate.connect(_schedule_jobs, sender=self, dispatch_uid="cchc.notifications.schedules")


def _schedule_jobs(sender, using="default", **kwargs):
    from .schedules import ensure_schedules

    ensure_schedules(using=using)
