from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    show_change_link = True
    fields = ["title", "tier", "content_area", "capacity_per_term", "provider", "partner_name"]


@admin.register(Menu)
class MenuAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "school_year", "version", "status", "published_at"]
    list_filter = ["status", "school_year", "unit"]
    list_select_related = ["unit", "school_year"]
    search_fields = ["unit__name", "change_note"]
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "menu", "tier", "content_area", "provider", "capacity_per_term"]
    list_filter = ["tier", "content_area", "provider", "menu__unit"]
    list_select_related = ["menu__unit", "menu__school_year", "tier", "content_area"]
    search_fields = ["title", "summary", "partner_name"]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


class DeliveryLogInline(admin.TabularInline):
    model = DeliveryLog
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Request)
class RequestAdmin(SimpleHistoryAdmin):
    list_display = ["school", "service", "term", "status", "created_at", "first_answered_at"]
    list_filter = ["status", "term", "service__menu__unit"]
    list_select_related = ["school", "service", "term__school_year"]
    search_fields = ["school__name", "school__code", "service__title"]
    raw_id_fields = [
        "school", "service", "term", "growth_goal", "requested_by", "endorsed_by", "answered_by",
        "alternative_service", "alternative_term", "taken_from", "brokered_from_visit",
    ]  # fmt: skip
    inlines = [RequestEventInline, DeliveryLogInline]


@admin.register(UnitSettings)
class UnitSettingsAdmin(admin.ModelAdmin):
    list_display = ["unit", "response_target_days"]
    list_select_related = ["unit"]
