from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path
from simple_history.admin import SimpleHistoryAdmin

from district.access import can
from district.admin_imports import csv_import_page
from district.admin_oneroster import oneroster_import_page
from district.forms import RosterImportForm
from district.full_export import district_export
from district.models import (
    Caseload,
    Cluster,
    DistrictExport,
    ExecutiveDesignation,
    School,
    SchoolYear,
    Term,
    Unit,
    UnitMembership,
    User,
)
from district.roster import import_roster
from district.services import school_year_make_current


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


class SchoolInline(admin.TabularInline):
    model = School
    fields = ["name", "code", "level", "principal", "active"]
    raw_id_fields = ["principal"]
    extra = 0
    show_change_link = True


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [SchoolInline]


class CaseloadInline(admin.TabularInline):
    model = Caseload
    fields = ["ild", "start_date", "end_date"]
    raw_id_fields = ["ild"]
    extra = 0


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "cluster", "principal", "active"]
    list_filter = ["level", "cluster", "active"]
    search_fields = ["name", "code", "principal__full_name", "principal__email"]
    list_select_related = ["cluster", "principal"]
    raw_id_fields = ["principal"]
    inlines = [CaseloadInline]

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "import-roster/",
                self.admin_site.admin_view(self.import_roster_view),
                name="district_roster_import",
            ),
            path(
                "import-oneroster/",
                self.admin_site.admin_view(self.import_oneroster_view),
                name="district_oneroster_import",
            ),
        ]
        return custom + super().get_urls()

    def import_roster_view(self, request: HttpRequest) -> HttpResponse:
        return csv_import_page(
            self,
            request,
            perm="district.import_roster",
            form_class=RosterImportForm,
            importer=import_roster,
            template_name="admin/district/roster_import.html",
            title="Import a roster",
            url_name="district_roster_import",
        )

    def import_oneroster_view(self, request: HttpRequest) -> HttpResponse:
        return oneroster_import_page(self, request)


class MembershipInline(admin.TabularInline):
    model = UnitMembership
    fields = ["user", "title"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "cluster", "head", "contact_email"]
    list_filter = ["kind", "cluster"]
    search_fields = ["name", "head__full_name", "contact_email"]
    list_select_related = ["cluster", "head"]
    raw_id_fields = ["head"]
    inlines = [MembershipInline]


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "title"]
    list_filter = ["unit"]
    search_fields = ["user__full_name", "user__email", "unit__name"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "is_current"]
    list_filter = ["is_current"]
    readonly_fields = ["is_current"]
    inlines = [TermInline]
    actions = ["make_current"]

    @admin.action(description="Make the selected year the current one")
    def make_current(self, request: HttpRequest, queryset: QuerySet[SchoolYear]) -> None:
        if queryset.count() != 1:
            messages.error(request, "Choose exactly one school year to make current.")
            return
        year = school_year_make_current(year=queryset.get())
        messages.success(request, f"{year} is now the current school year.")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "school_year", "start_date", "end_date"]
    list_filter = ["school_year"]
    list_select_related = ["school_year"]


@admin.register(Caseload)
class CaseloadAdmin(SimpleHistoryAdmin):
    list_display = ["ild", "school", "start_date", "end_date"]
    list_filter = [("end_date", admin.EmptyFieldListFilter), "school__cluster"]
    search_fields = ["ild__full_name", "ild__email", "school__name", "school__code"]
    list_select_related = ["ild", "school"]
    raw_id_fields = ["ild", "school"]
    date_hierarchy = "start_date"


@admin.register(ExecutiveDesignation)
class ExecutiveDesignationAdmin(admin.ModelAdmin):
    list_display = ["user", "title"]
    list_filter = ["title"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DistrictExport)
class DistrictExportAdmin(admin.ModelAdmin):
    """Who took the district's full export, and when; the page's button takes a new one."""

    change_list_template = "admin/district/districtexport/change_list.html"
    list_display = ["created_at", "requested_by", "tables", "rows", "size_bytes"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__full_name", "requested_by__email"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request: HttpRequest, obj: DistrictExport | None = None) -> bool:
        return can(request.user, "district.export_district")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DistrictExport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DistrictExport | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        custom = [path("download/", self.admin_site.admin_view(self.download_view), name="district_full_export")]
        return custom + super().get_urls()

    def download_view(self, request: HttpRequest) -> HttpResponse | FileResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can(request.user, "district.export_district"):
            messages.error(request, "Only system administrators may export the district's data.")
            return redirect("admin:index")
        spool, record = district_export(by=request.user)  # type: ignore[arg-type]
        filename = f"schoolward-export-{record.created_at:%Y-%m-%d-%H%M}.zip"
        return FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")
