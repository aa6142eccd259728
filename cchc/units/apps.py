from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cchc.units"
    label = "units"
    verbose_name = "Đơn vị"
