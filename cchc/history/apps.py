from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "cchc.history"
    label = "history"
    verbose_name = "Lịch sử thay đổi"

    def ready(self):
        from . import signals  # noqa: F401  (connects the change-logging receivers)
