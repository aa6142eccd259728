from rest_framework import serializers

from ..models import Succession, Unit, UnitClass


class SuccessionSerializer(serializers.ModelSerializer):
    predecessor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Succession
        fields = ["predecessor", "successor", "kind", "on"]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")

    class Meta:
        model = Unit
        fields = ["id", "url", "code", "name", "kind", "short_names", "parent", "valid_from", "valid_to"]


class UnitDetailSerializer(UnitSerializer):
    successors = SuccessionSerializer(source="successions_out", many=True, read_only=True)
    predecessors = SuccessionSerializer(source="successions_in", many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = UnitSerializer.Meta.fields + ["successors", "predecessors"]


class UnitClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitClass
        fields = ["key", "name", "member_kinds"]
