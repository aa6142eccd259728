from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Acknowledgement, ReportingPeriod, Submission
from ..services import (
    findings_for,
    pending_warnings,
    stored_notes,
    stored_values,
)


def _number(value):
    """JSON number of a Decimal: 238144, 99.65."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField())
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()
    acknowledged = serializers.BooleanField(help_text="Cảnh báo đã được giải trình.")


class ReportingPeriodSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    form_set = serializers.CharField(source="form_set.key", read_only=True)
    form_set_version = serializers.CharField(source="form_set.version", read_only=True)
    label = serializers.CharField(read_only=True)
    period_key = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "province", "kind", "year", "title", "label", "period_key", "start", "end", "due",
                  "form_set", "form_set_version", "status"]


class SubmissionSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "period", "unit", "unit_code", "unit_name", "status", "submitted_at", "decided_at", "reason"]
        read_only_fields = ["status", "submitted_at", "decided_at", "reason"]
        validators = []  # creating an existing (period, unit) returns it: see SubmissionViewSet.create


class AcknowledgementSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Acknowledgement
        fields = ["rule", "codes", "message", "comment", "user", "created_at"]


class SubmissionDetailSerializer(SubmissionSerializer):
    values = serializers.SerializerMethodField(help_text="Số liệu nhập và số liệu tự tính: {mã chỉ tiêu: số}.")
    notes = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    acknowledgements = AcknowledgementSerializer(many=True, read_only=True)
    tracking = serializers.JSONField(read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = SubmissionSerializer.Meta.fields + ["values", "notes", "findings", "acknowledgements", "tracking"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
    def get_values(self, submission) -> dict:
        from cchc.core.statforms import compute

        from ..services import form_set_of

        computed = compute(form_set_of(submission), stored_values(submission))
        return {code: _number(value) for code, value in computed.items()}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_notes(self, submission) -> dict:
        return stored_notes(submission)

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, submission) -> list:
        findings = findings_for(submission)
        pending = {(f.rule, f.message) for f in pending_warnings(submission, findings)}
        return [
            {**f.to_dict(), "acknowledged": f.severity == "warning" and (f.rule, f.message) not in pending}
            for f in findings
        ]


class ValuesInputSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True), required=False,
        help_text='{mã chỉ tiêu: số}; số JSON hoặc chuỗi viết kiểu Việt Nam ("238.144", "99,65"); null xóa số liệu.',
    )
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class AcknowledgeInputSerializer(serializers.Serializer):
    rule = serializers.CharField()
    comment = serializers.CharField()


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ContributionSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị nộp báo cáo.")
    unit_name = serializers.CharField()
    counted_as = serializers.CharField(help_text="Mã đơn vị được tính (đơn vị kế thừa nếu đã sáp nhập).")
    submission = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)


@extend_schema_field(OpenApiTypes.OBJECT)
class _AnyObject(serializers.JSONField):
    pass


class AggregateSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    unit = serializers.CharField(help_text="Mã đơn vị được tổng hợp (mặc định: tỉnh).")
    submissions = serializers.IntegerField(help_text="Số báo cáo được tính.")
    values = serializers.DictField(child=serializers.FloatField(), help_text="{mã: số}; '<mã>=<mã lựa chọn>': số đơn vị chọn.")
    display = serializers.DictField(child=serializers.CharField())
    drilldown = serializers.DictField(child=ContributionSerializer(many=True), help_text="{mã: đóng góp của từng đơn vị}.")
    tracking = serializers.DictField(child=serializers.IntegerField(), help_text="Số nhiệm vụ theo tình trạng.")


class NationalQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Năm báo cáo, ví dụ 2024.")
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in ReportingPeriod.Kind if k != ReportingPeriod.Kind.ADHOC],
        help_text="Kỳ báo cáo: q1, h1, q3, year (báo cáo đột xuất không cộng được giữa các tỉnh).",
    )


class NationalAggregateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    kind = serializers.CharField()
    form_set = serializers.CharField(allow_null=True, help_text="Bộ biểu mẫu của các kỳ được tính.")
    provinces = serializers.ListField(child=serializers.CharField(), help_text="Mã các tỉnh được tính.")
    left_out = serializers.ListField(child=serializers.CharField(), help_text="Mã các tỉnh dùng bộ biểu mẫu khác, không tính.")
    submissions = serializers.IntegerField(help_text="Số báo cáo được tính.")
    values = serializers.DictField(child=serializers.FloatField(), help_text="{mã: số}; '<mã>=<mã lựa chọn>': số đơn vị chọn.")
    display = serializers.DictField(child=serializers.CharField())
    reported = serializers.DictField(child=serializers.IntegerField(), help_text="{mã: số báo cáo có số liệu của dòng}.")
