"""PDF documents from templates, with WeasyPrint kept off the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesOnly(URLFetcher):
    """Serves the app's own static files to WeasyPrint and refuses every other URL."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = unquote(urlparse(url).path)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if not path.startswith(static_prefix):
            raise ValueError(f"PDFs may only use the app's static files, not {url}")
        found = finders.find(path[len(static_prefix) :])
        if not found:
            raise ValueError(f"No static file at {path}")
        file_path = Path(found if isinstance(found, str) else found[0])
        mime_type = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, file_path.read_bytes(), {"Content-Type": mime_type}, 200)


PAGE_SIZES = {"letter": "Letter", "a4": "A4"}


def page_size_key(request: HttpRequest | None) -> str:
    """``letter`` unless the reader asks for A4 (``?size=a4``): a document parameter."""
    wanted = request.GET.get("size", "").lower() if request else ""
    return wanted if wanted in PAGE_SIZES else "letter"


def page_size(request: HttpRequest | None) -> str:
    """Letter unless the reader asks for A4 (``?size=a4``)."""
    return PAGE_SIZES[page_size_key(request)]


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    context = {"page_size": page_size(request), "generated": timezone.now(), **context}
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else "http://localhost/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(
    template_name: str, context: dict[str, Any], *, filename: str, request: HttpRequest | None = None
) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
