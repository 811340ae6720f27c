"""Roster import: schools and principals, ILD caseloads, units and their staff.

One CSV file at a time; its kind is read from its header row. An import is all or
nothing: every row is checked first, and a file with any bad row writes nothing and
reports each bad row by line, column and reason. Rows are matched on natural keys
(school code, email, unit name, caseload school + ILD + start date), so importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

from district.csvimport import ImportFailed, ImportResult, RowError, read_csv
from district.roster.caseloads import CaseloadImport
from district.roster.schools import SchoolImport
from district.roster.units import UnitImport

SCHOOL_COLUMNS = ("code", "name", "level", "cluster", "principal_email", "principal_name")
CASELOAD_COLUMNS = ("school_code", "ild_email", "ild_name", "start_date")
UNIT_COLUMNS = ("unit", "kind", "cluster", "description", "contact_email", "person_email", "person_name", "role")

KINDS: dict[str, tuple[str, ...]] = {
    "schools": SCHOOL_COLUMNS,
    "caseloads": CASELOAD_COLUMNS,
    "units": UNIT_COLUMNS,
}


# Kept under its old name: the admin and the command speak of roster imports.
RosterImportFailed = ImportFailed


def import_roster(*, data: bytes) -> ImportResult:
    """Check every row of a roster CSV, then write all of it or none of it.

    Raises RosterImportFailed, carrying every problem found, when any row is bad.
    """
    result = ImportResult()
    header, rows = read_csv(data, result)
    kind = _detect_kind(header)
    if kind is None:
        result.errors.append(
            RowError(
                1,
                "",
                "cannot tell the kind of roster from the header; expected the columns of a schools "
                f"file ({', '.join(SCHOOL_COLUMNS)}), a caseloads file ({', '.join(CASELOAD_COLUMNS)}) "
                f"or a units file ({', '.join(UNIT_COLUMNS)})",
            )
        )
        raise ImportFailed(result)
    result.kind = kind
    missing = [column for column in KINDS[kind] if column not in header]
    for column in missing:
        result.errors.append(RowError(1, column, "missing column"))
    if missing:
        raise ImportFailed(result)
    if not rows:
        result.errors.append(RowError(0, "", "the file has a header row but no data rows"))
        raise ImportFailed(result)
    importer = {"schools": SchoolImport, "caseloads": CaseloadImport, "units": UnitImport}[kind]
    importer(rows, result, header).run()
    return result


def _detect_kind(header: list[str]) -> str | None:
    if "school_code" in header and "ild_email" in header:
        return "caseloads"
    if "unit" in header and "person_email" in header:
        return "units"
    if "code" in header and "level" in header:
        return "schools"
    # Fall back to the kind the header most resembles, so missing columns get named.
    best = max(KINDS, key=lambda k: len(set(KINDS[k]) & set(header)))
    return best if set(KINDS[best]) & set(header) else None


def import_roster_file(path: str) -> ImportResult:
    """Import a roster file from disk (used by the management command)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return import_roster(data=data)
