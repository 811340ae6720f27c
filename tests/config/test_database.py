import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_sessions_run_without_the_jit_compiler():
    """Compiling a page's grouped queries took longer than running them (see config.settings.base)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
