"""The profile page where people make and revoke their own API tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, hash_token
from district.models import User
from tests.conftest import District

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_sign_in(client: Client, district: District) -> None:
    response = client.get(reverse("api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_is_in_everyones_navigation(client_for: Callable[[str], Client]) -> None:
    body = client_for("unit_staff").get(reverse("home")).content.decode()
    assert reverse("api_tokens") in body


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(
    client_for: Callable[[str], Client], principal: User
) -> None:
    client = client_for("principal")
    response = client.post(reverse("api_tokens"), {"name": "Data warehouse", "expires": "30"})
    assert response.status_code == 201
    body = response.content.decode()
    secret = re.search(r'id="new-token-value" type="text" readonly value="(sw_[^"]+)"', body)
    assert secret is not None
    token = ApiToken.objects.get(user=principal)
    assert token.token_hash == hash_token(secret.group(1))
    assert secret.group(1) not in (token.token_hash, token.hint)
    assert token.expires_at is not None
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    again = client.get(reverse("api_tokens")).content.decode()
    assert secret.group(1) not in again
    assert "Data warehouse" in again

    api = client.get("/api/v1/schools", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert api.status_code == 200


def test_a_token_without_a_name_is_refused(client_for: Callable[[str], Client], principal: User) -> None:
    response = client_for("principal").post(reverse("api_tokens"), {"name": "", "expires": ""})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoking_a_token_closes_the_api_to_it(client_for: Callable[[str], Client], principal: User) -> None:
    client = client_for("principal")
    body = client.post(reverse("api_tokens"), {"name": "Sync", "expires": ""}).content.decode()
    secret = re.search(r'value="(sw_[^"]+)"', body)
    assert secret is not None
    token = ApiToken.objects.get(user=principal)
    assert token.expires_at is None
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/schools", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert api.status_code == 401


def test_no_one_can_revoke_or_see_another_persons_token(
    client_for: Callable[[str], Client], principal: User, request: Any
) -> None:
    client = client_for("principal")
    client.post(reverse("api_tokens"), {"name": "Mine", "expires": "90"})
    token = ApiToken.objects.get(user=principal)
    other = client_for("executive")
    assert "Mine" not in other.get(reverse("api_tokens")).content.decode()
    assert other.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert other.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
