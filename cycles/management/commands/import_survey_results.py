from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cycles.satisfaction.services import import_survey_results
from district.csvimport import ImportFailed


class Command(BaseCommand):
    help = "Import survey results (school_code, unit, term, item, score[, comment]). All or nothing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], "rb") as handle:
                result = import_survey_results(data=handle.read())
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except ImportFailed as failure:
            for error in failure.result.errors:
                self.stderr.write(str(error))
            raise CommandError(failure.result.summary()) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
