"""Admin for the item bank and survey windows. Individual answers are deliberately absent:
no one but the responding principal ever reads them, administrators included."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from cycles.satisfaction.forms import ResultsImportForm
from cycles.satisfaction.models import Survey, SurveyItem
from cycles.satisfaction.services import import_survey_results
from district.admin_imports import csv_import_page


@admin.register(SurveyItem)
class SurveyItemAdmin(admin.ModelAdmin):
    list_display = ["short_label", "code", "kind", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "text"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "term", "opens_on", "closes_on"]
    list_select_related = ["term__school_year"]
    filter_horizontal = ["units"]
    search_fields = ["title"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path("import-results/", self.admin_site.admin_view(self.import_view), name="cycles_import_results"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        return csv_import_page(
            self,
            request,
            perm="cycles.import_results",
            form_class=ResultsImportForm,
            importer=import_survey_results,
            template_name="admin/cycles/import_results.html",
            title="Import survey results",
            url_name="cycles_import_results",
        )
