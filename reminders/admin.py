from django.contrib import admin
from django.http import HttpRequest

from reminders.models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Read-only: the log says what went out; only the reminder commands write it."""

    list_display = ["sent_on", "kind", "recipient", "about", "sent_at"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient", "about"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SentReminder | None = None) -> bool:
        return False
