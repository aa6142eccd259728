from django.urls import path

from . import history_export, views

app_name = "accounts"
urlpatterns = [
    path("nhap/", views.accounts_import, name="import"),
    path("nhap/mau/", views.accounts_template, name="template"),
    path("dat-mat-khau/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("lich-su-thay-doi.csv", history_export.history_csv, name="history_csv"),
]
