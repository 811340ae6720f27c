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

import csv
import datetime
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.csvimport import ImportFailed, ImportResult, RowError
from district.models import Cluster, School, User
from district.roster.checker import parse_level

FILES = ("manifest.csv", "orgs.csv", "users.csv", "roles.csv")
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
ORG_TYPES = {"department", "district", "local", "national", "school", "state"}
MAX_FILE_BYTES = 200 * 1024 * 1024
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


Row = tuple[int, dict[str, str]]


def files_from_path(path: str | Path) -> dict[str, bytes]:
    """The OneRoster files in a directory or a ZIP file, by lower-case file name."""
    source = Path(path)
    if source.is_dir():
        found = {}
        for child in source.iterdir():
            if child.name.lower() in FILES and child.is_file():
                if child.stat().st_size > MAX_FILE_BYTES:
                    raise ValueError(f"{child.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
                found[child.name.lower()] = child.read_bytes()
        return found
    return files_from_zip(source.read_bytes())


def files_from_zip(data: bytes) -> dict[str, bytes]:
    """The OneRoster files in a ZIP archive (at its top or in one folder), size-checked before reading."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("the file is not a ZIP archive of OneRoster CSV files") from None
    found = {}
    with archive:
        for info in archive.infolist():
            name = info.filename.rsplit("/", 1)[-1].lower()
            if info.is_dir() or name not in FILES:
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise ValueError(f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB")
            found[name] = archive.read(info)
    return found


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


class OneRosterImport:
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

    def rows(self, name: str, columns: tuple[str, ...], keep: set[str] | None = None) -> tuple[list[str], list[Row]]:
        """The header (lower-cased) and rows of one file; with ``keep``, only rows whose sourcedId is in it."""
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
        last_line = key = 0
        try:
            for record in reader:
                start_line, last_line = last_line + 1, reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if header is None:
                    header = [cell.strip().lower() for cell in record]
                    key = header.index("sourcedid") if "sourcedid" in header else 0
                    for column in columns:
                        if column.lower() not in header:
                            self.error(1, column.lower(), "missing column")
                    continue
                values = [cell.strip() for cell in record]
                if keep is not None and (values[key] if key < len(values) else "") not in keep:
                    continue
                rows.append((start_line, {n: values[i] if i < len(values) else "" for i, n in enumerate(header)}))
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

    def run(self) -> None:
        self.check_manifest()
        self.check_orgs()
        self.check_roles()
        self.check_users()
        if not self.result.errors:
            self.plan()
        if self.result.errors:
            raise ImportFailed(self.result)
        with transaction.atomic():
            self.write()

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
        _, rows = self.rows("roles.csv", ROLE_COLUMNS)
        # school sourcedId -> [(line, user sourcedId, primary)]
        self.principal_roles: dict[str, list[tuple[int, str, bool]]] = {}
        self.admin_users: dict[str, int] = {}
        for line, row in rows:
            role = row.get("role", "")
            if role not in {"principal", "districtAdministrator"}:
                continue
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
        _, rows = self.rows("users.csv", USER_COLUMNS, keep=wanted)
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

    def cluster_for(self, org: OrgRow) -> tuple[str, str] | None:
        """The (sourcedId, name) of the school's cluster: its metadata.cluster, or its parent org."""
        if org.cluster_name:
            return "", org.cluster_name
        parent = self.orgs.get(org.parent)
        if parent is not None and parent.type not in {"district", "state", "national"}:
            return parent.sourced_id, parent.name
        return None

    def level_for(self, org: OrgRow, school: School | None) -> str:
        if org.level:
            return org.level
        if school is not None:
            return school.level
        lowered = org.name.lower()
        for word, level in LEVEL_WORDS:
            if word in lowered:
                return level
        return ""

    def plan(self) -> None:
        self.file = "orgs.csv"
        users = list(User.objects.all())
        by_sid = {u.sourced_id: u for u in users if u.sourced_id}
        by_email = {u.email.lower(): u for u in users}
        schools = list(School.objects.select_related("cluster"))
        schools_by_sid = {s.sourced_id: s for s in schools if s.sourced_id}
        schools_by_code = {s.code.lower(): s for s in schools}
        clusters = list(Cluster.objects.all())
        clusters_by_sid = {c.sourced_id: c for c in clusters if c.sourced_id}
        clusters_by_name = {c.name.lower(): c for c in clusters}

        # People: matched by sourcedId, else once by email.
        self.person_plan: dict[str, tuple[User | None, PersonRow]] = {}
        for sid, person in self.people.items():
            user = by_sid.get(sid)
            owner = by_email.get(person.email)
            if user is None and owner is not None and owner.sourced_id and owner.sourced_id != sid:
                self.file = "users.csv"
                self.error(
                    person.line,
                    "email",
                    f"{person.email} belongs to the person with sourcedId “{owner.sourced_id}” in Schoolward",
                )
                continue
            if user is not None and owner is not None and owner.pk != user.pk:
                self.file = "users.csv"
                self.error(person.line, "email", f"{person.email} is already the email of {owner.full_name}")
                continue
            self.person_plan[sid] = (user or owner, person)

        # Clusters: by sourcedId, else by name.
        self.file = "orgs.csv"
        self.cluster_plan: dict[str, tuple[Cluster | None, str, str]] = {}  # key -> (cluster, sid, name)
        self.school_plan: list[tuple[School | None, OrgRow, str, str]] = []  # (school, org, cluster key, level)
        for org in self.orgs.values():
            if org.type != "school":
                continue
            school = schools_by_sid.get(org.sourced_id)
            coded = schools_by_code.get(org.identifier.lower())
            if school is None and coded is not None and coded.sourced_id and coded.sourced_id != org.sourced_id:
                self.error(
                    org.line,
                    "identifier",
                    f"school code {org.identifier} belongs to the school with sourcedId “{coded.sourced_id}”",
                )
                continue
            if school is not None and coded is not None and coded.pk != school.pk:
                self.error(org.line, "identifier", f"school code {org.identifier} is already {coded.name}'s")
                continue
            school = school or coded
            found = self.cluster_for(org)
            if found is None:
                self.error(
                    org.line,
                    "parentsourcedid",
                    "the school has no cluster: give it a parent org below the district, or a metadata.cluster value",
                )
                continue
            cluster_sid, cluster_name = found
            key = f"sid:{cluster_sid}" if cluster_sid else f"name:{cluster_name.lower()}"
            if key not in self.cluster_plan:
                existing = clusters_by_sid.get(cluster_sid) if cluster_sid else None
                existing = existing or clusters_by_name.get(cluster_name.lower())
                self.cluster_plan[key] = (existing, cluster_sid, cluster_name)
            level = self.level_for(org, school)
            if not level:
                self.error(
                    org.line,
                    "metadata.level",
                    "cannot tell the school's level from its name; add a metadata.level column "
                    "(elementary, middle, high, k-8 or k-12)",
                )
                continue
            self.school_plan.append((school, org, key, level))
        names = Counter(name.lower() for _, _, name in self.cluster_plan.values())
        for _, sid, name in self.cluster_plan.values():
            if sid and names[name.lower()] > 1:
                self.error(self.orgs[sid].line, "name", f"two clusters would be called “{name}”")
                names[name.lower()] = 0
        self.check_cluster_wipe(schools)

    def check_cluster_wipe(self, schools: list[School]) -> None:
        """Refuse a file set that leaves a cluster which has principals today with none at all."""

        def cluster_key(key: str) -> str:
            cluster = self.cluster_plan[key][0]
            return f"id:{cluster.pk}" if cluster is not None else key

        principal_after: dict[int, int | None] = {s.pk: s.principal_id for s in schools}
        cluster_after = {s.pk: f"id:{s.cluster_id}" for s in schools}
        new_schools_led: Counter[str] = Counter()
        taken: set[int] = set()
        for school, org, key, _ in self.school_plan:
            user_sid = self.principal_of.get(org.sourced_id)
            user = self.person_plan[user_sid][0] if user_sid in self.person_plan else None
            if user is not None and user.pk:
                taken.add(user.pk)
            if school is None:
                if user_sid:
                    new_schools_led[cluster_key(key)] += 1
                continue
            cluster_after[school.pk] = cluster_key(key)
            principal_after[school.pk] = ((user.pk if user is not None else None) or -1) if user_sid else None
        planned = {school.pk for school, _, _, _ in self.school_plan if school is not None}
        for pk, principal_id in principal_after.items():
            if pk not in planned and principal_id in taken:
                principal_after[pk] = None  # their school in this file takes them from this one
        before = Counter(f"id:{s.cluster_id}" for s in schools if s.principal_id)
        after = Counter(cluster_after[pk] for pk, principal_id in principal_after.items() if principal_id)
        after.update(new_schools_led)
        names = {f"id:{c.pk}": c.name for c in Cluster.objects.all()}
        for key, count in sorted(before.items()):
            if after[key]:
                continue
            self.result.needs_confirmation = True
            if self.confirm:
                continue
            self.file = "roles.csv"
            self.error(
                0,
                "",
                f"this file set would leave cluster “{names.get(key, key)}” with no principal (it has {count} "
                "today), which is most often a partial export; if it is right, confirm the import (--confirm, "
                "or the box on the upload page)",
            )

    # --- writing -------------------------------------------------------------------------

    def write(self) -> None:
        now = timezone.now()
        users = self.write_people(now)
        clusters = self.write_clusters(now)
        self.write_schools(users, clusters, now)

    def write_people(self, now: datetime.datetime) -> dict[str, User]:
        to_create: list[User] = []
        to_update: list[User] = []
        by_sid: dict[str, User] = {}
        for sid, (user, person) in self.person_plan.items():
            if user is None:
                user = User(
                    email=person.email,
                    full_name=person.name,
                    sourced_id=sid,
                    is_active=person.active,
                    password=self._unusable_password,
                )
                to_create.append(user)
            elif (user.email, user.full_name, user.sourced_id, user.is_active) != (
                person.email,
                person.name,
                sid,
                person.active,
            ):
                user.email, user.full_name, user.sourced_id, user.is_active = (
                    person.email,
                    person.name,
                    sid,
                    person.active,
                )
                to_update.append(user)
                self.result.changes.append(f"person {person.email}")
            by_sid[sid] = user
        if to_update:
            User.objects.bulk_update(to_update, ["email", "full_name", "sourced_id", "is_active"], batch_size=1000)
        if to_create:
            User.objects.bulk_create(to_create, batch_size=1000)
            created = {u.sourced_id: u for u in User.objects.filter(sourced_id__in=[u.sourced_id for u in to_create])}
            by_sid.update(created)
        self.result.people = len(self.person_plan)
        self.result.created += len(to_create)
        self.result.updated += len(to_update)
        return by_sid

    def write_clusters(self, now: datetime.datetime) -> dict[str, Cluster]:
        result: dict[str, Cluster] = {}
        for key, (cluster, sid, name) in self.cluster_plan.items():
            if cluster is None:
                cluster = Cluster.objects.create(name=name, sourced_id=sid)
                self.result.created += 1
            elif (sid and cluster.sourced_id != sid) or (sid and cluster.name != name):
                cluster.sourced_id, cluster.name = sid, name
                cluster.save(update_fields=["sourced_id", "name", "updated_at"])
                self.result.updated += 1
            result[key] = cluster
        return result

    def write_schools(self, users: dict[str, User], clusters: dict[str, Cluster], now: datetime.datetime) -> None:
        to_create: list[School] = []
        to_update: list[School] = []
        planned_ids = set()
        for school, org, key, level in self.school_plan:
            user_sid = self.principal_of.get(org.sourced_id)
            values: dict[str, Any] = {
                "name": org.name[:150],
                "code": org.identifier,
                "level": level,
                "cluster_id": clusters[key].pk,
                "active": org.active,
                "sourced_id": org.sourced_id,
                "principal_id": users[user_sid].pk if user_sid else None,
            }
            if school is None:
                to_create.append(School(**values, updated_at=now))
                continue
            planned_ids.add(school.pk)
            if any(getattr(school, k) != v for k, v in values.items()):
                if school.principal_id and values["principal_id"] != school.principal_id:
                    self.result.ended += 1
                for k, v in values.items():
                    setattr(school, k, v)
                school.updated_at = now
                to_update.append(school)
            else:
                self.result.unchanged += 1
        leaders = {s.principal_id for s in to_update + to_create if s.principal_id}
        # A principal who now leads a school in this file leaves any school outside it.
        elsewhere = list(School.objects.filter(principal_id__in=leaders).exclude(pk__in=planned_ids))
        for school in elsewhere:
            school.principal_id = None
            school.updated_at = now
            self.result.ended += 1
        changing = to_update + elsewhere
        if changing:
            School.objects.filter(pk__in=[s.pk for s in changing]).update(principal=None)
            fields = ["name", "code", "level", "cluster", "active", "sourced_id", "principal", "updated_at"]
            bulk_update_with_history(changing, School, fields, batch_size=1000)
        if to_create:
            bulk_create_with_history(to_create, School, batch_size=1000)
        self.result.rows = len(self.school_plan)
        self.result.created += len(to_create)
        self.result.updated += len(to_update) + len(elsewhere)
