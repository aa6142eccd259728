from django.contrib import admin

from .models import Acknowledgement, FormSetVersion, ReportingPeriod, Submission, SubmissionValue


@admin.register(FormSetVersion)
class FormSetVersionAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "valid_from", "title", "loaded_at"]
    readonly_fields = ["key", "version", "definition", "loaded_at"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "year", "start", "end", "due", "status"]
    list_filter = ["kind", "year", "status"]
    autocomplete_fields = ["province"]


class SubmissionValueInline(admin.TabularInline):
    model = SubmissionValue
    extra = 0


class AcknowledgementInline(admin.TabularInline):
    model = Acknowledgement
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "period"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["submitted_at", "submitted_by", "decided_at", "decided_by", "tracking"]
    inlines = [SubmissionValueInline, AcknowledgementInline]
