from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from notices.services import notice_counts, notices_requeue_stalled


class Command(BaseCommand):
    help = (
        "Hand the worker again the queued notices whose task stopped (a worker killed mid-batch). "
        "Run every few minutes from a scheduler; running it more often does no harm."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=300,
            metavar="SECONDS",
            help="Only notices due at least this long ago (default: %(default)s), so work in progress is left alone.",
        )

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        requeued = notices_requeue_stalled(older_than=datetime.timedelta(seconds=max(0, older_than)))
        counts = notice_counts()
        self.stdout.write(
            f"Queued again {requeued} notice(s) whose task had stopped. "
            f"Now {counts['queued']} queued, {counts['failed']} failed (see the admin: Notices)."
        )
