from rest_framework import serializers

from ..models import Assignment, Milestone, Plan, Section, Target, Task


class AssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_class = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Assignment
        fields = ["role", "text", "unit", "unit_class"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["label", "deliverable", "deadline_text", "kind", "due", "recurrence"]


class TaskSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "number", "content", "deliverables", "notes", "deadline_text", "source_first_line",
            "source_last_line", "parent", "assignments", "milestones",
        ]


class SectionSerializer(serializers.ModelSerializer):
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["number", "area", "title", "tasks"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["text", "area", "op", "value", "unit"]


class PlanSerializer(serializers.ModelSerializer):
    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:plan-detail")

    class Meta:
        model = Plan
        fields = ["id", "url", "issuer", "year", "number", "issued_on", "title", "status", "parent",
                  "parent_reference", "source_name", "source_sha256"]


class PlanDetailSerializer(PlanSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = PlanSerializer.Meta.fields + ["targets", "sections"]
