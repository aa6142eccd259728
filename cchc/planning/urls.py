from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.draft_next_year, name="draft"),
    path("lien-ket/<int:pk>/", views.plan_lineage, name="lineage"),
    path("lien-ket/<int:pk>/doi-chieu/", views.propose_lineage, name="propose"),
    path("thieu-sot/<int:pk>/", views.plan_gaps, name="gaps"),
    path("ma-tran/<int:pk>/", views.gap_matrix, name="matrix"),
    path("tai-ve/<int:pk>.docx", views.plan_docx, name="docx"),
    path("bang-dieu-khien/<int:pk>/", views.dashboard_gaps, name="dashboard_gaps"),
]
