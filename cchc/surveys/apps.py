from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cchc.surveys"
    verbose_name = "Khảo sát sự hài lòng (SIPAS) và điều tra xã hội học"
