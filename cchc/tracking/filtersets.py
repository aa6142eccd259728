import django_filters

from cchc.core.areas import AREA_CHOICES
from cchc.plans.models import STATUS_CHOICES, Obligation, Role


class ObligationFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(field_name="unit__code", label="Mã đơn vị")
    plan = django_filters.NumberFilter(field_name="task__plan_id", label="Mã kế hoạch")
    year = django_filters.NumberFilter(field_name="year", label="Năm kế hoạch")
    area = django_filters.ChoiceFilter(field_name="task__section__area", choices=AREA_CHOICES, label="Lĩnh vực")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    # `status`, `due_from` and `due_to` read the stored status (as of its `status_on`); with
    # `as_of` the view recomputes them for that date instead.
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES)
    due_from = django_filters.DateFilter(field_name="next_due", lookup_expr="gte", label="Hạn từ ngày")
    due_to = django_filters.DateFilter(field_name="next_due", lookup_expr="lte", label="Hạn đến ngày")

    class Meta:
        model = Obligation
        fields = ["unit", "plan", "year", "area", "role", "status", "due_from", "due_to"]
