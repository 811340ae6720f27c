"""Roster import: schools and principals, ILD caseloads, units and their staff.

One CSV file at a time; its kind is read from its header row. An import is all or
nothing: every row is checked first, and a file with any bad row writes nothing and
reports each bad row by line, column and reason. Rows are matched on natural keys
(school code, email, unit name, caseload school + ILD + start date), so importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.csvimport import ImportFailed, ImportResult, Row, RowError, read_csv
from district.models import Caseload, Cluster, School, Unit, UnitMembership, User

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
        raise RosterImportFailed(result)
    result.kind = kind
    missing = [column for column in KINDS[kind] if column not in header]
    for column in missing:
        result.errors.append(RowError(1, column, "missing column"))
    if missing:
        raise RosterImportFailed(result)
    if not rows:
        result.errors.append(RowError(0, "", "the file has a header row but no data rows"))
        raise RosterImportFailed(result)
    importer = {"schools": _SchoolImport, "caseloads": _CaseloadImport, "units": _UnitImport}[kind]
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


class _RowChecker:
    """Shared parsing for one file: collects errors instead of stopping at the first."""

    def __init__(self, rows: list[Row], result: ImportResult, header: list[str]) -> None:
        self.rows = rows
        self.result = result
        self.header = header
        self.users = {u.email.lower(): u for u in User.objects.all()}
        self.new_users: dict[str, User] = {}
        self.renamed_users: dict[str, User] = {}
        self._unusable_password = make_password(None)

    def error(self, line: int, column: str, message: str) -> None:
        self.result.errors.append(RowError(line, column, message))

    def required(self, line: int, row: dict[str, str], column: str) -> str:
        value = row.get(column, "")
        if not value:
            self.error(line, column, "is empty")
        return value

    def email(self, line: int, row: dict[str, str], column: str, required: bool = True) -> str:
        value = row.get(column, "").lower()
        if not value:
            if required:
                self.error(line, column, "is empty")
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.error(line, column, f"“{value}” is not a valid email address")
            return ""
        return value

    def date(self, line: int, row: dict[str, str], column: str, required: bool = True) -> datetime.date | None:
        value = row.get(column, "")
        if not value:
            if required:
                self.error(line, column, "is empty")
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.error(line, column, f"“{value}” is not a date; write it as YYYY-MM-DD")
            return None

    def person(self, email: str, name: str) -> User:
        """The existing or new person with this email; a changed name is updated."""
        user = self.users.get(email) or self.new_users.get(email)
        if user is None:
            user = User(email=email, full_name=name or email, password=self._unusable_password)
            self.new_users[email] = user
        elif name and user.full_name != name and user.pk:
            user.full_name = name
            self.renamed_users[email] = user
        return user

    def save_people(self) -> None:
        if self.new_users:
            created = User.objects.bulk_create(list(self.new_users.values()), batch_size=1000)
            for user in created:
                self.users[user.email] = user
        if self.renamed_users:
            User.objects.bulk_update(list(self.renamed_users.values()), ["full_name"], batch_size=1000)

    def run(self) -> None:
        self.check()
        if self.result.errors:
            raise RosterImportFailed(self.result)
        with transaction.atomic():
            self.save_people()
            self.write()

    def check(self) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError


def _parse_level(value: str) -> str | None:
    wanted = value.strip().lower().replace(" ", "").replace("-", "")
    for choice, label in School.Level.choices:
        if wanted in {choice, label.lower().replace("-", "").replace(" ", "")}:
            return choice
    return None


def _parse_bool(value: str, default: bool = True) -> bool | None:
    if value == "":
        return default
    lowered = value.lower()
    if lowered in {"1", "yes", "y", "true", "active"}:
        return True
    if lowered in {"0", "no", "n", "false", "inactive", "closed"}:
        return False
    return None


class _SchoolImport(_RowChecker):
    def check(self) -> None:
        clusters = {c.name.lower(): c for c in Cluster.objects.all()}
        self.existing = {s.code.lower(): s for s in School.objects.all()}
        principal_of = {s.principal_id: s for s in self.existing.values() if s.principal_id}
        seen_codes: dict[str, int] = {}
        seen_principals: dict[str, int] = {}
        moving_principals: list[tuple[int, str, str]] = []
        self.planned: list[tuple[School | None, dict[str, Any], str]] = []
        for line, row in self.rows:
            errors_before = len(self.result.errors)
            code = self.required(line, row, "code")
            name = self.required(line, row, "name")
            level = _parse_level(row.get("level", ""))
            if level is None:
                labels = ", ".join(label for _, label in School.Level.choices)
                self.error(line, "level", f"“{row.get('level', '')}” is not a school level ({labels})")
            cluster = clusters.get(row.get("cluster", "").lower())
            if cluster is None:
                self.error(line, "cluster", f"unknown cluster “{row.get('cluster', '')}”")
            has_active = "active" in self.header
            active = _parse_bool(row.get("active", "")) if has_active else True
            if active is None:
                self.error(line, "active", f"“{row.get('active')}” is not yes or no")
            if code:
                if code.lower() in seen_codes:
                    self.error(line, "code", f"duplicate code “{code}” (also on line {seen_codes[code.lower()]})")
                seen_codes.setdefault(code.lower(), line)
            principal_email = self.email(line, row, "principal_email", required=False)
            if principal_email:
                if principal_email in seen_principals:
                    self.error(
                        line,
                        "principal_email",
                        f"{principal_email} would lead two schools (also on line {seen_principals[principal_email]})",
                    )
                seen_principals.setdefault(principal_email, line)
                moving_principals.append((line, principal_email, code.lower()))
            if len(self.result.errors) > errors_before:
                continue
            values: dict[str, Any] = {"name": name, "level": level, "cluster": cluster}
            if has_active:
                values["active"] = active
            self.planned.append((self.existing.get(code.lower()), values | {"code": code}, principal_email))
            if principal_email:
                self.person(principal_email, row.get("principal_name", ""))
        # A principal may move to a school in this file only if their old school is in it too
        # (and so gets its new principal in the same import).
        for line, email, code in moving_principals:
            current = self.users.get(email)
            led = principal_of.get(current.pk) if current else None
            if led is not None and led.code.lower() != code and led.code.lower() not in seen_codes:
                self.error(
                    line, "principal_email", f"{email} already leads {led.name} ({led.code}); change that school first"
                )

    def write(self) -> None:
        to_create: list[School] = []
        to_update: list[School] = []
        for school, values, principal_email in self.planned:
            principal = self.users[principal_email] if principal_email else None
            principal_id = principal.pk if principal else None
            if school is None:
                to_create.append(School(**values, principal_id=principal_id))
                continue
            changed = any(getattr(school, k) != v for k, v in values.items()) or school.principal_id != principal_id
            if changed:
                for key, value in values.items():
                    setattr(school, key, value)
                school.principal_id = principal_id
                to_update.append(school)
            else:
                self.result.unchanged += 1
        if to_update:
            # Free moved principals first so the one-school-per-principal rule holds mid-update.
            School.objects.filter(pk__in=[s.pk for s in to_update]).update(principal=None)
            fields = ["name", "level", "cluster", "principal"] + (["active"] if "active" in self.header else [])
            bulk_update_with_history(to_update, School, fields, batch_size=1000)
        if to_create:
            bulk_create_with_history(to_create, School, batch_size=1000)
        self.result.rows = len(self.planned)
        self.result.created = len(to_create)
        self.result.updated = len(to_update)


class _CaseloadImport(_RowChecker):
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
            bulk_update_with_history(to_close + to_update, Caseload, ["end_date"], batch_size=1000)
        if to_create:
            bulk_create_with_history(to_create, Caseload, batch_size=1000)
        self.result.rows = len(self.planned)
        self.result.created = len(to_create)
        self.result.updated = len(to_update) + len(to_close)


class _UnitImport(_RowChecker):
    def check(self) -> None:
        clusters = {c.name.lower(): c for c in Cluster.objects.all()}
        self.existing = {u.name.lower(): u for u in Unit.objects.all()}
        self.memberships = {m.user.email: m for m in UnitMembership.objects.select_related("user", "unit")}
        self.unit_values: dict[str, tuple[int, dict[str, Any]]] = {}
        self.heads: dict[str, str] = {}
        self.staff: dict[str, tuple[str, str]] = {}
        person_line: dict[str, tuple[int, str, str]] = {}
        for line, row in self.rows:
            errors_before = len(self.result.errors)
            unit_name = self.required(line, row, "unit")
            kind = row.get("kind", "").lower().replace("-", "_").replace(" ", "_") or Unit.Kind.CENTRAL
            if kind not in Unit.Kind.values:
                self.error(line, "kind", f"“{row.get('kind')}” is not central or lead_partner")
            cluster_name = row.get("cluster", "")
            cluster = clusters.get(cluster_name.lower()) if cluster_name else None
            if cluster_name and cluster is None:
                self.error(line, "cluster", f"unknown cluster “{cluster_name}”")
            if kind == Unit.Kind.LEAD_PARTNER and not cluster_name:
                self.error(line, "cluster", "a lead-partner unit needs the cluster it serves")
            if kind == Unit.Kind.CENTRAL and cluster_name:
                self.error(line, "cluster", "a central-office unit serves every cluster; leave this empty")
            contact = self.email(line, row, "contact_email", required=False)
            person_email = self.email(line, row, "person_email", required=False)
            role = row.get("role", "").lower()
            if person_email and role not in {"head", "staff"}:
                self.error(line, "role", f"“{row.get('role')}” is not head or staff")
            if person_email and role in {"head", "staff"} and unit_name:
                earlier = person_line.get(person_email)
                if earlier and (earlier[1], earlier[2]) != (unit_name.lower(), role):
                    self.error(
                        line,
                        "person_email",
                        f"{person_email} has conflicting roles: {role} of {unit_name} here, "
                        f"{earlier[2]} of another unit on line {earlier[0]}",
                    )
                person_line.setdefault(person_email, (line, unit_name.lower(), role))
                if role == "head" and unit_name.lower() in self.heads and self.heads[unit_name.lower()] != person_email:
                    self.error(line, "person_email", f"{unit_name} already has a head in this file")
            values = {
                "kind": kind,
                "cluster": cluster,
                "description": row.get("description", ""),
                "contact_email": contact,
            }
            if unit_name and len(self.result.errors) == errors_before:
                first = self.unit_values.get(unit_name.lower())
                if first and first[1] != values | {"name": unit_name}:
                    self.error(line, "unit", f"details of {unit_name} differ from line {first[0]}")
                self.unit_values.setdefault(unit_name.lower(), (line, values | {"name": unit_name}))
            if len(self.result.errors) > errors_before:
                continue
            if person_email:
                self.person(person_email, row.get("person_name", ""))
                if role == "head":
                    self.heads[unit_name.lower()] = person_email
                else:
                    self.staff[person_email] = (unit_name.lower(), row.get("title", ""))
        self._check_roles_held_elsewhere(person_line)

    def _check_roles_held_elsewhere(self, person_line: dict[str, tuple[int, str, str]]) -> None:
        """A person works in one unit: compare the file with the heads and staff already recorded."""
        users_by_pk = {u.pk: email for email, u in self.users.items()}
        head_of = {users_by_pk[u.head_id]: u for u in self.existing.values() if u.head_id in users_by_pk}
        for email, (line, unit_key, role) in person_line.items():
            headed = head_of.get(email)
            if headed is not None and headed.name.lower() != unit_key:
                replaced = self.heads.get(headed.name.lower(), email) != email
                if not replaced:
                    self.error(
                        line,
                        "person_email",
                        f"{email} already heads {headed.name}; name its new head in this file or change it first",
                    )
            membership = self.memberships.get(email)
            if role == "head" and membership is not None and membership.unit.name.lower() != unit_key:
                self.error(
                    line,
                    "person_email",
                    f"{email} is on the staff of {membership.unit.name}; a person works in one unit",
                )

    def write(self) -> None:
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        unchanged_units = 0
        for key, (_, values) in self.unit_values.items():
            head_email = self.heads.get(key)
            head_id = self.users[head_email].pk if head_email else None
            unit = self.existing.get(key)
            if unit is None:
                to_create.append(Unit(**values, head_id=head_id))
                continue
            new_head = head_id if head_email else unit.head_id
            if any(getattr(unit, k) != v for k, v in values.items()) or unit.head_id != new_head:
                for k, v in values.items():
                    setattr(unit, k, v)
                unit.head_id = new_head
                to_update.append(unit)
            else:
                unchanged_units += 1
        if to_update:
            Unit.objects.filter(pk__in=[u.pk for u in to_update]).update(head=None)
            bulk_update_with_history(
                to_update, Unit, ["kind", "cluster", "description", "contact_email", "head"], batch_size=500
            )
        if to_create:
            bulk_create_with_history(to_create, Unit, batch_size=500)
        units = {u.name.lower(): u for u in Unit.objects.all()}
        created_members, updated_members = self._write_staff(units)
        self.result.rows = len(self.rows)
        self.result.created = len(to_create) + created_members
        self.result.updated = len(to_update) + updated_members
        self.result.unchanged = unchanged_units

    def _write_staff(self, units: dict[str, Unit]) -> tuple[int, int]:
        to_create: list[UnitMembership] = []
        to_update: list[UnitMembership] = []
        for email, (unit_key, title) in self.staff.items():
            unit = units[unit_key]
            membership = self.memberships.get(email)
            if membership is None:
                to_create.append(UnitMembership(unit=unit, user=self.users[email], title=title))
            elif membership.unit_id != unit.pk or membership.title != title:
                membership.unit = unit
                membership.title = title
                to_update.append(membership)
        # Someone named head of a unit is no longer listed among its staff.
        UnitMembership.objects.filter(user__email__in=list(self.heads.values())).delete()
        UnitMembership.objects.bulk_create(to_create, batch_size=1000)
        UnitMembership.objects.bulk_update(to_update, ["unit", "title"], batch_size=1000)
        return len(to_create), len(to_update)


def import_roster_file(path: str) -> ImportResult:
    """Import a roster file from disk (used by the management command)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return import_roster(data=data)
