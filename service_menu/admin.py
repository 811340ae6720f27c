"""Admin for menus and requests. Whatever has rules in the app keeps them here: a published menu
is frozen, and a request moves only through its state machine (with its events, capacity,
waitlist and emails), so those fields are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from district.admin_versioning import VersionedAdminMixin
from service_menu.models import ContentArea, DeliveryLog, Menu, Request, RequestEvent, Service, Tier, UnitSettings


@admin.register(ContentArea)
class ContentAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "needs_request", "needs_endorsement"]
    list_editable = ["order", "needs_request", "needs_endorsement"]


def _menu_is_frozen(menu: Menu | None) -> bool:
    return menu is not None and menu.pk is not None and menu.status != Menu.Status.DRAFT


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    show_change_link = True
    fields = ["title", "tier", "content_area", "capacity_per_term", "provider", "partner_name"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _menu_is_frozen(obj) and super().has_add_permission(request, obj)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _menu_is_frozen(obj) and super().has_change_permission(request, obj)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not _menu_is_frozen(obj) and super().has_delete_permission(request, obj)  # type: ignore[arg-type]


@admin.register(Menu)
class MenuAdmin(SimpleHistoryAdmin):
    """Drafts are edited here or in the app; publishing (and its freezing) happens in the app."""

    list_display = ["unit", "school_year", "version", "status", "published_at"]
    list_filter = ["status", "school_year", "unit"]
    list_select_related = ["unit", "school_year"]
    search_fields = ["unit__name", "change_note"]
    readonly_fields = ["version", "status", "published_at"]
    inlines = [ServiceInline]

    def has_change_permission(self, request: HttpRequest, obj: Menu | None = None) -> bool:
        return not _menu_is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Menu | None = None) -> bool:
        return not _menu_is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "menu", "tier", "content_area", "provider", "capacity_per_term"]
    list_filter = ["tier", "content_area", "provider", "menu__unit"]
    list_select_related = ["menu__unit", "menu__school_year", "tier", "content_area"]
    search_fields = ["title", "summary", "partner_name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Service | None = None) -> Any:
        # The menu a service sits on is fixed: moving it would change a frozen menu's contents.
        return [*super().get_readonly_fields(request, obj), *(["menu"] if obj else [])]

    def has_change_permission(self, request: HttpRequest, obj: Service | None = None) -> bool:
        return not _menu_is_frozen(obj.menu if obj else None) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Service | None = None) -> bool:
        return not _menu_is_frozen(obj.menu if obj else None) and super().has_delete_permission(request, obj)


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DeliveryLogInline(admin.TabularInline):
    """Sessions are logged by the unit in its workspace; "delivered" depends on them."""

    model = DeliveryLog
    extra = 0
    readonly_fields = ["date", "hours", "note", "by"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Request)
class RequestAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Requests are made and answered in the app; here only their words can be corrected."""

    list_display = ["school", "service", "term", "status", "created_at", "first_answered_at"]
    list_filter = ["status", "term", "service__menu__unit"]
    list_select_related = ["school", "service", "term__school_year"]
    search_fields = ["school__name", "school__code", "service__title"]
    fields = [
        "school", "service", "term", "status", "growth_goal", "improvement_priority", "rationale",
        "requested_by", "endorsed_by", "endorsed_at", "answered_by", "first_answered_at",
        "scheduled_start", "scheduled_end", "decline_reason", "alternative_service", "alternative_term",
        "alternative_note", "taken_from", "brokered_from_visit", "created_at", "seen_version",
    ]  # fmt: skip
    readonly_fields = [
        "school", "service", "term", "status", "growth_goal", "requested_by", "endorsed_by", "endorsed_at",
        "answered_by", "first_answered_at", "scheduled_start", "scheduled_end", "alternative_service",
        "alternative_term", "taken_from", "brokered_from_visit", "created_at",
    ]  # fmt: skip
    inlines = [RequestEventInline, DeliveryLogInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Request | None = None) -> bool:
        return False


@admin.register(UnitSettings)
class UnitSettingsAdmin(admin.ModelAdmin):
    list_display = ["unit", "response_target_days"]
    list_select_related = ["unit"]
