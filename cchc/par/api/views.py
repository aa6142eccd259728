"""PAR Index API: rounds, assessments with their scores (the self-score written with the same
checks as the page), and published results. Same permissions as the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cchc.history.context import change_context
from cchc.reporting.services import is_coordinator_of

from .. import services
from ..results import round_results
from .serializers import (
    AssessmentSerializer,
    ResultTableSerializer,
    RoundSerializer,
    ScoreInputSerializer,
    ScoreSerializer,
)


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment rounds the user takes part in."""

    serializer_class = RoundSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return services.visible_rounds(self.request.user).select_related("province").prefetch_related("templates").order_by("-year", "pk")

    def get_permissions(self):
        return [AllowAny()] if self.action == "results" else super().get_permissions()

    @extend_schema(responses=ResultTableSerializer(many=True))
    @action(detail=True)
    def results(self, request, pk=None, **kwargs):
        """Ranking per unit type: published rounds for anyone, the coordinator before."""
        from ..models import AssessmentRound

        rnd = AssessmentRound.objects.filter(pk=pk).first()
        if rnd is None or not (rnd.is_published or is_coordinator_of(request.user, rnd.province_id)):
            raise Http404
        return Response(ResultTableSerializer(round_results(rnd), many=True).data)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Self-assessments the user may see (their units; the coordinator: the province)."""

    serializer_class = AssessmentSerializer
    filterset_fields = ["round", "status"]

    def get_queryset(self):
        return services.visible_assessments(self.request.user).select_related("unit", "template", "round").order_by("round", "unit__name")

    @extend_schema(responses=ScoreSerializer(many=True))
    @action(detail=True)
    def scores(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        data = ScoreSerializer(assessment.scores.all(), many=True).data
        if not services.appraisal_visible(assessment, request.user):
            for row in data:
                row["appraised_points"], row["appraised_round"] = None, 0
        return Response(data)

    @extend_schema(request=ScoreInputSerializer, responses=ScoreSerializer)
    @scores.mapping.post
    def write_score(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        body = ScoreInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            with change_context(request=request, origin=f"API {request.path}"):
                score = services.save_self_score(assessment, data["code"], data["points"], note=data.get("note"), user=request.user,
                                                     figure=data.get("figure", ""))
                services.add_evidence(score, reference=data.get("reference", ""), link=data.get("link", ""))
        except services.ParError as error:
            raise serializers.ValidationError({"detail": error.message}) from None
        return Response(ScoreSerializer(score).data)
