from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coaching.models import CalendarFeed, GrowthGoal, LeadershipPractice, NextStep, PracticeLevel, Visit, VisitMove
from district.admin_versioning import VersionedAdminMixin


class PracticeLevelInline(admin.TabularInline):
    model = PracticeLevel
    extra = 0
    ordering = ["rank"]


@admin.register(LeadershipPractice)
class LeadershipPracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "description"]
    inlines = [PracticeLevelInline]


@admin.register(GrowthGoal)
class GrowthGoalAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """A goal's status moves through confirmation and carry-over in the app, not here."""

    list_display = ["school", "practice", "school_year", "status", "baseline_level", "target_level", "confirmed_at"]
    list_filter = ["status", "school_year", "practice"]
    search_fields = ["school__name", "school__code", "principal__full_name", "statement"]
    list_select_related = ["school", "practice", "school_year", "baseline_level", "target_level"]
    raw_id_fields = ["school", "principal", "drafted_by", "carried_from"]
    readonly_fields = ["status", "confirmed_at", "carried_from"]


class VisitMoveInline(admin.TabularInline):
    model = VisitMove
    extra = 0


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0
    raw_id_fields = ["done_by"]


@admin.register(Visit)
class VisitAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Administrators manage records, but an ILD's private note is theirs alone."""

    list_display = ["date", "school", "ild", "status", "principal_present", "lead_role"]
    list_filter = ["status", "principal_present", "lead_role", "date"]
    search_fields = ["school__name", "school__code", "ild__full_name"]
    list_select_related = ["school", "ild"]
    raw_id_fields = ["school", "ild", "observed_level"]
    filter_horizontal = ["focus_goals"]
    exclude = ["private_note"]
    date_hierarchy = "date"
    inlines = [VisitMoveInline, NextStepInline]


@admin.register(NextStep)
class NextStepAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "done", "visit"]
    list_filter = ["owner", "done"]
    search_fields = ["description", "visit__school__name"]
    list_select_related = ["visit__school"]
    raw_id_fields = ["visit", "done_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__full_name", "user__email"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]
