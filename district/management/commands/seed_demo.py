import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from clusters.demo import build_contract_demo, reset_contract_demo
from coaching.demo import build_coaching_demo, reset_coaching_demo
from cycles.demo import build_satisfaction_demo, reset_satisfaction_demo
from cycles.satisfaction.summaries import summarize_closed_surveys
from district.demo import DEMO_PASSWORD, build_demo, demo_logins, is_seeded, reset_demo
from service_menu.demo import build_service_menu_demo, reset_service_menu_demo

# The sizes a demo can take: the 40-school district, and five years of a city the size of New
# York's (about 294,000 visits, 550,000 next steps, 181,000 survey submissions with 970,000
# answers and 19,000 requests), where ILDs visit each school about every eight days and each
# principal rates a few of the forty units each term.
SCALES: dict[str, dict[str, Any]] = {
    "demo": {"schools": 40, "years": 2, "units": 9},
    "city": {
        "schools": 1800,
        "years": 5,
        "units": 40,
        "visit_every": (7, 8, 9),
        "requests_per_year": 1.85,
        "response_rate": 0.31,
        "max_respondents": None,
    },
}


def _only(size: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: size[key] for key in keys if key in size}


class Command(BaseCommand):
    help = "Build a believable demo district and print one login per role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="demo", help="A named size: demo (default) or city."
        )
        parser.add_argument("--schools", type=int, help="How many schools (default 40; 1,800 at city scale).")
        parser.add_argument(
            "--years", type=int, help="Years of coaching and requests, after a first year of surveys (default 2)."
        )
        parser.add_argument("--units", type=int, help="Central-office and lead-partner units (default 9).")
        parser.add_argument("--reset", action="store_true", help="Delete all org-chart data and start over.")
        parser.add_argument("--if-empty", action="store_true", help="Only seed when the database has no people.")

    def handle(self, *args: Any, **options: Any) -> None:
        size = dict(SCALES[options["scale"]])
        size |= {key: options[key] for key in ("schools", "years", "units") if options[key] is not None}
        if size["schools"] < 4:
            raise CommandError("A demo district needs at least 4 schools.")
        if size["years"] < 1 or size["units"] < 2:
            raise CommandError("A demo district needs at least 1 year and 2 units.")
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
            today = timezone.localdate()
            logins = build_demo(schools=size["schools"], years=size["years"] + 1, units=size["units"])
            build_coaching_demo(today=today, years=size["years"], **_only(size, "visit_every"))
            build_service_menu_demo(today=today, years=size["years"], **_only(size, "requests_per_year"))
            build_satisfaction_demo(today=today, **_only(size, "response_rate", "max_respondents"))
            build_contract_demo()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh statistics after bulk loading, so queries plan well
            summarize_closed_surveys(today=today)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built a district of {size['schools']} schools, {size['units']} units and "
                    f"{size['years']} years of history in {time.monotonic() - started:.1f} s."
                )
            )
        if logins:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
            for login in logins:
                self.stdout.write(f"  {login.role:<28} {login.email:<48} {login.name}")
