"""OneRoster 1.2 CSV import: schools, clusters and principals from a student information system.

A bulk OneRoster file set (``orgs.csv``, ``users.csv``, ``roles.csv``, optionally
``manifest.csv``, loose or in a ZIP) is read as the district's source of truth for:

- **schools**: orgs of type ``school``; ``identifier`` is the school code. A school's level
  comes from a ``metadata.level`` column when there is one, else it is kept, else read from
  the school's name ("… Elementary", "… Middle", "… High", "… K-8", "… K-12").
- **clusters**: the ``metadata.cluster`` column when it is filled in; otherwise the school's
  parent org (``parentSourcedId``) when that parent is not the district itself.
- **principals**: a user's current ``principal`` role at a school in ``roles.csv``. A school
  whose file set names no current principal has its leadership ended (the person, their
  visits and goals stay; the school's history records the change).
- **district administrators** (``districtAdministrator`` roles) become people who may sign
  in, with no role: roles in Schoolward are given in Schoolward.

Everyone else in ``users.csv`` (students, teachers, …) is skipped unread. Rows are keyed by
``sourcedId``; an existing school or person without one is matched once by school code or
email, then by its sourcedId for good. The import is all or nothing, every problem is named
by file, line and column, and importing the same files again changes nothing. A file set
that would leave a cluster with no principal at all is refused unless ``confirm`` is set.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from district.roster.oneroster.files import files_from_path, files_from_zip
from district.roster.oneroster.importer import OneRosterImport
from district.roster.oneroster.result import FileRowError, OneRosterResult

__all__ = [
    "FileRowError",
    "OneRosterResult",
    "files_from_path",
    "files_from_zip",
    "import_oneroster",
    "import_oneroster_path",
]


def import_oneroster(
    *, files: dict[str, bytes], confirm: bool = False, today: datetime.date | None = None
) -> OneRosterResult:
    """Check a OneRoster 1.2 bulk file set, then write all of it or none of it.

    Raises ImportFailed, carrying every problem by file, line and column, when anything is
    wrong, including a file set that would remove every principal of a cluster (unless
    ``confirm``).
    """
    result = OneRosterResult()
    OneRosterImport(files, result, confirm=confirm, today=today or timezone.localdate()).run()
    return result


def import_oneroster_path(path: str | Path, *, confirm: bool = False) -> OneRosterResult:
    """Import from a directory or a ZIP file on disk (used by the management command)."""
    return import_oneroster(files=files_from_path(path), confirm=confirm)
