from django.urls import path

from . import import_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.period_list, name="periods"),
    path("mo-ky/", views.period_create, name="period_create"),
    path("toan-quoc/", views.national_view, name="national"),
    path("ky/<int:pk>/", views.period_detail, name="period"),
    path("ky/<int:pk>/sua/", views.period_edit, name="period_edit"),
    path("ky/<int:pk>/don-vi/<int:unit_pk>/", views.unit_submission, name="unit_submission"),
    path("ky/<int:pk>/tong-hop/", views.aggregate_view, name="aggregate"),
    path("ky/<int:pk>/tong-hop/<str:code>/", views.drilldown_view, name="drilldown"),
    path("ky/<int:pk>/bao-cao/", views.report_edit, name="report"),
    path("ky/<int:pk>/bao-cao.docx", views.report_docx, name="report_docx"),
    path("ky/<int:pk>/bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("ky/<int:pk>/bieu-mau.xlsx", views.report_forms_xlsx, name="report_xlsx"),
    path("so-lieu/<int:pk>/", views.submission_detail, name="submission"),
    path("so-lieu/<int:pk>/tinh/", views.submission_compute, name="compute"),
    path("so-lieu/<int:pk>/gui/", views.submission_submit, name="submit"),
    path("so-lieu/<int:pk>/giai-trinh/", views.submission_acknowledge, name="acknowledge"),
    path("so-lieu/<int:pk>/nhap-tep/", import_views.submission_import, name="import"),
    path("so-lieu/<int:pk>/nhap-bao-cao/", import_views.submission_report_import, name="report_import"),
    path("so-lieu/<int:pk>/bieu-mau.xlsx", views.submission_export, name="export"),
    path("so-lieu/<int:pk>/tiep-nhan/", views.submission_accept, name="accept"),
    path("so-lieu/<int:pk>/tra-lai/", views.submission_return, name="return"),
    path("bieu-mau-trong/<int:pk>.xlsx", views.blank_forms, name="blank_forms"),
]
