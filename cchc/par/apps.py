from django.apps import AppConfig


class ParConfig(AppConfig):
    name = "cchc.par"
    verbose_name = "Chỉ số CCHC"
    default_auto_field = "django.db.models.BigAutoField"
