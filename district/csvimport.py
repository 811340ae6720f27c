"""The shared shape of an all-or-nothing CSV import: read, check every row, report, write."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

Row = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportResult:
    kind: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Nothing was imported: {len(self.errors)} problem(s) in the file."
        return (
            f"Imported the {self.kind} file ({self.rows} rows): {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


class ImportFailed(Exception):
    """Nothing was written; ``result.errors`` names every problem."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result.summary())
        self.result = result


def read_csv(data: bytes, result: ImportResult) -> tuple[list[str], list[Row]]:
    """The header (lower-cased) and the data rows with the line each starts on.

    Raises ImportFailed for a file that is not UTF-8, is empty, or is not CSV at all.
    Blank rows (including Excel's rows of commas) are skipped.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(
            RowError(0, "", f"the file is not UTF-8 text (byte {exc.start}); save it as “CSV UTF-8” and retry")
        )
        raise ImportFailed(result) from None
    if not text.strip():
        result.errors.append(RowError(0, "", "the file is empty"))
        raise ImportFailed(result)
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows: list[Row] = []
    last_line = 0
    try:
        for record in reader:
            start_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [name.strip().lower() for name in record]
                _refuse_repeated_columns(header, result)
                continue
            values = [cell.strip() for cell in record]
            rows.append(
                (start_line, {name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name})
            )
    except csv.Error as exc:
        result.errors.append(RowError(0, "", f"the file is not valid CSV: {exc}"))
        raise ImportFailed(result) from None
    return header or [], rows


REPEATED_COLUMN = "the column appears more than once in the header row"


def repeated_columns(header: list[str]) -> list[str]:
    """Names that stand twice in a header row: which one is read would be left to chance."""
    seen: set[str] = set()
    repeated = []
    for name in header:
        if name and name in seen:
            repeated.append(name)
        seen.add(name)
    return repeated


def _refuse_repeated_columns(header: list[str], result: ImportResult) -> None:
    result.errors.extend(RowError(1, name, REPEATED_COLUMN) for name in repeated_columns(header))
    if result.errors:
        raise ImportFailed(result)


def require_columns(header: list[str], columns: tuple[str, ...], result: ImportResult) -> None:
    missing = [column for column in columns if column not in header]
    for column in missing:
        result.errors.append(RowError(1, column, "missing column"))
    if missing:
        raise ImportFailed(result)
