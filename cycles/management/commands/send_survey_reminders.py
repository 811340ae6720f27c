from typing import Any

from django.core.management.base import BaseCommand

from cycles.satisfaction import selectors, services


class Command(BaseCommand):
    help = "Remind principals who have not answered the open survey. Run daily: a second run that day sends nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        survey = selectors.open_survey()
        if survey is None:
            self.stdout.write("No survey is open.")
            return
        sent = services.send_survey_reminders(survey=survey)
        self.stdout.write(f"Reminded {sent} principal(s).")
