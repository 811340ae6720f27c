"""Readable change history: who changed what, and when, from django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst

# Kept for the system's own use: a reader learns nothing from them.
BOOKKEEPING = frozenset({"version", "created_at", "updated_at"})


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    kind: str
    fields: list[str]


def history_rows(history: Any, *, limit: int = 20, hidden: frozenset[str] = frozenset()) -> list[Change]:
    """The latest changes, newest first, each naming the fields it changed by their verbose names (one query).

    Bookkeeping fields, and the model's own ``hidden`` ones, are never named; a change of
    nothing but those is left out, unless the record's version moved (a person saved it,
    perhaps changing what the history does not follow, such as its related rows).
    """
    left_out = BOOKKEEPING | hidden
    records = list(history.select_related("history_user").order_by("-history_date")[: limit + 1])
    changes = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields: list[str] = []
        if previous is not None and record.history_type == "~":
            changed = {change.field for change in record.diff_against(previous).changes}
            fields = [
                str(capfirst(field.verbose_name))
                for field in record.instance_type._meta.fields  # in the order the model lists them
                if field.name in changed and field.name not in left_out
            ]
            if not fields and "version" not in changed:
                continue
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
