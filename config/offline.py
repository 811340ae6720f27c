"""The installable web app: its manifest, its service worker (served from the site root so it
may look after every page) and the page shown when a page cannot be reached offline.

None of these knows who is asking: the worker keeps a person's own pages in that person's own
cache, and only the pages the server marks for them (see district.offline).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from district.offline import OFFLINE_HEADER

THEME_COLOUR = "#1d4f6e"

# Kept by the worker when it is installed, beside the static files the offline page names (the
# same as every page's, since it extends the base template).
PRECACHED_STATIC = ["js/visit-draft.js", "icons/icon-192.png"]


def _offline_page_html() -> str:
    # Rendered without a request, so nothing about the person asking can slip into it.
    return render_to_string("offline/offline.html", {"offline_page": True})


def _fresh(response: HttpResponse) -> HttpResponse:
    # Browsers must ask again every time, so a new worker or manifest is picked up at once.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _worker_source() -> str:
    in_page = re.findall(rf'(?:href|src)="({re.escape(settings.STATIC_URL)}[^"]+)"', _offline_page_html())
    config = {
        "precache": [*sorted({*in_page, *(static(path) for path in PRECACHED_STATIC)}), reverse("offline_page")],
        "offlinePage": reverse("offline_page"),
        "staticPrefix": settings.STATIC_URL,
        "header": OFFLINE_HEADER,
        "offlineData": [reverse("coaching:visit_form_data")],
        "version": "__VERSION__",
    }
    source = render_to_string("offline/sw.js", {"config": mark_safe(json.dumps(config))})  # noqa: S308 - our own JSON
    # A new version whenever the worker or the static files it keeps change, so phones update.
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return source.replace("__VERSION__", version)


_cached_worker_source = cache(_worker_source)


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    source = _worker_source() if settings.DEBUG else _cached_worker_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return _fresh(response)


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icon = {"type": "image/png", "purpose": "any"}
    data = {
        "id": "/",
        "name": "Schoolward",
        "short_name": "Schoolward",
        "description": "Principal coaching, service menus and cycles of inquiry; visits logged even without Wi-Fi.",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {**icon, "src": static("icons/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("icons/icon-512.png"), "sizes": "512x512"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/schoolward.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        "shortcuts": [
            {
                "name": "Log a visit",
                "url": reverse("coaching:visit_create"),
                "icons": [{"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}],
            }
        ],
    }
    return _fresh(JsonResponse(data, content_type="application/manifest+json"))


@login_not_required
@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """The page shown for any page that cannot be reached offline: the same for everyone."""
    return _fresh(HttpResponse(_offline_page_html()))
