from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from district.roster import RosterImportFailed, import_roster_file


class Command(BaseCommand):
    help = "Import a roster CSV (schools, caseloads or units). All or nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Path to the CSV file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_roster_file(options["file"])
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except RosterImportFailed as failure:
            for error in failure.result.errors:
                self.stderr.write(str(error))
            raise CommandError(failure.result.summary()) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
