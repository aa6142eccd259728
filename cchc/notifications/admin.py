from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "day", "read_at", "emailed_at"]
    list_filter = ["kind", "day"]
    search_fields = ["title", "user__username", "dedupe_key"]
    raw_id_fields = ["user", "obligation"]
    date_hierarchy = "day"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_frequency"]
    list_filter = ["email_frequency"]
    raw_id_fields = ["user"]
