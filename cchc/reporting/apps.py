from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    name = "cchc.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ, biểu mẫu thống kê"

    def ready(self):
        from django.conf import settings

        from cchc.core.statforms import FORM_SET_DIRS

        installed = settings.DATA_DIR / "forms"  # sets a province added (cchc install-form-set)
        if installed not in FORM_SET_DIRS:
            FORM_SET_DIRS.append(installed)
        post_migrate.connect(_sync_form_sets, sender=self, dispatch_uid="cchc.reporting.sync_form_sets")


def _sync_form_sets(sender, using="default", **kwargs):
    from .formsets import sync_form_sets

    sync_form_sets(using=using)
