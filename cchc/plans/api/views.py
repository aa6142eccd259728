from django.db.models import Prefetch
from rest_framework import viewsets

from ..filtersets import PlanFilterSet
from ..models import Assignment, Plan, Section, Task
from .serializers import PlanDetailSerializer, PlanSerializer


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans the signed-in user may see: those of their units, and issued plans from above."""

    filterset_class = PlanFilterSet

    def get_queryset(self):
        queryset = Plan.objects.restrict(self.request.user).select_related("issuer").order_by("-year", "pk")
        if self.action == "retrieve":
            tasks = Task.objects.prefetch_related(
                Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "unit_class")),
                "milestones",
            )
            queryset = queryset.prefetch_related(
                "targets", Prefetch("sections", queryset=Section.objects.prefetch_related(Prefetch("tasks", tasks)))
            )
        return queryset

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer
