"""A health check for load balancers: can this process serve requests right now?"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone
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


def queue_lag_seconds() -> float | None:
    """How long the oldest task ready to run has waited, in seconds; 0 when none waits.

    A task waits from when it may run: its ``run_after`` when it was deferred (a retry),
    else when it was enqueued. None when the tasks do not queue in this database.
    """
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return None
    ready = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    oldest = ready.aggregate(
        since=Min(Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")))
    )["since"]
    return 0.0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds())


def _queue_keeps_up() -> tuple[bool, float | None]:
    try:
        lag = queue_lag_seconds()
    except Exception:  # a queue that cannot be read is not keeping up, whatever the error's class
        return False, None
    limit = settings.HEALTH_MAX_QUEUE_LAG_SECONDS
    return lag is None or limit <= 0 or lag <= limit, lag


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each check's result when all pass; 503 when any fails. Reveals nothing else.

    The task queue fails when its oldest ready task has waited longer than
    ``HEALTH_MAX_QUEUE_LAG_SECONDS`` (no worker running, or workers falling behind; 0 leaves
    the queue out of the verdict); its lag in whole seconds is reported beside the checks.
    """
    checks = {"database": _database_answers()}
    checks["migrations"] = checks["database"] and _migrations_are_applied()
    lag: float | None = None
    if checks["database"]:
        checks["task_queue"], lag = _queue_keeps_up()
    else:
        checks["task_queue"] = False
    healthy = all(checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "failing", "checks": checks}
    if lag is not None:
        body["task_queue_lag_seconds"] = int(lag)
    return JsonResponse(body, status=200 if healthy else 503)
