"""What a OneRoster import reports: problems by file, line and column, and what it changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from district.csvimport import ImportResult, RowError


@dataclass(frozen=True)
class FileRowError(RowError):
    """A problem in one file of the set, at a line and column of that file."""

    file: str = ""

    def __str__(self) -> str:
        return f"{self.file}, {super().__str__()}" if self.file else super().__str__()


@dataclass
class OneRosterResult(ImportResult):
    kind: str = "OneRoster"
    people: int = 0
    ended: int = 0
    skipped_roles: int = 0
    needs_confirmation: bool = False
    changes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            if self.needs_confirmation and all("confirm the import" in e.message for e in self.errors):
                return "Nothing was imported: the file set would remove every principal of a cluster."
            return f"Nothing was imported: {len(self.errors)} problem(s) in the files."
        return (
            f"Imported the OneRoster files ({self.rows} schools, {self.people} people): {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged; {self.ended} principal(s) left their school."
        )
