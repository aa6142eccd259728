from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "cchc.tracking"
    label = "tracking"
    verbose_name = "Theo dõi thực hiện"
