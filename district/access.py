"""Access helpers: the object, or 404 for people who must not know it exists.

They ask the rules directly rather than ``user.has_perm``, which would let a superuser
past every rule; in Schoolward administrators see what their role allows, and no one
but its author reads a private note.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def get_visible_or_404[M: Model](user: Any, queryset: QuerySet[M], perm: str, **lookup: Any) -> M:
    """The object matching ``lookup`` if ``user`` has ``perm`` on it; 404 otherwise.

    A missing object and a forbidden one look the same, so ids in URLs reveal nothing.
    """
    obj = queryset.filter(**lookup).first()
    if obj is None or not can(user, perm, obj):
        raise Http404("Not found.")
    return obj


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) when the person may see the page but not do this."""
    if not can(user, perm, obj):
        raise PermissionDenied


def can(user: Any, perm: str, obj: Any = None) -> bool:
    """Whether the rules allow ``user`` this permission, on ``obj`` when given."""
    return bool(user.is_authenticated and user.is_active and rules.has_perm(perm, user, obj))
