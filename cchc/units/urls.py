from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("tim/", views.unit_search, name="search"),
    path("nhap-co-quan/", views.bodies_import, name="bodies_import"),
    path("nhap-co-quan/mau/", views.bodies_template, name="bodies_template"),
    path("<int:pk>/", views.unit_detail, name="detail"),
]
