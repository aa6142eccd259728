from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import GapMatrixView, PlanGapsView, PlanLineageView, TaskLineageViewSet

router = SimpleRouter()
router.register("lineage", TaskLineageViewSet, basename="tasklineage")

urlpatterns = [
    path("plans/<int:pk>/gaps/", PlanGapsView.as_view(), name="planning-gaps"),
    path("plans/<int:pk>/matrix/", GapMatrixView.as_view(), name="planning-matrix"),
    path("plans/<int:pk>/lineage/", PlanLineageView.as_view(), name="planning-lineage"),
    path("", include(router.urls)),
]
