"""One way to serve a filtered, sortable, paginated table page, with htmx and CSV export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow

from district.exports import csv_response

TABLE_PARTIAL = "table"
EXPORT_CHUNK = 2000  # rows read from the database at a time while a CSV streams


def export_rows(table: tables.Table, *, exclude: Iterable[str] = ()) -> Iterator[list[Any]]:
    """The header, then one list of cell values per record, read from the database in chunks.

    The same cells as ``Table.as_values`` (``value_*`` methods included), but the records are
    never held all at once. A table with ``export_values(queryset)`` yields each row's cells
    as a dict by column name, read straight from the database (the big district lists do);
    otherwise a queryset is read with ``.iterator(chunk_size=…)``, narrowed by
    the table's ``export_queryset(queryset)`` when it has one (to the columns and relations
    the CSV prints), and each chunk is handed to ``prepare_export(records)`` when the table
    needs to read something for a whole chunk at once.
    """
    excluded = set(exclude)
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in excluded)
    ]
    yield [force_str(column.header, strings_only=True) for column in columns]
    data = table.data.data
    plain_values = getattr(table, "export_values", None)
    if plain_values is not None and isinstance(data, QuerySet):
        for values in plain_values(data):
            yield [values[column.name] for column in columns]
        return
    if isinstance(data, QuerySet):
        narrow = getattr(table, "export_queryset", None)
        records: Iterable[Any] = (narrow(data) if narrow else data).iterator(chunk_size=EXPORT_CHUNK)
    else:
        records = data
    prepare = getattr(table, "prepare_export", None)
    for chunk in batched(records, EXPORT_CHUNK):
        if prepare is not None:
            prepare(chunk)
        for record in chunk:
            row = BoundRow(record, table=table)
            yield [force_str(row.get_cell_value(column.name), strings_only=True) for column in columns]


def render_table_page(
    request: HttpRequest,
    *,
    template_name: str,
    table: tables.Table,
    filterset: django_filters.FilterSet | None = None,
    export_name: str = "export",
    per_page: int = 25,
    context: dict[str, Any] | None = None,
    paginator_class: type | None = None,
) -> HttpResponseBase:
    """Render the page, only its table region for htmx, or the filtered rows as a streamed CSV.

    The table region is the template partial named ``table``; htmx requests that target it
    get just that fragment (not on history restore, which needs the whole page). District-wide
    lists pass ``paginator_class=LazyPaginator`` so no page counts the whole history.
    """
    if request.GET.get("export") == "csv":
        return csv_response(f"{export_name}.csv", export_rows(table, exclude=table.exclude or ()))
    paginate: dict[str, Any] = {"per_page": per_page}
    if paginator_class is not None:
        paginate["paginator_class"] = paginator_class
    tables.RequestConfig(request, paginate=paginate).configure(table)
    page_context = {"table": table, "filter": filterset, "uncounted": paginator_class is not None, **(context or {})}
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "table-region" and not htmx.history_restore_request:
        return render(request, f"{template_name}#{TABLE_PARTIAL}", page_context)
    return render(request, template_name, page_context)
