"""Readable change history: who changed what, and when, from django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    kind: str
    fields: list[str]


def history_rows(history: Any, *, limit: int = 20, hidden: frozenset[str] = frozenset()) -> list[Change]:
    """The latest changes, newest first, each naming the fields it changed (one query)."""
    records = list(history.select_related("history_user").order_by("-history_date")[: limit + 1])
    changes = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields: list[str] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            fields = [
                str(record.instance_type._meta.get_field(change.field).verbose_name)
                for change in delta.changes
                if change.field not in hidden
            ]
        user = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=user.full_name if user else "the system",
                kind=record.get_history_type_display(),
                fields=fields,
            )
        )
    return changes
