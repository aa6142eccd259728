from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "cchc.ops"
    label = "ops"
    verbose_name = "Vận hành (máy chủ, sao lưu)"

    def ready(self):
        from django.apps import apps

        # This app has no models, so post_migrate is never sent for it: hook django_q's instead.
        post_migrate.connect(_schedule_backup, sender=apps.get_app_config("django_q"),
                             dispatch_uid="cchc.ops.schedules")


def _schedule_backup(sender, using="default", **kwargs):
    from .backup import ensure_backup_schedule

    ensure_backup_schedule(using=using)
