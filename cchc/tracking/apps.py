from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "cchc.tracking"
    label = "tracking"
    verbose_name = "Theo dõi thực hiện"

    def ready(self):
        from cchc.plans.signals import obligations_changed

        from .status import refresh, with_status_data

        def refresh_statuses(sender, obligations, today, **kwargs):
            refresh(with_status_data(obligations), today)

        obligations_changed.connect(refresh_statuses, weak=False, dispatch_uid="tracking.refresh_statuses")
