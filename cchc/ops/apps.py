from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "cchc.ops"
    label = "ops"
    verbose_name = "Vận hành (máy chủ, sao lưu)"

    def ready(self):
        post_migrate.connect(_schedule_backup, sender=self, dispatch_uid="cchc.ops.schedules")


def _schedule_backup(sender, using="default", **kwargs):
    from .backup import ensure_backup_schedule

    ensure_backup_schedule(using=using)
