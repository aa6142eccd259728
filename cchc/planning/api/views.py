"""Planning API: a plan's gaps, the units × tasks matrix of an issued plan, task lineage (read,
propose, confirm). Same permissions as the pages: plans outside the user's scope answer 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts.scope import scope_for
from cchc.history.context import change_context
from cchc.plans.models import Plan

from .. import lineage
from ..models import TaskLineage


def _plan(request, pk) -> Plan:
    return get_object_or_404(Plan.objects.restrict(request.user).select_related("issuer", "parent"), pk=pk)


def _other(request, child: Plan, value) -> Plan | None:
    if value in (None, ""):
        return lineage.parent_plan_of(child) or lineage.previous_plan_of(child)
    if not str(value).isdigit():
        raise serializers.ValidationError({"with": "Mã kế hoạch đối chiếu phải là số."})
    return _plan(request, int(value))


class GapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
    task = serializers.IntegerField(allow_null=True)
    other = serializers.IntegerField(allow_null=True)


class PlanGapsView(APIView):
    @extend_schema(responses=inline_serializer("PlanGaps", {"plan": serializers.IntegerField(),
                                                            "gaps": GapSerializer(many=True)}))
    def get(self, request, pk):
        """Gaps of a plan: empty areas, tasks without lead or deadline, duties of the plan above not
        taken up, later deadlines, weaker targets, last year's unfinished tasks not carried over."""
        plan = _plan(request, pk)
        return Response({"plan": plan.pk, "gaps": [g.as_json() for g in lineage.plan_gaps_for(plan)]})


class MatrixRowSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    label = serializers.CharField()
    concerned = serializers.IntegerField()
    missing = serializers.IntegerField()
    message = serializers.CharField()
    units_missing = serializers.ListField(child=serializers.CharField(), help_text="mã đơn vị")


class GapMatrixView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("kind", str, description="chỉ đơn vị loại này, ví dụ commune")],
        responses=inline_serializer("GapMatrix", {"plan": serializers.IntegerField(),
                                                  "units": serializers.IntegerField(),
                                                  "rows": MatrixRowSerializer(many=True)}),
    )
    def get(self, request, pk):
        """Per task of an issued plan: how many of the units it concerns have not taken it up."""
        plan = _plan(request, pk)
        matrix = lineage.gap_matrix(plan, kind=request.query_params.get("kind") or None)
        # As on the page: the counts are the plan's; the units are named only to those who may see them.
        scope = scope_for(request.user)
        codes = {u.pk: u.code for u in matrix.units if scope.can_view(plan.issuer_id) or scope.can_view(u.pk)}
        rows = [{"task": r.task, "label": r.label, "concerned": r.concerned, "missing": r.missing,
                 "message": r.message, "units_missing": [codes[u] for u in r.units_missing if u in codes]}
                for r in matrix.rows]
        return Response({"plan": plan.pk, "units": len(matrix.units), "rows": rows})


class TaskLineageSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskLineage
        fields = ["id", "parent", "child", "relation", "status", "score", "decided_by", "decided_at"]


class TaskLineageViewSet(viewsets.ReadOnlyModelViewSet):
    """Lineage rows whose child task is in a plan the user may see."""

    serializer_class = TaskLineageSerializer

    def get_queryset(self):
        queryset = TaskLineage.objects.restrict(self.request.user).order_by("pk")
        plan = self.request.query_params.get("plan")
        if plan and plan.isdigit():
            queryset = queryset.filter(child__plan_id=int(plan))
        return queryset


class ConfirmSerializer(serializers.Serializer):
    with_plan = serializers.IntegerField(required=False, help_text="kế hoạch đối chiếu (mặc định: cấp trên)")
    choices = serializers.DictField(child=serializers.IntegerField(allow_null=True),
                                    help_text="mã nhiệm vụ → mã nhiệm vụ tương ứng (null: không có)")


class PlanLineageView(APIView):
    @extend_schema(parameters=[OpenApiParameter("with", int, description="kế hoạch đối chiếu")],
                   responses=TaskLineageSerializer(many=True))
    def get(self, request, pk):
        """Propose the pairs of the plan against the plan above or `with` (stored when the user may
        change the plan; people's confirmations and rejections included)."""
        child = _plan(request, pk)
        parent = _other(request, child, request.query_params.get("with"))
        if parent is None:
            return Response([])
        if request.user.has_perm("plans.change_plan", child):
            with change_context(request=request):
                lineage.propose(parent, child)
            rows = TaskLineage.objects.filter(child__plan=child, parent__plan=parent).order_by("child_id", "pk")
        else:  # computed, not stored, for those who may only look (unsaved rows have no id)
            rows = sorted(lineage.proposals(parent, child), key=lambda r: (r.child_id, r.pk or 0))
        return Response(TaskLineageSerializer(rows, many=True).data)

    @extend_schema(request=ConfirmSerializer, responses=TaskLineageSerializer(many=True))
    def post(self, request, pk):
        """Confirm or correct pairs; remembered as lineage."""
        child = _plan(request, pk)
        if not request.user.has_perm("plans.change_plan", child):
            raise PermissionDenied("Bạn không có quyền sửa kế hoạch của đơn vị này.")
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = _other(request, child, data.validated_data.get("with_plan"))
        if parent is None:
            raise serializers.ValidationError({"with_plan": "Không có kế hoạch để đối chiếu."})
        try:
            choices = {int(k): v for k, v in data.validated_data["choices"].items()}
            with change_context(request=request):
                lineage.confirm(parent, child, choices, user=request.user)
        except ValueError as error:
            raise serializers.ValidationError({"choices": str(error)}) from error
        rows = TaskLineage.objects.filter(child__plan=child, parent__plan=parent).order_by("child_id", "pk")
        return Response(TaskLineageSerializer(rows, many=True).data)
