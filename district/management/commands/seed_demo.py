import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusters.demo import build_contract_demo, reset_contract_demo
from coaching.demo import build_coaching_demo, reset_coaching_demo
from cycles.demo import build_satisfaction_demo, reset_satisfaction_demo
from district.demo import DEMO_PASSWORD, build_demo, demo_logins, is_seeded, reset_demo
from service_menu.demo import build_service_menu_demo, reset_service_menu_demo


class Command(BaseCommand):
    help = "Build a believable demo district and print one login per role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--schools", type=int, default=40, help="How many schools (default 40).")
        parser.add_argument("--reset", action="store_true", help="Delete all org-chart data and start over.")
        parser.add_argument("--if-empty", action="store_true", help="Only seed when the database has no people.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schools"] < 4:
            raise CommandError("A demo district needs at least 4 schools.")
        if options["reset"]:
            reset_contract_demo()
            reset_satisfaction_demo()
            reset_service_menu_demo()
            reset_coaching_demo()
            reset_demo()
            self.stdout.write("Removed the existing data.")
        from district.models import User

        if is_seeded():
            self.stdout.write("The demo district is already here; use --reset to build it anew.")
            logins = demo_logins()
        elif options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already holds people who are not demo data; no demo data added.")
            logins = []
        else:
            started = time.monotonic()
            logins = build_demo(schools=options["schools"])
            build_coaching_demo(today=timezone.localdate())
            build_service_menu_demo(today=timezone.localdate())
            build_satisfaction_demo(today=timezone.localdate())
            build_contract_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built a district of {options['schools']} schools in {time.monotonic() - started:.1f} s."
                )
            )
        if logins:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for login in logins:
                self.stdout.write(f"  {login.role:<28} {login.email:<48} {login.name}")
