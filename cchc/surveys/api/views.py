"""Surveys API: rounds the user may see, their units with quotas, and live results (the same
permissions and computation as the pages)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Round, RoundUnit
from ..views import results_data


class RoundUnitSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = RoundUnit
        fields = ["id", "unit", "unit_code", "unit_name", "quota"]


class SurveyRoundSerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(source="province.name")

    class Meta:
        model = Round
        fields = ["id", "province", "province_name", "year", "title", "design_key", "fingerprint", "start", "end",
                  "status"]


def _result(result) -> dict:
    return {
        "responses": result.responses,
        "overall": result.overall.as_dict(),
        "aspects": {c: s.as_dict() for c, s in result.aspects.items()},
        "factors": {c: s.as_dict() for c, s in result.factors.items()},
        "questions": {c: s.as_dict() for c, s in result.questions.items()},
    }


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Survey rounds of the provinces the user belongs to."""

    serializer_class = SurveyRoundSerializer

    def get_queryset(self):
        return Round.objects.restrict(self.request.user).select_related("province")

    @extend_schema(
        parameters=[OpenApiParameter("group", str, description="mã nhóm người trả lời"),
                    OpenApiParameter("channel", str, description="mã hình thức thực hiện")],
        responses={200: dict},
    )
    @action(detail=True)
    def results(self, request, pk=None, **kwargs):
        """Indices (percent), margins of error at 95% and valid counts: the whole of what the
        user sees and each unit with its quota."""
        round_ = self.get_object()
        filters, (units, results) = results_data(request, round_)
        return Response({
            "round": round_.pk, "group": filters["group"], "channel": filters["channel"],
            "total": {**_result(results.province), "distribution": results.province.distribution},
            "units": [{**RoundUnitSerializer(ru).data, **_result(results.units[ru.pk])} for ru in units],
        })
