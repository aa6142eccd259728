from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("tim/", views.unit_search, name="search"),
    path("<int:pk>/", views.unit_detail, name="detail"),
]
