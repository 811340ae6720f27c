"""Load and fault tests: many clients at once against PostgreSQL, as production runs.

They run in the PostgreSQL step of ``make test`` and are skipped on SQLite, which serialises
every writer (row locks, the thing under test, do not exist there). Each runs for a bounded
time (``LOAD_TEST_SECONDS``, 10 by default) or a bounded number of rounds.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

LOAD_SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "10"))
CLIENTS = 20


@pytest.fixture
def postgresql(transactional_db: None) -> None:
    """Skip unless the tests run on PostgreSQL; the data each test writes is committed for its threads."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency under load needs PostgreSQL's row locks; SQLite serialises every writer")
