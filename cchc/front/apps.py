from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "cchc.front"
    label = "front"
    verbose_name = "Giao diện"
