"""Admin for the item bank and survey windows. Individual answers are deliberately absent:
no one but the responding principal ever reads them, administrators included."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from cycles.forms import ResultsImportForm
from cycles.models import Survey, SurveyItem
from cycles.services import import_survey_results
from district.access import can
from district.csvimport import ImportFailed


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
        if not can(request.user, "cycles.import_results"):
            messages.error(request, "Only system administrators may import survey results.")
            return redirect("admin:index")
        form = ResultsImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = import_survey_results(data=form.cleaned_data["file"].read())
            except ImportFailed as failure:
                errors = failure.result.errors
                messages.error(request, failure.result.summary())
            else:
                messages.success(request, result.summary())
                return redirect("admin:cycles_import_results")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import survey results",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cycles/import_results.html", context)
