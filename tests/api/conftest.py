"""Helpers for the read API's tests: tokens, and GETs that carry them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from api.services import token_create
from district.models import User
from tests.api.fixtures import World, world  # noqa: F401 - a fixture, found by pytest under this name


def make_token(user: User, **kwargs: Any) -> str:
    return token_create(user=user, name="Test", expires_in_days=kwargs.get("expires_in_days"))[1]


@pytest.fixture
def api_get(client: Client) -> Callable[..., Any]:
    """GET an API path with a bearer token (or none)."""

    def get(path: str, token: str | None = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return client.get(f"/api/v1{path}", params, headers=headers)

    return get


@pytest.fixture
def token_of(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """A fresh, valid token for a persona named as a fixture, e.g. token_of("principal")."""

    def make(persona: str) -> str:
        return make_token(request.getfixturevalue(persona))

    return make
