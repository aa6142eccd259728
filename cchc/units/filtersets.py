import django_filters

from .models import Unit, UnitKind


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Tìm theo tên hoặc mã")
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="Còn hiệu lực vào ngày")

    class Meta:
        model = Unit
        fields = ["code", "kind", "parent"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)
