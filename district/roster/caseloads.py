"""Caseloads file: which ILD coaches which school, and from when."""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.models import Caseload, School
from district.roster.checker import RowChecker, touch


class CaseloadImport(RowChecker):
    def check(self) -> None:
        schools = {s.code.lower(): s for s in School.objects.all()}
        self.existing = list(Caseload.objects.select_related("ild"))
        self.planned: list[tuple[School, str, datetime.date, datetime.date | None]] = []
        open_in_file: dict[int, int] = {}
        in_file: dict[int, list[tuple[int, str, datetime.date, datetime.date | None]]] = {}
        for line, row in self.rows:
            errors_before = len(self.result.errors)
            code = self.required(line, row, "school_code")
            school = schools.get(code.lower()) if code else None
            if code and school is None:
                self.error(line, "school_code", f"unknown school “{code}”")
            email = self.email(line, row, "ild_email")
            start = self.date(line, row, "start_date")
            end = self.date(line, row, "end_date", required=False)
            if start and end and end < start:
                self.error(line, "end_date", "ends before it starts")
            if school is not None and end is None and len(self.result.errors) == errors_before:
                if school.pk in open_in_file:
                    self.error(
                        line,
                        "school_code",
                        f"{school.code} would have two ILDs at once (also on line {open_in_file[school.pk]})",
                    )
                open_in_file.setdefault(school.pk, line)
            if len(self.result.errors) > errors_before or school is None or start is None:
                continue
            clash = self._overlap(school, email, start, end, in_file)
            if clash:
                self.error(line, "start_date", clash)
                continue
            in_file.setdefault(school.pk, []).append((line, email, start, end))
            self.planned.append((school, email, start, end))
            self.person(email, row.get("ild_name", ""))

    def _overlap(
        self,
        school: School,
        email: str,
        start: datetime.date,
        end: datetime.date | None,
        in_file: dict[int, list[tuple[int, str, datetime.date, datetime.date | None]]],
    ) -> str:
        """Why this assignment would give the school two ILDs at once, or "" if it would not."""
        far = datetime.date.max
        for other in self.existing:
            if other.school_id != school.pk or (other.ild.email, other.start_date) == (email, start):
                continue
            if other.end_date is None and end is None:
                if start <= other.start_date:
                    return (
                        f"starts on or before {other.ild.full_name}'s current caseload at {school.code} "
                        f"(from {other.start_date}); end that one first"
                    )
                continue  # a hand-over: the current caseload will end the day before
            if start <= (other.end_date or far) and other.start_date <= (end or far):
                until = other.end_date or "now"
                return f"overlaps {other.ild.full_name}'s caseload at {school.code} ({other.start_date} to {until})"
        for line, other_email, other_start, other_end in in_file.get(school.pk, []):
            if (
                (other_end is not None or end is not None)
                and start <= (other_end or far)
                and other_start <= (end or far)
            ):
                return f"overlaps the caseload of {other_email} at {school.code} on line {line}"
        return ""

    def write(self) -> None:
        by_key = {(c.school_id, c.ild.email, c.start_date): c for c in self.existing}
        to_create: list[Caseload] = []
        to_update: list[Caseload] = []
        to_close: list[Caseload] = []
        for school, email, start, end in self.planned:
            current = by_key.get((school.pk, email, start))
            if current is None:
                if end is None:
                    # A new ILD takes over: the previous open caseload ends the day before.
                    for other in self.existing:
                        if other.school_id == school.pk and other.end_date is None and other not in to_close:
                            other.end_date = max(other.start_date, start - datetime.timedelta(days=1))
                            to_close.append(other)
                to_create.append(Caseload(ild=self.users[email], school=school, start_date=start, end_date=end))
            elif current.end_date != end:
                current.end_date = end
                to_update.append(current)
            else:
                self.result.unchanged += 1
        if to_close or to_update:
            touch(to_close + to_update)
            bulk_update_with_history(to_close + to_update, Caseload, ["end_date", "updated_at"], batch_size=1000)
        if to_create:
            bulk_create_with_history(to_create, Caseload, batch_size=1000)
        self.result.rows = len(self.planned)
        self.result.created = len(to_create)
        self.result.updated = len(to_update) + len(to_close)
