"""One way to serve a filtered, sortable, paginated table page, with htmx and CSV export."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from district.exports import csv_response

TABLE_PARTIAL = "table"


def render_table_page(
    request: HttpRequest,
    *,
    template_name: str,
    table: tables.Table,
    filterset: django_filters.FilterSet | None = None,
    export_name: str = "export",
    per_page: int = 25,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render the page, only its table region for htmx, or the filtered rows as CSV.

    The table region is the template partial named ``table``; htmx requests that target it
    get just that fragment (not on history restore, which needs the whole page).
    """
    if request.GET.get("export") == "csv":
        return csv_response(f"{export_name}.csv", table.as_values(exclude_columns=table.exclude))
    tables.RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    page_context = {"table": table, "filter": filterset, **(context or {})}
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "table-region" and not htmx.history_restore_request:
        return render(request, f"{template_name}#{TABLE_PARTIAL}", page_context)
    return render(request, template_name, page_context)
