from typing import Any

from django.core.management.base import BaseCommand

from cycles.satisfaction.summaries import summarize_closed_surveys


class Command(BaseCommand):
    help = (
        "Count the results of every survey whose window has closed into summary rows, once. "
        "Run daily: a run with nothing new to count does nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = summarize_closed_surveys()
        self.stdout.write(f"Summarized {done} survey(s).")
