from django.contrib import admin

from .models import Evidence, ProgressUpdate


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Updates are append-only: readable here, corrected by a new update, never edited."""

    list_display = ["created_at", "obligation", "state", "percent", "author"]
    list_filter = ["state"]
    raw_id_fields = ["obligation", "milestone", "author"]
    inlines = [EvidenceInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
