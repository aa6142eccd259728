from django.urls import path

from . import design_views, public, views

app_name = "surveys"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("mo-dot/", views.round_create, name="round_create"),
    path("dot/<int:pk>/", views.round_detail, name="round_detail"),
    path("dot/<int:pk>/trang-thai/", views.round_status, name="round_status"),
    path("dot/<int:pk>/nhap-tep/", views.import_responses, name="import"),
    path("dot/<int:pk>/bo-cau-hoi/", design_views.design_review, name="design"),
    path("dot/<int:pk>/ket-qua/", views.results_page, name="results"),
    path("dot/<int:pk>/ket-qua.xlsx", views.results_export, name="export"),
    path("dot/<int:pk>/bao-cao.docx", views.results_report, name="report"),
    path("dot/<int:pk>/don-vi/<int:ru_pk>/ma-qr/", views.qr_page, name="qr"),
    path("dot/<int:pk>/don-vi/<int:ru_pk>/nhap-phieu/", views.entry, name="entry"),
    path("p/<str:key>/", public.public_form, name="public_form"),
]
