from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/ban-hanh/", views.plan_issue, name="issue"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
]
