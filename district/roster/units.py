"""Units file: central-office and lead-partner units, their heads and staff."""

from __future__ import annotations

from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.models import Cluster, Unit, UnitMembership
from district.roster.checker import RowChecker, touch


class UnitImport(RowChecker):
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
            touch(to_update)
            fields = ["kind", "cluster", "description", "contact_email", "head", "updated_at"]
            bulk_update_with_history(to_update, Unit, fields, batch_size=500)
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
