import django_filters

from cchc.core.areas import AREA_CHOICES

from .models import Obligation, Plan


class PlanFilterSet(django_filters.FilterSet):
    issuer = django_filters.CharFilter(field_name="issuer__code", label="Mã đơn vị ban hành")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Tìm trong trích yếu")

    class Meta:
        model = Plan
        fields = ["year", "status", "issuer"]


class ObligationFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label="Mã đơn vị")
    plan = django_filters.NumberFilter(field_name="task__plan_id")
    area = django_filters.ChoiceFilter(field_name="task__section__area", choices=AREA_CHOICES)

    class Meta:
        model = Obligation
        fields = ["unit", "plan", "role", "area"]
