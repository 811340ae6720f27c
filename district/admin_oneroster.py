"""The admin's OneRoster upload page: the roster import page's shape, for a ZIP of OneRoster files."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from district.access import can
from district.csvimport import ImportFailed, RowError
from district.roster.oneroster import files_from_zip, import_oneroster


class OneRosterImportForm(forms.Form):
    file = forms.FileField(
        label="OneRoster files (ZIP)",
        help_text="The ZIP your student information system exports: orgs.csv, users.csv and roles.csv (OneRoster 1.2).",
    )
    confirm = forms.BooleanField(
        label="Yes, import even if a cluster is left with no principal",
        required=False,
        help_text="Only after checking the file set is complete: a partial export usually causes it.",
    )


def oneroster_import_page(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Upload a OneRoster ZIP, check every file, and show every problem or the summary."""
    if not can(request.user, "district.import_roster"):
        messages.error(request, "Only system administrators may import files.")
        return redirect("admin:index")
    form = OneRosterImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        try:
            files = files_from_zip(form.cleaned_data["file"].read())
            result = import_oneroster(files=files, confirm=form.cleaned_data["confirm"])
        except ValueError as exc:
            form.add_error("file", str(exc))
        except ImportFailed as failure:
            errors = failure.result.errors
            needs_confirmation = getattr(failure.result, "needs_confirmation", False)
            messages.error(request, failure.result.summary())
        else:
            messages.success(request, result.summary())
            return redirect("admin:district_oneroster_import")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import OneRoster files",
        "form": form,
        "errors": errors,
        "needs_confirmation": needs_confirmation,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/district/oneroster_import.html", context)
