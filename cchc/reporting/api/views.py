"""Reporting API: periods, submissions (values, findings, the workflow) and aggregates, with the
same permissions as the pages (they call the same services)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts.scope import scope_for
from cchc.history.context import change_context
from cchc.units.models import Unit

from .. import services
from ..aggregation import national_aggregate, period_aggregate
from ..models import Submission, SubmissionValue
from ..services import ReportingError
from .serializers import (
    AcknowledgeInputSerializer,
    AggregateSerializer,
    NationalAggregateSerializer,
    NationalQuerySerializer,
    ReportingPeriodSerializer,
    ReturnInputSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    ValuesInputSerializer,
    _number,
)


def _refused(error: ReportingError) -> serializers.ValidationError:
    return serializers.ValidationError({"detail": error.message, "problems": error.details})


class ReportingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting periods of the provinces the user belongs to."""

    serializer_class = ReportingPeriodSerializer
    filterset_fields = ["kind", "year", "status"]

    def get_queryset(self):
        return services.visible_periods(self.request.user).select_related("province", "form_set").order_by("-year", "-end")

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Đơn vị được tổng hợp (id; mặc định: tỉnh)"),
            OpenApiParameter("code", str, description="Chỉ lấy chi tiết của một mã chỉ tiêu, ví dụ 3:3.1"),
        ],
        responses=AggregateSerializer,
    )
    @action(detail=True)
    def aggregate(self, request, pk=None, **kwargs):
        """The period's figures (accepted submissions of the unit's subtree plus its own) and,
        per code, every unit's contribution."""
        period = self.get_object()
        raw_unit = request.query_params.get("unit", "")
        within = get_object_or_404(Unit, pk=int(raw_unit)) if raw_unit.isdigit() else period.province
        if not (services.is_coordinator_of(request.user, period.province_id) or scope_for(request.user).can_view(within.pk)):
            raise NotFound()
        agg = period_aggregate(period, within)
        wanted = request.query_params.get("code")
        if wanted and wanted not in agg.form_set.rows:
            raise serializers.ValidationError({"code": f"Mã chỉ tiêu «{wanted}» không có trong bộ biểu mẫu."})
        codes = [wanted] if wanted else [c for c, r in agg.form_set.rows.items() if r.has_value]
        drilldown = {
            code: [
                {
                    "unit": c.unit.code, "unit_name": c.unit.name, "counted_as": c.counted_as.code,
                    "submission": c.submission.pk, "value": _number(c.values.get(code)),
                }
                for c in agg.contributions_for(code)
            ]
            for code in codes
        }
        data = {
            "period": period.pk,
            "unit": within.code,
            "submissions": agg.submission_count,
            "values": {k: _number(v) for k, v in agg.values.items() if not wanted or k.split("=")[0] == wanted},
            "display": {c: agg.display(c) for c in codes if agg.display(c)},
            "drilldown": drilldown,
            "tracking": agg.tracking,
        }
        return Response(data)


@extend_schema_view(
    create=extend_schema(description="Mở (hoặc lấy) báo cáo nháp của một đơn vị cho một kỳ."),
    partial_update=extend_schema(request=ValuesInputSerializer, responses=SubmissionDetailSerializer,
                                 description="Ghi số liệu vào báo cáo nháp (hoặc bị trả lại) của đơn vị mình."),
    update=extend_schema(request=ValuesInputSerializer, responses=SubmissionDetailSerializer,
                         description="Ghi số liệu vào báo cáo nháp (hoặc bị trả lại) của đơn vị mình."),
)
class SubmissionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Submissions of the units the user sees; values, findings and the workflow."""

    filterset_fields = ["period", "unit", "status"]

    def get_queryset(self):
        return (
            services.visible_submissions(self.request.user)
            .select_related("unit", "period__form_set", "period__province")
            .prefetch_related("acknowledgements__user")
            .order_by("period_id", "unit__name")
        )

    def get_serializer_class(self):
        if self.action in ("list", "create"):
            return SubmissionSerializer
        return SubmissionDetailSerializer

    def _editable(self) -> Submission:
        submission = self.get_object()
        if not services.can_edit(self.request.user, submission):
            raise PermissionDenied("Bạn chỉ được xem, không được sửa báo cáo của đơn vị này.")
        return submission

    def _detail(self, submission, code=status.HTTP_200_OK):
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(SubmissionDetailSerializer(submission, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = SubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = serializer.validated_data["period"]
        unit = serializer.validated_data["unit"]
        if not services.visible_periods(request.user).filter(pk=period.pk).exists():
            raise serializers.ValidationError({"period": "Không tìm thấy kỳ báo cáo này."})
        if not (scope_for(request.user).can_edit(unit.pk) or services.is_coordinator_of(request.user, period.province_id)):
            raise PermissionDenied("Bạn không có quyền lập báo cáo của đơn vị này.")
        try:
            with change_context(request=request):
                submission = services.open_submission(period, unit, request.user)
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        submission = self._editable()
        data = ValuesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.parse_entry(
            services.form_set_of(submission), data.validated_data.get("values", {}), data.validated_data.get("notes", {})
        )
        if entry.errors:
            raise serializers.ValidationError({"values": entry.errors})
        try:
            with change_context(request=request):
                services.save_values(submission, entry.values, entry.notes, source=SubmissionValue.Source.API)
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission)

    @extend_schema(request=None, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        """Send the forms: refused with the errors and unexplained warnings, or when already sent."""
        submission = self._editable()
        try:
            with change_context(request=request):
                services.submit(submission, request.user)
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission)

    @extend_schema(request=AcknowledgeInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None, **kwargs):
        """Explain a warning (required before submitting)."""
        submission = self._editable()
        data = AcknowledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with change_context(request=request):
                services.acknowledge(submission, data.validated_data["rule"], data.validated_data["comment"], request.user)
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission)

    @extend_schema(request=None, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, **kwargs):
        """Accept a submitted report (PAR coordinator of the province)."""
        submission = self.get_object()
        if not services.can_decide(request.user, submission):
            raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới tiếp nhận được báo cáo.")
        try:
            with change_context(request=request):
                services.accept(submission, request.user)
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission)

    @extend_schema(request=ReturnInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None, **kwargs):
        """Return a report to its unit with a reason (PAR coordinator of the province)."""
        submission = self.get_object()
        if not services.can_decide(request.user, submission):
            raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh mới trả lại được báo cáo.")
        data = ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            with change_context(request=request):
                services.return_submission(submission, request.user, data.validated_data["reason"])
        except ReportingError as error:
            raise _refused(error) from error
        return self._detail(submission)


class NationalAggregateView(APIView):
    """Every province's figures for one kind of period and year, added (sums; ratios recomputed
    from the added parts; answers counted), for holders of ``reporting.view_national_aggregate``."""

    @extend_schema(parameters=[NationalQuerySerializer], responses=NationalAggregateSerializer)
    def get(self, request):
        if not request.user.has_perm("reporting.view_national_aggregate"):
            raise PermissionDenied("Chỉ cán bộ được cấp quyền xem số liệu toàn quốc mới xem được số liệu này.")
        query = NationalQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agg = national_aggregate(query.validated_data["year"], query.validated_data["kind"])
        codes = [c for c, r in agg.form_set.rows.items() if r.has_value] if agg.form_set else []
        return Response({
            "year": agg.year,
            "kind": agg.kind,
            "form_set": agg.periods[0].form_set.key if agg.periods else None,
            "provinces": [p.province.code for p in agg.periods],
            "left_out": [p.province.code for p in agg.left_out],
            "submissions": agg.submission_count,
            "values": {k: _number(v) for k, v in agg.values.items()},
            "display": {c: agg.display(c) for c in codes if agg.display(c)},
            "reported": {c: agg.reported(c) for c in codes if agg.reported(c)},
        })
