from typing import Any

from django.core.management.base import BaseCommand

from service_menu.services import send_overdue_reminders


class Command(BaseCommand):
    help = "Email each unit the requests waiting past its response target. Run daily from a scheduler."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_overdue_reminders()
        self.stdout.write(f"Reminded {sent} unit(s) about overdue requests.")
