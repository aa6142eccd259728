from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/mo/", views.notification_open, name="open"),
    path("<int:pk>/da-doc/", views.mark_read, name="read"),
    path("da-doc-tat-ca/", views.mark_all_read, name="read_all"),
    path("tuy-chon/", views.preferences, name="preferences"),
]
