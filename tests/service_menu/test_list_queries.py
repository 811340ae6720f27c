"""Request lists join only what their rows print, in an order an index serves."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Menus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "page"), [("executive", "request_list"), ("unit_head", "workspace")])
def test_request_lists_read_their_rows_with_a_narrow_join_newest_first(
    client_for: Callable[[str], Client], menus: Menus, persona: str, page: str
) -> None:
    client = client_for(persona)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"service_menu:{page}"), {"status": ""} if page == "workspace" else {})
    assert response.status_code == 200
    assert "Literacy lab classrooms" in response.content.decode()
    (rows,) = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "service_menu_request"."id"') and "LIMIT" in q["sql"]
    ]
    assert rows.count(" JOIN ") <= 6, "the request page's twenty-table join is not for lists"
    assert 'ORDER BY "service_menu_request"."created_at" DESC, "service_menu_request"."id" DESC' in rows
