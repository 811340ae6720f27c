"""Access helpers: the object, or 404 for people who must not know it exists."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def get_visible_or_404[M: Model](user: Any, queryset: QuerySet[M], perm: str, **lookup: Any) -> M:
    """The object matching ``lookup`` if ``user`` has ``perm`` on it; 404 otherwise.

    A missing object and a forbidden one look the same, so ids in URLs reveal nothing.
    """
    obj = queryset.filter(**lookup).first()
    if obj is None or not user.has_perm(perm, obj):
        raise Http404("Not found.")
    return obj


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) when the person may see the page but not do this."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
