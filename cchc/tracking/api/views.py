from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from cchc.plans.models import Obligation
from cchc.today import today as business_today

from ..filtersets import ObligationFilterSet
from ..models import ProgressUpdate
from ..status import evaluate, with_status_data
from .serializers import ObligationDetailSerializer, ObligationSerializer, ProgressUpdateSerializer

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Tính tình trạng đến ngày này (mặc định: hôm nay)")


@extend_schema_view(list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF]))
class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """Obligations of the units the user may see, with their status at `as_of`."""

    filterset_class = ObligationFilterSet

    def get_queryset(self):
        queryset = Obligation.objects.restrict(self.request.user).select_related("unit", "task__section")
        return queryset.order_by("-year", "task_id", "unit_id")

    def get_serializer_class(self):
        return ObligationDetailSerializer if self.action == "retrieve" else ObligationSerializer

    def as_of(self):
        raw = self.request.query_params.get("as_of")
        if not raw:
            return None
        try:
            return serializers.DateField().to_internal_value(raw)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"as_of": error.detail}) from error

    def filter_queryset(self, queryset):
        as_of = self.as_of()
        params = self.request.query_params
        if as_of is None or not any(params.get(key) for key in ("status", "due_from", "due_to")):
            # Stored statuses filter in SQL; an `as_of` alone is evaluated for the page only.
            return super().filter_queryset(queryset)
        # The stored status is as of its own day: for another day, filter on recomputed values.
        params = self.request.query_params.copy()
        wanted = {key: params.pop(key, [None])[0] for key in ("status", "due_from", "due_to")}
        filterset = self.filterset_class(params, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        due_from = serializers.DateField().to_internal_value(wanted["due_from"]) if wanted["due_from"] else None
        due_to = serializers.DateField().to_internal_value(wanted["due_to"]) if wanted["due_to"] else None
        self._evaluations = {}
        keep = []
        for obligation in with_status_data(filterset.qs):
            result = evaluate(obligation, as_of)
            if wanted["status"] and result.status != wanted["status"]:
                continue
            if (due_from or due_to) and not (
                result.next_due and (not due_from or result.next_due >= due_from)
                and (not due_to or result.next_due <= due_to)
            ):
                continue
            self._evaluations[obligation.pk] = result
            keep.append(obligation.pk)
        return queryset.filter(pk__in=keep)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        as_of = self.as_of()
        if as_of is not None and page is not None and getattr(self, "_evaluations", None) is None:
            rows = with_status_data(Obligation.objects.filter(pk__in=[o.pk for o in page]))
            self._evaluations = {o.pk: evaluate(o, as_of) for o in rows}
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["evaluations"] = getattr(self, "_evaluations", None)
        return context

    def retrieve(self, request, *args, **kwargs):
        obligation = self.get_object()
        obligation = with_status_data(Obligation.objects.filter(pk=obligation.pk)).get()
        self._evaluations = {obligation.pk: evaluate(obligation, self.as_of() or business_today())}
        return super().retrieve(request, *args, **kwargs)


class ProgressUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress updates (append-only). Create with multipart/form-data to attach evidence files."""

    serializer_class = ProgressUpdateSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]
    filterset_fields = ["obligation", "state"]

    def get_queryset(self):
        visible = Obligation.objects.restrict(self.request.user)
        return (
            ProgressUpdate.objects.filter(obligation__in=visible)
            .select_related("author")
            .prefetch_related("evidence")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer):
        obligation = serializer.validated_data["obligation"]
        if not Obligation.objects.restrict(self.request.user).filter(pk=obligation.pk).exists():
            raise serializers.ValidationError({"obligation": "Không tìm thấy nhiệm vụ này."})
        if not self.request.user.has_perm("plans.change_obligation", obligation):
            raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ của đơn vị này.")
        serializer.save(author=self.request.user)
