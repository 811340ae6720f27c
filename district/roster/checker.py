"""What every roster file shares: people, emails, dates, and writing only a clean file."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from district.csvimport import ImportFailed, ImportResult, Row, RowError
from district.models import School, User


class RowChecker:
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
            raise ImportFailed(self.result)
        with transaction.atomic():
            self.save_people()
            self.write()

    def check(self) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError


def touch(objects: Iterable[Any]) -> None:
    """Mark rows as changed now: bulk updates skip ``auto_now``, and the API's updated_since reads it."""
    now = timezone.now()
    for obj in objects:
        obj.updated_at = now


def parse_level(value: str) -> str | None:
    wanted = value.strip().lower().replace(" ", "").replace("-", "")
    for choice, label in School.Level.choices:
        if wanted in {choice, label.lower().replace("-", "").replace(" ", "")}:
            return choice
    return None


def parse_bool(value: str, default: bool = True) -> bool | None:
    if value == "":
        return default
    lowered = value.lower()
    if lowered in {"1", "yes", "y", "true", "active"}:
        return True
    if lowered in {"0", "no", "n", "false", "inactive", "closed"}:
        return False
    return None
