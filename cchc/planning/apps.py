from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "cchc.planning"
    label = "planning"
    verbose_name = "Liên kết nhiệm vụ giữa các kế hoạch, lập kế hoạch năm sau"
