from django.contrib import admin

from .models import Succession, Unit, UnitAlias, UnitClass


class AliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline, SuccessionInline]


@admin.register(UnitClass)
class UnitClassAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "member_kinds"]


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ["text", "unit"]
    search_fields = ["text", "unit__name"]
    autocomplete_fields = ["unit"]
