from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse

from cycles import selectors


class Command(BaseCommand):
    help = "Remind principals who have not answered the open survey. Run daily from a scheduler."

    def handle(self, *args: Any, **options: Any) -> None:
        survey = selectors.open_survey()
        if survey is None:
            self.stdout.write("No survey is open.")
            return
        principals = selectors.principals_without_answers(survey=survey)
        url = f"{settings.SITE_URL}{reverse('cycles:survey')}"
        for principal in principals:
            send_mail(
                subject=f"{survey.title}: closes {survey.closes_on:%B %-d}",
                message=(
                    f"Hello {principal.full_name},\n\nThe units that serve your school want to know how they "
                    f"are doing. The survey closes on {survey.closes_on:%A, %B %-d}; your answers are never "
                    "shown on their own.\n\n"
                    f"{url}\n\nSchoolward"
                ),
                from_email=None,
                recipient_list=[principal.email],
            )
        self.stdout.write(f"Reminded {len(principals)} principal(s).")
