"""Spreadsheet-safe CSV cells, and the client's address behind trusted proxies."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from district.client_address import client_address
from district.exports import neutralise


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", " =HYPERLINK(x)", "  +1", "\u00a0=1", "＝1+1", "＋1", " ＠x", "\u3000＝1"],
)
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_is_quoted(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Plain text", "1+1", "a=b", "", " spaced", "3.5"])
def test_ordinary_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_none_is_an_empty_cell() -> None:
    assert neutralise(None) == ""


def request_from(remote: str, forwarded: str = "") -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_the_connection_address_counts() -> None:
    assert client_address(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_counts_and_forged_ones_do_not() -> None:
    assert client_address(request_from("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    forged = request_from("10.0.0.2", "6.6.6.6, 203.0.113.9")
    assert client_address(forged) == "203.0.113.9"
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_address_from_the_right_counts() -> None:
    chain = request_from("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.7")
    assert client_address(chain) == "203.0.113.9"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_lockout_holds_one_address_not_everyone(principal: object) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from tests.factories import TEST_PASSWORD

    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": "principal@district.test", "password": "wrong"})
    locked = attacker.post(reverse("login"), {"username": "principal@district.test", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = colleague.post(reverse("login"), {"username": "principal@district.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
