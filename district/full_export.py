"""The district's full export: one ZIP of CSVs, a table per file, with a README of columns.

Everything the district keeps in Schoolward's own apps leaves in it, except what must
never leave: an ILD's private notes, and individual survey answers and ratings (only the
suppressed aggregates go, as on every page). Secrets stay too: password hashes, calendar
feed addresses and API tokens. The ZIP is written to a temporary file row by row, so memory
stays flat however large the district; every cell is neutralised against spreadsheet
formulas; each export is recorded with who took it and when.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from district.exports import neutralise
from district.models import DistrictExport, User

EXPORT_APPS = ("district", "coaching", "service_menu", "cycles", "notices")
# Individual survey answers, submissions and ratings never leave: only aggregates do.
NEVER_TABLES = {"cycles.answer", "cycles.submission", "cycles.requestrating"}
# Columns that are private or secret, wherever they appear (history tables included).
NEVER_COLUMNS = {"private_note", "password", "token", "token_hash"}
CHUNK = 2000


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    model: type[models.Model]
    columns: list[tuple[str, str, str]]  # (column, attribute, description)


def _describe(field: models.Field[Any, Any]) -> str:
    kind = field.get_internal_type()
    if field.is_relation and field.related_model is not None:
        kind = f"id of {field.related_model._meta.label_lower.replace('.', '_')}"
    label = str(getattr(field, "verbose_name", field.name))
    text = f"{label} ({kind})"
    if field.choices:
        text += "; one of " + ", ".join(str(value) for value, _ in field.flatchoices)
    if field.help_text:
        text += f". {field.help_text}"
    return text


def _table(model: type[models.Model]) -> Table | None:
    meta = model._meta
    if meta.label_lower in NEVER_TABLES or meta.abstract or meta.proxy:
        return None
    columns = []
    for field in meta.concrete_fields:
        if field.name in NEVER_COLUMNS:
            continue
        columns.append((field.attname, field.attname, _describe(field)))
    return Table(name=meta.db_table, title=str(meta.verbose_name_plural), model=model, columns=columns)


def export_tables() -> list[Table]:
    """The tables that leave, each with the columns that leave, in a stable order."""
    tables: list[Table] = []
    for label in EXPORT_APPS:
        if not apps.is_installed(label):
            continue
        for model in sorted(apps.get_app_config(label).get_models(), key=lambda m: m._meta.db_table):
            table = _table(model)
            if table is not None:
                tables.append(table)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through is not None and through._meta.auto_created:
                    m2m = _table(through)
                    if m2m is not None:
                        tables.append(m2m)
    return tables


def _cell(value: Any) -> str:
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return neutralise(value)


def _rows(table: Table) -> Iterator[list[str]]:
    attributes = [attribute for _, attribute, _ in table.columns]
    queryset = table.model._default_manager.order_by("pk").values_list(*attributes)
    for row in queryset.iterator(chunk_size=CHUNK):
        yield [_cell(value) for value in row]


def _satisfaction_rows() -> Iterator[list[str]]:
    from api.selectors import satisfaction_rows
    from district.models import Unit

    for row in satisfaction_rows(units=list(Unit.objects.order_by("pk"))):
        cell = row.cell
        yield [
            _cell(value)
            for value in (
                row.unit_id,
                row.unit,
                row.item,
                row.term_id,
                row.term,
                "" if cell.mean is None else f"{cell.mean:.2f}",
                "" if cell.pct_favourable is None else f"{cell.pct_favourable:.3f}",
                "" if cell.shown_n is None else cell.shown_n,
                "yes" if cell.suppressed else "no",
            )
        ]


SATISFACTION_COLUMNS = [
    ("unit_id", "id of district_unit"),
    ("unit", "the unit's name"),
    ("item", "the survey item's code"),
    ("term_id", "id of district_term"),
    ("term", "the term"),
    ("mean", "mean score from 1 to 5; empty when hidden"),
    ("favourable", "share of answers scoring 4 or 5; empty when hidden"),
    ("responses", "how many principals answered; empty when hidden"),
    ("hidden", "yes when fewer principals answered than the anonymity threshold"),
]


def _write_csv(archive: zipfile.ZipFile, name: str, header: list[str], rows: Iterable[list[str]]) -> int:
    count = 0
    with archive.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _readme(tables: list[Table], counts: dict[str, int], by: User, when: str) -> str:
    lines = [
        "Schoolward: the district's full export",
        f"Taken by {by.full_name} <{by.email}> at {when}.",
        "",
        "One CSV file per table, UTF-8, with a header row. Ids link the tables: a column <name>_id holds",
        "the id of a row in the table it names. Cells that would start a spreadsheet formula begin with '.",
        "",
        "Never included: ILDs' private notes; individual survey answers, submissions and ratings of",
        "delivered requests (satisfaction_results.csv holds the aggregates, hidden below the anonymity",
        "threshold exactly as on every page); password hashes, calendar feed addresses and API tokens.",
        "Tables whose names start with 'historical' keep every earlier version of a record.",
        "",
        "satisfaction_results.csv ({} rows)".format(counts.get("satisfaction_results", 0)),
        *(f"  {column}: {text}" for column, text in SATISFACTION_COLUMNS),
        "",
    ]
    for table in tables:
        lines.append(f"{table.name}.csv: {table.title} ({counts.get(table.name, 0)} rows)")
        lines.extend(f"  {column}: {text}" for column, _, text in table.columns)
        lines.append("")
    return "\n".join(lines)


def district_export(*, by: User) -> tuple[IO[bytes], DistrictExport]:
    """Write the full export to a temporary file and record it.

    Returns the file, rewound, ready to stream (it disappears when closed), and the
    DistrictExport that records who took it and when.
    """
    tables = export_tables()
    counts: dict[str, int] = {}
    when = timezone.localtime()
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            counts[table.name] = _write_csv(
                archive, f"{table.name}.csv", [column for column, _, _ in table.columns], _rows(table)
            )
        counts["satisfaction_results"] = _write_csv(
            archive, "satisfaction_results.csv", [column for column, _ in SATISFACTION_COLUMNS], _satisfaction_rows()
        )
        archive.writestr("README.txt", _readme(tables, counts, by, f"{when:%Y-%m-%d %H:%M %Z}"))
    size = spool.tell()
    spool.seek(0)
    record = DistrictExport.objects.create(
        requested_by=by, created_at=when, tables=len(counts), rows=sum(counts.values()), size_bytes=size
    )
    return spool, record
