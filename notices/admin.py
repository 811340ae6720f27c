"""The outbox in the admin: what went out, what is waiting, what failed and why, and "send again"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from notices.models import Notice
from notices.services import notices_send_again


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: only the app writes notices. Failed ones can be sent again; sent ones never twice."""

    # What went wrong comes first, so it shows without scrolling beside the admin's sidebar.
    list_display = ["recipient", "status", "attempts", "error", "subject", "created_at"]
    list_display_links = ["recipient"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "subject_key"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "kind",
        "recipient",
        "subject_key",
        "window",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "task_id",
        "created_at",
        "sent_at",
    ]

    @admin.display(description="last error")
    def error(self, notice: Notice) -> str:
        return Truncator(notice.last_error).chars(80)

    @admin.action(description="Send again (failed or waiting notices only)", permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        chosen = list(queryset)
        queued = notices_send_again(notices=chosen)
        skipped = len(chosen) - queued
        messages.success(request, f"{queued} notice(s) queued to be sent again.")
        if skipped:
            messages.info(request, f"{skipped} notice(s) were already sent and were left alone.")

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notices.change_notice")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False
