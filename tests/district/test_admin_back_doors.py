"""The admin is no way around the app's rules: state machines, frozen menus and edit conflicts hold there too."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import Visit
from district.admin_versioning import CONFLICT_MESSAGE
from district.models import User
from service_menu.models import Menu, Request
from tests.conftest import District, Menus
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would post back from the admin's change form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in a
            if not self._multiple:
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            if self._multiple:
                chosen = self.data.setdefault(self._select, [])
                assert isinstance(chosen, list)
                chosen.append(a.get("value", ""))
            else:
                self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] = str(self.data[self._textarea]) + data.lstrip("\n")


def change_form(client: Client, url: str) -> dict[str, str | list[str]]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.data


@pytest.fixture
def admin(client_for: Callable[[str], Client]) -> Client:
    return client_for("admin_user")


def test_a_request_status_cannot_be_set_in_the_admin(admin: Client, menus: Menus) -> None:
    url = reverse("admin:service_menu_request_change", args=[menus.request.pk])
    data = change_form(admin, url)
    assert "status" not in data
    data |= {"status": Request.Status.DELIVERED, "version": "99", "rationale": "Corrected wording."}
    response = admin.post(url, data)
    assert response.status_code == 302
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.SUBMITTED
    assert menus.request.rationale == "Corrected wording."
    assert menus.request.version == 2
    assert menus.request.history.count() >= 2


def test_requests_are_neither_added_nor_deleted_in_the_admin(admin: Client, menus: Menus) -> None:
    assert admin.get(reverse("admin:service_menu_request_add")).status_code == 403
    assert (
        admin.post(reverse("admin:service_menu_request_delete", args=[menus.request.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Request.objects.filter(pk=menus.request.pk).exists()


def test_an_admin_save_over_someone_elses_change_is_refused(admin: Client, menus: Menus) -> None:
    url = reverse("admin:service_menu_request_change", args=[menus.request.pk])
    data = change_form(admin, url)
    Request.objects.filter(pk=menus.request.pk).update(version=5, rationale="The principal's newer words.")
    response = admin.post(url, data | {"rationale": "The admin's older words."})
    assert response.status_code == 200
    assert "Someone changed this record while you had it open" in response.content.decode()
    menus.request.refresh_from_db()
    assert menus.request.rationale == "The principal's newer words."
    assert CONFLICT_MESSAGE.startswith("Someone changed")


def test_a_published_menu_and_its_services_are_read_only_in_the_admin(admin: Client, menus: Menus) -> None:
    assert menus.menu.status == Menu.Status.PUBLISHED
    menu_url = reverse("admin:service_menu_menu_change", args=[menus.menu.pk])
    page = admin.get(menu_url).content.decode()
    assert 'name="_save"' not in page
    assert admin.post(menu_url, {"change_note": "Sneaky"}).status_code == 403
    service_url = reverse("admin:service_menu_service_change", args=[menus.service.pk])
    assert admin.post(service_url, {"title": "Renamed", "capacity_per_term": "99"}).status_code == 403
    delete_url = reverse("admin:service_menu_service_delete", args=[menus.service.pk])
    assert admin.post(delete_url, {"post": "yes"}).status_code == 403
    menus.service.refresh_from_db()
    assert (menus.service.title, menus.service.capacity_per_term) == ("Literacy lab classrooms", 2)


def test_a_draft_menu_can_still_be_edited_in_the_admin(admin: Client, menus: Menus) -> None:
    Menu.objects.filter(pk=menus.menu.pk).update(status=Menu.Status.DRAFT)
    page = admin.get(reverse("admin:service_menu_menu_change", args=[menus.menu.pk])).content.decode()
    assert 'name="_save"' in page


def test_a_visit_edited_in_the_admin_bumps_its_version_and_checks_it(
    admin: Client, district: District, ild: User
) -> None:
    visit: Visit = VisitFactory.create(school=district.school, ild=ild)
    url = reverse("admin:coaching_visit_change", args=[visit.pk])
    data = change_form(admin, url)
    response = admin.post(url, data | {"what_we_saw": "Checked in the admin."})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.version == 2
    stale = admin.post(url, data | {"what_we_saw": "An older copy."})
    assert stale.status_code == 200
    visit.refresh_from_db()
    assert visit.what_we_saw == "Checked in the admin."
