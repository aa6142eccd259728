from django.urls import path

from . import design_views, library_views, public, views

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
    path("thu-vien/", library_views.library_list, name="library_list"),
    path("thu-vien/moi/", library_views.library_create, name="library_create"),
    path("thu-vien/mau/<str:key>/", library_views.library_builtin, name="library_builtin"),
    path("thu-vien/<int:pk>/", library_views.library_detail, name="library_detail"),
    path("thu-vien/<int:pk>/sua/", library_views.library_edit, name="library_edit"),
    path("p/<str:key>/", public.public_form, name="public_form"),
]
