from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nhap/", views.plan_import, name="import"),
    path("nhap/ban-quet/<str:job>/", views.scan_job, name="scan_job"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/soat-xet/", views.plan_review, name="review"),
    path("<int:pk>/them-nhiem-vu/", views.task_add, name="task_add"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="issue"),
    path("<int:pk>/xay-dung-ke-hoach/", views.plan_cascade, name="cascade"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/sua/", views.task_review_edit, name="task_edit"),
    path("phan-cong/<int:pk>/chon-don-vi/", views.assignment_pick_unit, name="pick_unit"),
    path("moc/<int:pk>/su-kien/", views.milestone_event, name="milestone_event"),
    path("chi-tieu/<int:pk>/ket-qua/", views.target_result, name="target_result"),
]
