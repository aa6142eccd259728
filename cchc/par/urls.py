from django.urls import path

from . import views

app_name = "par"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("mo-dot/", views.round_create, name="round_create"),
    path("bo-tieu-chi/", views.template_list, name="templates"),
    path("bo-tieu-chi/nhap/", views.template_upload, name="template_upload"),
    path("bo-tieu-chi/<int:pk>/", views.template_review, name="template_review"),
    path("bo-tieu-chi/<int:pk>/tieu-chi/<str:code>/", views.template_confirm, name="template_confirm"),
    path("bo-tieu-chi/<int:pk>/duyet/", views.template_approve, name="template_approve"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/chuyen-giai-doan/", views.round_advance, name="advance"),
    path("dot/<int:pk>/ket-qua/", views.results, name="results"),
    path("cong-bo/<int:pk>/", views.public_results, name="public_results"),
    path("cong-bo/<int:pk>/phu-luc.xlsx", views.annex_xlsx, name="annex_xlsx"),
    path("cong-bo/<int:pk>/phu-luc.docx", views.annex_docx, name="annex_docx"),
    path("tu-danh-gia/<int:pk>/", views.assessment_detail, name="assessment"),
    path("tu-danh-gia/<int:pk>/gui/", views.assessment_submit, name="submit"),
    path("tu-danh-gia/<int:pk>/nhap-tep/", views.filled_upload, name="filled_upload"),
    path("tu-danh-gia/<int:pk>/nhap-tep/xac-nhan/", views.filled_confirm, name="filled_confirm"),
    path("tu-danh-gia/<int:pk>/tinh-lai/", views.assessment_recompute, name="recompute"),
    path("tu-danh-gia/<int:pk>/diem/<str:code>/", views.score_save, name="score"),
    path("tu-danh-gia/<int:pk>/tham-dinh/<str:code>/", views.appraise, name="appraise"),
    path("tu-danh-gia/<int:pk>/giai-trinh/<str:code>/", views.explain, name="explain"),
]
