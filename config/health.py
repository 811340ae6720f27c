"""A health check for load balancers: can this process serve requests right now?"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_applied = False


def _database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to reach the database means "not healthy", whatever its class
        return False


def _migrations_are_applied() -> bool:
    # Once true for this process it stays true (the code cannot gain migrations while it runs),
    # so the graph is loaded only until a deployment's migrate has finished.
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each check's result when all pass; 503 when any fails. Reveals nothing else."""
    checks = {"database": _database_answers()}
    checks["migrations"] = checks["database"] and _migrations_are_applied()
    healthy = all(checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)
