"""Schools file: code, name, level, cluster and principal (optional: active, feeds_into)."""

from __future__ import annotations

from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from district.models import Cluster, School
from district.roster.checker import RowChecker, parse_bool, parse_level, touch


class SchoolImport(RowChecker):
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
            level = parse_level(row.get("level", ""))
            if level is None:
                labels = ", ".join(label for _, label in School.Level.choices)
                self.error(line, "level", f"“{row.get('level', '')}” is not a school level ({labels})")
            cluster = clusters.get(row.get("cluster", "").lower())
            if cluster is None:
                self.error(line, "cluster", f"unknown cluster “{row.get('cluster', '')}”")
            has_active = "active" in self.header
            active = parse_bool(row.get("active", "")) if has_active else True
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
        if "feeds_into" in self.header:
            self._check_feeders(seen_codes)
        # A principal may move to a school in this file only if their old school is in it too
        # (and so gets its new principal in the same import).
        for line, email, code in moving_principals:
            current = self.users.get(email)
            led = principal_of.get(current.pk) if current else None
            if led is not None and led.code.lower() != code and led.code.lower() not in seen_codes:
                self.error(
                    line, "principal_email", f"{email} already leads {led.name} ({led.code}); change that school first"
                )

    def _check_feeders(self, seen_codes: dict[str, int]) -> None:
        """``feeds_into`` names, by code, the school the students go on to: one already here or
        in this file, never the school itself, and never in a circle."""
        self.feeds: dict[str, str] = {}
        for line, row in self.rows:
            code = row.get("code", "").strip().lower()
            target = row.get("feeds_into", "").strip()
            if not code or not target:
                continue
            if target.lower() == code:
                self.error(line, "feeds_into", "a school cannot feed into itself")
            elif target.lower() not in self.existing and target.lower() not in seen_codes:
                self.error(line, "feeds_into", f"unknown school code “{target}”")
            else:
                self.feeds[code] = target.lower()
        code_of = {school.pk: code for code, school in self.existing.items()}
        after = {c: code_of.get(s.feeds_into_id, "") for c, s in self.existing.items() if s.feeds_into_id}
        after.update({code.lower(): "" for code in seen_codes})
        after.update(self.feeds)
        for start, line in seen_codes.items():
            seen, step = {start}, after.get(start)
            while step:
                if step in seen:
                    self.error(line, "feeds_into", "this feeder pattern would go round in a circle")
                    break
                seen.add(step)
                step = after.get(step)

    def _write_feeders(self, counted: set[str]) -> int:
        """Set each school's ``feeds_into`` once every school in the file exists. Returns how many
        schools, not already counted as created or updated, changed only their feeder link."""
        codes = {values["code"].lower() for _, values, _ in self.planned}
        wanted = {code: self.feeds.get(code, "") for code in codes}
        original = {code: school.code for code, school in self.existing.items()}
        original.update({values["code"].lower(): values["code"] for _, values, _ in self.planned})
        lookup = [original[code] for code in {*codes, *self.feeds.values()} if code in original]
        schools = {school.code.lower(): school for school in School.objects.filter(code__in=lookup)}
        changed = []
        for code, target in wanted.items():
            school = schools.get(code)
            target_id = schools[target].pk if target in schools else None
            if school is not None and school.feeds_into_id != target_id:
                school.feeds_into_id = target_id
                changed.append(school)
        touch(changed)
        bulk_update_with_history(changed, School, ["feeds_into", "updated_at"], batch_size=1000)
        return sum(1 for school in changed if school.code.lower() not in counted)

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
            fields = ["name", "level", "cluster", "principal", "updated_at"]
            fields += ["active"] if "active" in self.header else []
            touch(to_update)
            bulk_update_with_history(to_update, School, fields, batch_size=1000)
        if to_create:
            bulk_create_with_history(to_create, School, batch_size=1000)
        self.result.rows = len(self.planned)
        self.result.created = len(to_create)
        self.result.updated = len(to_update)
        if "feeds_into" in self.header:
            relinked = self._write_feeders({school.code.lower() for school in [*to_update, *to_create]})
            self.result.updated += relinked
            self.result.unchanged -= relinked
