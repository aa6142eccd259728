from rest_framework import serializers

from ..models import Assessment, AssessmentRound, LeafScore


class RoundSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    templates = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = AssessmentRound
        fields = ["id", "province", "year", "title", "templates", "deadline", "cutoff", "status",
                  "round1_released", "round2_released", "decision", "published_on"]


class AssessmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    template = serializers.CharField(source="template.key", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "round", "unit", "unit_name", "template", "status", "submitted_at", "inputs_taken_at"]


class ScoreSerializer(serializers.ModelSerializer):
    """A leaf's scores; the appraisal fields are null until the unit may see them."""

    class Meta:
        model = LeafScore
        fields = ["code", "area", "auto", "self_points", "figure", "note", "reply", "appraised_points", "appraised_round"]


class ScoreInputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Mã tiêu chí, ví dụ 1.2")
    points = serializers.CharField(required=False, allow_blank=True, default="", help_text="Điểm tự đánh giá, viết kiểu Việt Nam (1,5) hoặc 1.5")
    figure = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Tiêu chí chấm theo mức (tỷ lệ %, số lượng): số liệu của đơn vị (17,5 hoặc 4) thay cho điểm; điểm tính từ các mức",
    )
    note = serializers.CharField(required=False, allow_blank=True)
    reference = serializers.CharField(required=False, allow_blank=True, help_text="Văn bản kiểm chứng: số, ký hiệu, ngày")
    link = serializers.URLField(required=False, allow_blank=True)


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField(source="unit_name")
    areas = serializers.DictField(child=serializers.DecimalField(max_digits=7, decimal_places=2))
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    index = serializers.DecimalField(max_digits=6, decimal_places=2)
    group = serializers.SerializerMethodField()
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)

    def get_group(self, row) -> str | None:
        return (row.group or {}).get("code")


class ResultTableSerializer(serializers.Serializer):
    unit_type = serializers.CharField()
    template = serializers.CharField(source="template_name")
    rows = ResultRowSerializer(many=True)
