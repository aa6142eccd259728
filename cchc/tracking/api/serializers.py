from rest_framework import serializers

from cchc.plans.models import Obligation

from ..models import Evidence, ProgressUpdate


class ObligationSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    task_number = serializers.CharField(source="task.number", read_only=True)
    task_content = serializers.CharField(source="task.content", read_only=True)
    area = serializers.CharField(source="task.section.area", read_only=True)
    status = serializers.SerializerMethodField()
    next_due = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = ["id", "task", "task_number", "task_content", "plan", "area", "unit", "role", "status", "next_due",
                  "completed_on", "withdrawn_on"]

    def _evaluation(self, obligation):
        evaluations = self.context.get("evaluations") or {}
        return evaluations.get(obligation.pk)

    def get_status(self, obligation) -> str:
        evaluation = self._evaluation(obligation)
        return evaluation.status if evaluation else obligation.status

    def get_next_due(self, obligation) -> str | None:
        evaluation = self._evaluation(obligation)
        due = evaluation.next_due if evaluation else obligation.next_due
        return due.isoformat() if due else None


class OccurrenceSerializer(serializers.Serializer):
    period_key = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class MilestoneStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="milestone.pk")
    label = serializers.CharField(source="milestone.label")
    kind = serializers.CharField(source="milestone.kind")
    due = serializers.DateField(source="milestone.due", allow_null=True)
    recurrence = serializers.ListField(source="milestone.recurrence", child=serializers.CharField(), allow_null=True)
    occurrences = serializers.SerializerMethodField()

    def get_occurrences(self, row) -> list[dict]:
        return [{"period_key": occ.period_key, "due": occ.due.isoformat() if occ.due else None, "status": status}
                for occ, status in row.occurrences]


class ObligationDetailSerializer(ObligationSerializer):
    milestones = serializers.SerializerMethodField()

    class Meta(ObligationSerializer.Meta):
        fields = ObligationSerializer.Meta.fields + ["milestones"]

    def get_milestones(self, obligation) -> list[dict]:
        return MilestoneStatusSerializer(self._evaluation(obligation).milestones, many=True).data


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "reference", "doc_kind", "doc_number", "doc_symbol", "doc_date", "title", "file_kind", "link"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    evidence_files = serializers.ListField(child=serializers.FileField(), write_only=True, required=False)
    evidence_references = serializers.ListField(child=serializers.CharField(max_length=300), write_only=True, required=False)
    evidence_links = serializers.ListField(child=serializers.URLField(max_length=500), write_only=True, required=False)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "obligation", "author", "created_at", "state", "percent", "narrative", "milestone",
                  "period_key", "completed_on", "evidence", "evidence_files", "evidence_references", "evidence_links"]
        read_only_fields = ["author", "created_at"]

    def validate(self, data):
        milestone = data.get("milestone")
        if milestone is not None and milestone.task_id != data["obligation"].task_id:
            raise serializers.ValidationError({"milestone": "Mốc này không thuộc nhiệm vụ đã chọn."})
        from cchc.core.filetypes import UploadRejected, check_upload

        kinds = []
        for upload in data.get("evidence_files", []):
            try:
                kinds.append(check_upload(upload, upload.name))
            except UploadRejected as rejected:
                raise serializers.ValidationError({"evidence_files": str(rejected)}) from rejected
        data["_file_kinds"] = kinds
        return data

    def create(self, data):
        from ..services import evidence_from_reference, record_progress

        files = data.pop("evidence_files", [])
        kinds = data.pop("_file_kinds", [])
        references = data.pop("evidence_references", [])
        links = data.pop("evidence_links", [])
        evidence = [evidence_from_reference("", file=f, file_kind=k) for f, k in zip(files, kinds, strict=True)]
        evidence += [evidence_from_reference(reference) for reference in references]
        evidence += [evidence_from_reference("", link=link) for link in links]
        return record_progress(ProgressUpdate(**data), evidence)
