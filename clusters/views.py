"""A cluster's page, its tables as CSV and the whole of it as a PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from clusters import exports, selectors
from district.access import get_visible_or_404
from district.exports import csv_response
from district.http import AuthenticatedRequest
from district.models import Cluster, SchoolYear
from district.pdf import pdf_response


def _cluster_for(request: AuthenticatedRequest, pk: int) -> Cluster:
    return get_visible_or_404(request.user, selectors.cluster_queryset(), "district.view_cluster", pk=pk)


def _year(request: AuthenticatedRequest) -> SchoolYear | None:
    raw = request.GET.get("year", "")
    chosen = SchoolYear.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) <= 9 else None
    return chosen or SchoolYear.objects.current()


def cluster_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The cluster side by side: schools and feeders, coaching, services, response times,
    satisfaction (suppressed) and the lead partner's contract; ``?export=csv&table=…`` for a table."""
    cluster = _cluster_for(request, pk)
    page = selectors.cluster_page(cluster=cluster, year=_year(request))
    table = request.GET.get("table", "")
    if request.GET.get("export") == "csv" and table in exports.TABLES:
        slug = cluster.name.lower().replace(" ", "-")
        return csv_response(f"cluster-{slug}-{table}.csv", exports.TABLES[table](page))
    return render(request, "clusters/cluster_detail.html", {"page": page, "tables": exports.TABLES})


def cluster_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cluster = _cluster_for(request, pk)
    page = selectors.cluster_page(cluster=cluster, year=_year(request))
    year = f" {page.year}" if page.year else ""
    return pdf_response(
        "clusters/pdf/cluster.html",
        {"page": page, "title": f"The {cluster.name} cluster{year}"},
        filename=f"cluster-{cluster.pk}.pdf",
        request=request,
    )
