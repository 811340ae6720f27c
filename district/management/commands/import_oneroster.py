from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from district.csvimport import ImportFailed
from district.roster.oneroster import import_oneroster_path


class Command(BaseCommand):
    help = (
        "Import a OneRoster 1.2 bulk file set (orgs.csv, users.csv, roles.csv) from a directory or a ZIP: "
        "schools, clusters and principals. All or nothing; safe to run every day."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="A directory holding the CSV files, or a ZIP of them.")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Import even if a cluster would be left with no principal at all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_oneroster_path(options["path"], confirm=options["confirm"])
        except FileNotFoundError:
            raise CommandError(f"No such file or directory: {options['path']}") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ImportFailed as failure:
            for error in failure.result.errors:
                self.stderr.write(str(error))
            raise CommandError(failure.result.summary()) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
