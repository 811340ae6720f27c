"""One admin page shape for every all-or-nothing CSV import: upload, check, report, write."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from district.access import can
from district.csvimport import ImportFailed, ImportResult


def csv_import_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    perm: str,
    form_class: type[forms.Form],
    importer: Callable[..., ImportResult],
    template_name: str,
    title: str,
    url_name: str,
) -> HttpResponse:
    """Upload a file, run ``importer(data=...)``, and show every problem or the summary."""
    if not can(request.user, perm):
        messages.error(request, "Only system administrators may import files.")
        return redirect("admin:index")
    form = form_class(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = importer(data=form.cleaned_data["file"].read())
        except ImportFailed as failure:
            errors = failure.result.errors
            messages.error(request, failure.result.summary())
        else:
            messages.success(request, result.summary())
            return redirect(f"admin:{url_name}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "errors": errors,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, template_name, context)
