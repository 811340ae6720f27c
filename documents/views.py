"""A document's page: the PDF once it is built, the progress panel until then."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from district.http import AuthenticatedRequest
from documents.kinds import KINDS, Params
from documents.models import Document
from documents.services import document_request


def _pdf(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    return response


def document_response(request: AuthenticatedRequest, *, kind: str, params: Params) -> HttpResponse:
    """The PDF at once when it is built for the data as it stands, else the way to its progress.

    The calling view has already checked that the person may have it.
    """
    document = document_request(kind=kind, params=params, user=request.user, path=request.get_full_path())
    if document.status == Document.Status.READY:
        return _pdf(document)
    return redirect("documents:detail", document.pk)


def _last_build_seconds(document: Document) -> float | None:
    previous = (
        Document.objects.filter(key=document.key, built_at__isnull=False, started_at__isnull=False)
        .exclude(pk=document.pk)
        .order_by("-built_at")
        .values_list("started_at", "built_at")
        .first()
    )
    if previous is None or previous[0] is None or previous[1] is None:
        return None
    return (previous[1] - previous[0]).total_seconds()


def document_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The document, or its progress; a 404 for anyone its page would not serve."""
    document = get_object_or_404(Document.objects.defer("content"), pk=pk)
    kind = KINDS.get(document.kind)
    if kind is None or not kind.allowed(request.user, document.params):
        raise Http404("Not found.")
    polled = bool(
        request.htmx and request.htmx.target == "document-progress" and not request.htmx.history_restore_request
    )
    if document.status == Document.Status.READY and not polled:
        document.refresh_from_db(fields=["content"])
        return _pdf(document)
    context = {"document": document, "last_build_seconds": _last_build_seconds(document) if document.waiting else None}
    if polled:
        return render(request, "documents/document.html#progress", context)
    return render(request, "documents/document.html", context)
