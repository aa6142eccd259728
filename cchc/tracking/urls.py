from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("bang-dieu-khien/", views.province_dashboard, name="dashboard"),
    path("bang-dieu-khien/don-vi/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("<int:pk>/", views.obligation_detail, name="obligation"),
    path("<int:pk>/cap-nhat/", views.obligation_update, name="update"),
    path("tai-lieu/<int:pk>/", views.evidence_file, name="evidence_file"),
]
