import django_filters

from .models import Plan


class PlanFilterSet(django_filters.FilterSet):
    issuer = django_filters.CharFilter(field_name="issuer__code", label="Mã đơn vị ban hành")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Tìm trong trích yếu")

    class Meta:
        model = Plan
        fields = ["year", "status", "issuer"]
