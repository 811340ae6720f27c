"""The installable web app: manifest, service worker and offline page, the same for everyone."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from district.offline import OFFLINE_HEADER
from tests.conftest import District

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_site_root_to_anyone_and_always_checked_for_updates(
    client: Client, client_for: Callable[[str], Client], district: District
) -> None:
    response = client.get("/sw.js")
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "max-age=0" in cache_control
    assert "immutable" not in cache_control
    source = response.content.decode()
    config = json.loads(re.search(r"^const CONFIG = (.*);$", source, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert config["header"] == OFFLINE_HEADER
    assert config["offlinePage"] == reverse("offline_page")
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    # It keeps, when installed, the offline page and every static file that page and the form use.
    offline_page = client.get(reverse("offline_page")).content.decode()
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', offline_page):
        assert url in config["precache"]
    assert "/static/js/visit-draft.js" in config["precache"]
    assert config["precache"][-1] == reverse("offline_page")
    for url in config["precache"][:-1]:
        assert finders.find(url.removeprefix("/static/")), url
    # The worker is the same for everyone: it learns who is signed in from the pages.
    assert client_for("ild").get("/sw.js").content.decode() == source
    assert client.post("/sw.js").status_code == 405


def test_the_manifest_names_the_app_its_icons_and_colour(client: Client, district: District) -> None:
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    manifest = response.json()
    assert manifest["name"] == "Schoolward"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#1d4f6e"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    assert manifest["shortcuts"][0]["url"] == reverse("coaching:visit_create")


def test_the_offline_page_is_the_same_for_everyone_and_names_no_one(
    client: Client, client_for: Callable[[str], Client], district: District
) -> None:
    anonymous = client.get(reverse("offline_page"))
    assert anonymous.status_code == 200
    assert "No connection right now" in anonymous.content.decode()
    signed_in = client_for("ild").get(reverse("offline_page"))
    assert signed_in.content == anonymous.content
    assert "Irene Lopez" not in signed_in.content.decode()
    assert "csrfmiddlewaretoken" not in signed_in.content.decode()
    assert OFFLINE_HEADER not in signed_in


def test_every_page_links_the_manifest_and_keeps_the_strict_content_security_policy(
    client_for: Callable[[str], Client], district: District
) -> None:
    for persona, url in [("ild", reverse("coaching:visit_create")), ("principal", reverse("home"))]:
        response = client_for(persona).get(url)
        body = response.content.decode()
        assert f'<link rel="manifest" href="{reverse("manifest")}">' in body
        assert '<meta name="theme-color" content="#1d4f6e">' in body
        assert "js/offline.js" in body
        # No inline script or style: every script has a source, and the policy allows only this site's.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
        assert " style=" not in body
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
