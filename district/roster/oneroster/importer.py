"""From checked files to a plan (schools, clusters, principals), the cluster guard, and the writes."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.csvimport import ImportFailed
from district.models import Cluster, School, User
from district.roster.oneroster.reader import LEVEL_WORDS, FileSetReader, OrgRow, PersonRow


class OneRosterImport(FileSetReader):
    """Checks the files, plans the changes against the database, and writes them in one transaction."""

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
