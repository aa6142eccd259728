from rest_framework import viewsets

from ..filtersets import UnitFilterSet
from ..models import Unit, UnitClass
from .serializers import UnitClassSerializer, UnitDetailSerializer, UnitSerializer


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """The unit registry. Every signed-in user may read it: units are public facts."""

    queryset = Unit.objects.select_related("parent").order_by("kind", "name")
    filterset_class = UnitFilterSet

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("successions_out__successor", "successions_in__predecessor")
        return queryset


class UnitClassViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = UnitClass.objects.all()
    serializer_class = UnitClassSerializer
    lookup_field = "key"
