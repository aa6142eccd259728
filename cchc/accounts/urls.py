from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("nhap/", views.accounts_import, name="import"),
    path("nhap/mau/", views.accounts_template, name="template"),
    path("dat-mat-khau/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
