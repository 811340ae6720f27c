"""Reading and checking orgs.csv, roles.csv and users.csv (and manifest.csv when present)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from district.csvimport import REPEATED_COLUMN, repeated_columns
from district.models import School
from district.roster.checker import parse_level
from district.roster.oneroster.result import FileRowError, OneRosterResult

Row = tuple[int, dict[str, str]]
ORG_COLUMNS = ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId")
USER_COLUMNS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "givenName",
    "familyName",
    "email",
)
ROLE_COLUMNS = (
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
)
MAPPED_ROLES = {"principal", "districtAdministrator"}
ORG_TYPES = {"department", "district", "local", "national", "school", "state"}
# Spec names for the columns this import reads, to report them as the file spells them.
SPELLING = {
    name.lower(): name
    for name in (
        *ORG_COLUMNS,
        *USER_COLUMNS,
        *ROLE_COLUMNS,
        "preferredGivenName",
        "preferredFamilyName",
        "metadata.cluster",
        "metadata.level",
        "propertyName",
        "value",
    )
}
LEVEL_WORDS = (
    ("k-12", School.Level.K12),
    ("k12", School.Level.K12),
    ("k-8", School.Level.K8),
    ("k8", School.Level.K8),
    ("elementary", School.Level.ELEMENTARY),
    ("primary", School.Level.ELEMENTARY),
    ("middle", School.Level.MIDDLE),
    ("junior high", School.Level.MIDDLE),
    ("high", School.Level.HIGH),
)


@dataclass
class OrgRow:
    line: int
    sourced_id: str
    name: str
    type: str
    identifier: str
    parent: str
    active: bool
    cluster_name: str
    level: str


@dataclass
class PersonRow:
    line: int
    sourced_id: str
    email: str
    name: str
    active: bool


class FileSetReader:
    """Reads and checks the three files, collecting every problem instead of stopping at the first."""

    def __init__(self, files: dict[str, bytes], result: OneRosterResult, *, confirm: bool, today: datetime.date):
        self.files = {name.lower(): data for name, data in files.items()}
        self.result = result
        self.confirm = confirm
        self.today = today
        self.file = ""
        self._unusable_password = make_password(None)

    # --- reading and reporting -----------------------------------------------------------

    def error(self, line: int, column: str, message: str) -> None:
        self.result.errors.append(FileRowError(line, SPELLING.get(column, column), message, file=self.file))

    def rows(
        self, name: str, columns: tuple[str, ...], keep: Callable[[dict[str, str]], bool] | None = None
    ) -> tuple[list[str], list[Row]]:
        """The header (lower-cased) and rows of one file; with ``keep``, only the rows it accepts.

        Rows it rejects (the students and teachers of a district's export) are dropped as they
        are read, so memory follows the principals and administrators, not the whole roster.
        """
        self.file = name
        data = self.files.get(name)
        if data is None:
            self.error(0, "", f"{name} is missing from the file set")
            return [], []
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.error(0, "", f"the file is not UTF-8 text (byte {exc.start})")
            return [], []
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
                    header = [cell.strip().lower() for cell in record]
                    for column in repeated_columns(header):
                        self.error(1, column, REPEATED_COLUMN)
                    for column in columns:
                        if column.lower() not in header:
                            self.error(1, column.lower(), "missing column")
                    continue
                values = [cell.strip() for cell in record]
                row = {n: values[i] if i < len(values) else "" for i, n in enumerate(header)}
                if keep is None or keep(row):
                    rows.append((start_line, row))
        except csv.Error as exc:
            self.error(last_line, "", f"the file is not valid CSV: {exc}")
        if header is None:
            self.error(0, "", "the file is empty")
        return header or [], rows

    def required(self, line: int, row: dict[str, str], column: str) -> str:
        value = row.get(column, "")
        if not value:
            self.error(line, column, "is empty")
        return value

    def status_active(self, line: int, row: dict[str, str]) -> bool:
        status = row.get("status", "")
        if status not in {"", "active", "tobedeleted"}:
            self.error(line, "status", f"“{status}” is not active or tobedeleted")
        return status != "tobedeleted"

    def date(self, line: int, row: dict[str, str], column: str) -> datetime.date | None:
        value = row.get(column, "")
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.error(line, column, f"“{value}” is not a date; write it as YYYY-MM-DD")
            return None

    # --- checking ------------------------------------------------------------------------

    def check_manifest(self) -> None:
        if "manifest.csv" not in self.files:
            return
        _, rows = self.rows("manifest.csv", ("propertyName", "value"))
        properties = {row.get("propertyname", ""): (line, row.get("value", "")) for line, row in rows}
        line, version = properties.get("oneroster.version", (0, ""))
        if version and version != "1.2":
            self.error(line, "value", f"this is OneRoster {version}; Schoolward reads OneRoster 1.2 files")
        for name in ("orgs", "users", "roles"):
            line, mode = properties.get(f"file.{name}", (0, "bulk"))
            if mode.lower() != "bulk":
                self.error(line, "value", f"file.{name} is “{mode}”; Schoolward needs a bulk {name}.csv")

    def check_orgs(self) -> None:
        _, rows = self.rows("orgs.csv", ORG_COLUMNS)
        self.orgs: dict[str, OrgRow] = {}
        codes: dict[str, int] = {}
        for line, row in rows:
            errors_before = len(self.result.errors)
            sid = self.required(line, row, "sourcedid")
            name = self.required(line, row, "name")
            org_type = self.required(line, row, "type")
            if org_type and org_type not in ORG_TYPES:
                self.error(line, "type", f"“{org_type}” is not an org type ({', '.join(sorted(ORG_TYPES))})")
            active = self.status_active(line, row)
            if sid in self.orgs:
                self.error(line, "sourcedid", f"duplicate sourcedId “{sid}” (also on line {self.orgs[sid].line})")
            identifier = row.get("identifier", "")
            if org_type == "school":
                if not identifier:
                    self.error(line, "identifier", "is empty; Schoolward uses it as the school code")
                elif len(identifier) > 20:
                    self.error(line, "identifier", "is longer than 20 characters, the longest school code")
                elif identifier.lower() in codes:
                    self.error(
                        line,
                        "identifier",
                        f"duplicate school code “{identifier}” (also on line {codes[identifier.lower()]})",
                    )
                else:
                    codes[identifier.lower()] = line
            level = row.get("metadata.level", "")
            if level and parse_level(level) is None:
                labels = ", ".join(label for _, label in School.Level.choices)
                self.error(line, "metadata.level", f"“{level}” is not a school level ({labels})")
            if len(self.result.errors) == errors_before:
                self.orgs[sid] = OrgRow(
                    line=line,
                    sourced_id=sid,
                    name=name,
                    type=org_type,
                    identifier=identifier,
                    parent=row.get("parentsourcedid", ""),
                    active=active,
                    cluster_name=row.get("metadata.cluster", ""),
                    level=parse_level(level) or "" if level else "",
                )
        for org in self.orgs.values():
            if org.parent and org.parent not in self.orgs:
                self.error(org.line, "parentsourcedid", f"no org with sourcedId “{org.parent}” in orgs.csv")
        if rows and not any(org.type == "school" for org in self.orgs.values()) and not self.result.errors:
            self.error(0, "type", "the file has no org of type school")

    def check_roles(self) -> None:
        _, rows = self.rows("roles.csv", ROLE_COLUMNS, keep=lambda row: row.get("role") in MAPPED_ROLES)
        # school sourcedId -> [(line, user sourcedId, primary)]
        self.principal_roles: dict[str, list[tuple[int, str, bool]]] = {}
        self.admin_users: dict[str, int] = {}
        for line, row in rows:
            role = row.get("role", "")
            errors_before = len(self.result.errors)
            user_sid = self.required(line, row, "usersourcedid")
            org_sid = self.required(line, row, "orgsourcedid")
            active = self.status_active(line, row)
            role_type = row.get("roletype", "")
            if role_type not in {"", "primary", "secondary"}:
                self.error(line, "roletype", f"“{role_type}” is not primary or secondary")
            begin = self.date(line, row, "begindate")
            end = self.date(line, row, "enddate")
            if begin and end and end < begin:
                self.error(line, "enddate", "ends before it begins")
            org = self.orgs.get(org_sid)
            if org_sid and org is None:
                self.error(line, "orgsourcedid", f"no org with sourcedId “{org_sid}” in orgs.csv")
            if len(self.result.errors) > errors_before or org is None:
                continue
            current = active and (begin is None or begin <= self.today) and (end is None or end >= self.today)
            if role == "districtAdministrator":
                self.admin_users.setdefault(user_sid, line)
            elif org.type != "school":
                self.result.skipped_roles += 1
            elif current:
                self.principal_roles.setdefault(org_sid, []).append((line, user_sid, role_type != "secondary"))
        self.principal_of: dict[str, str] = {}  # school sourcedId -> user sourcedId
        self.role_lines: dict[str, int] = {}  # user sourcedId -> first line naming them
        for school_sid, roles in self.principal_roles.items():
            primaries = [r for r in roles if r[2]] or roles
            chosen = primaries[0]
            for line, user_sid, _ in primaries[1:]:
                if user_sid != chosen[1]:
                    self.error(
                        line,
                        "usersourcedid",
                        f"{self.orgs[school_sid].name} would have two principals (also on line {chosen[0]})",
                    )
            self.principal_of[school_sid] = chosen[1]
        led: dict[str, tuple[int, str]] = {}
        for school_sid, user_sid in self.principal_of.items():
            line = next(r[0] for r in self.principal_roles[school_sid] if r[1] == user_sid)
            self.role_lines.setdefault(user_sid, line)
            if user_sid in led:
                other_line, other_school = led[user_sid]
                self.error(
                    line,
                    "usersourcedid",
                    f"“{user_sid}” would lead two schools, {self.orgs[other_school].name} and "
                    f"{self.orgs[school_sid].name} (also on line {other_line}); a principal leads one school",
                )
            led.setdefault(user_sid, (line, school_sid))
        for user_sid, line in self.admin_users.items():
            self.role_lines.setdefault(user_sid, line)

    def check_users(self) -> None:
        wanted = set(self.role_lines)
        _, rows = self.rows("users.csv", USER_COLUMNS, keep=lambda row: row.get("sourcedid", "") in wanted)
        self.people: dict[str, PersonRow] = {}
        emails: dict[str, int] = {}
        for line, row in rows:
            sid = row.get("sourcedid", "")
            if sid in self.people:
                self.error(line, "sourcedid", f"duplicate sourcedId “{sid}” (also on line {self.people[sid].line})")
                continue
            errors_before = len(self.result.errors)
            email = row.get("email", "").lower()
            if not email:
                self.error(line, "email", "is empty; Schoolward signs principals and administrators in by email")
            else:
                try:
                    validate_email(email)
                except ValidationError:
                    self.error(line, "email", f"“{email}” is not a valid email address")
                if email in emails:
                    self.error(line, "email", f"{email} is also the email of the user on line {emails[email]}")
                emails.setdefault(email, line)
            enabled = row.get("enableduser", "").lower()
            if enabled not in {"", "true", "false"}:
                self.error(line, "enableduser", f"“{row.get('enableduser')}” is not true or false")
            active = self.status_active(line, row) and enabled != "false"
            given = row.get("preferredgivenname") or row.get("givenname", "")
            family = row.get("preferredfamilyname") or row.get("familyname", "")
            name = " ".join(part for part in (given, family) if part) or email
            if len(self.result.errors) == errors_before:
                self.people[sid] = PersonRow(line=line, sourced_id=sid, email=email, name=name[:150], active=active)
        seen = {row.get("sourcedid", "") for _, row in rows}
        self.file = "roles.csv"
        for user_sid, line in sorted(self.role_lines.items(), key=lambda item: item[1]):
            if user_sid not in seen:
                self.error(line, "usersourcedid", f"no user with sourcedId “{user_sid}” in users.csv")

    # --- planning ------------------------------------------------------------------------
