"""Background tasks of the notices app, run by ``manage.py db_worker``."""

from __future__ import annotations

from django.tasks import task

from notices.services import notices_deliver


@task()
def send_notices(notice_ids: list[int]) -> dict[str, int]:
    """Send a batch of queued notices over one connection; see ``notices.services.notices_deliver``."""
    return notices_deliver(notice_ids=notice_ids).as_dict()
