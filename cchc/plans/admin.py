from django.contrib import admin

from .models import Assignment, Milestone, Obligation, Plan, Section, Target, Task


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "number", "issued_on", "status"]
    list_filter = ["year", "status"]
    search_fields = ["title", "number", "issuer__name"]
    autocomplete_fields = ["issuer", "parent"]
    readonly_fields = ["source_sha256", "created_by", "created_at"]
    inlines = [TargetInline, SectionInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "content", "plan", "section"]
    list_filter = ["section__area", "plan__year"]
    search_fields = ["content", "number"]
    raw_id_fields = ["plan", "section", "parent"]
    inlines = [AssignmentInline, MilestoneInline]


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "role", "completed_on", "withdrawn_on"]
    list_filter = ["role", "year"]
    search_fields = ["unit__name", "task__content"]
    raw_id_fields = ["task", "unit"]
