"""The kinds of document the worker builds, registered by the apps that own them.

An app offering a long document declares it in its ``documents.py`` (found when the apps
load) with ``register(DocumentKind(...))``: who may have it, what its inputs' versions
are, and how to build it. The documents app knows nothing else about cycles or menus.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Model
from django.utils import timezone

Params = dict[str, Any]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document.

    ``allowed(user, params)`` is the permission of the page that offers it (someone who
    may not have the document gets a 404 for its id); ``inputs(params)`` returns the
    versions of everything the document reads, cheaply (counts, latest ids and change
    times); ``build(params)`` returns the PDF's bytes. Raise ``version`` when the template
    or the reading changes, so documents built the old way are not served again.
    """

    name: str
    title: Callable[[Params], str]
    filename: Callable[[Params], str]
    allowed: Callable[[Any, Params], bool]
    inputs: Callable[[Params], Iterable[object]]
    build: Callable[[Params], bytes]
    version: int = 1


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> DocumentKind:
    return KINDS[name]


def document_key(kind: str, params: Params) -> str:
    """The kind and its parameters as one string, the same for the same request."""
    return f"{kind}:{json.dumps(params, sort_keys=True, separators=(',', ':'))}"


def fingerprint(kind: DocumentKind, params: Params) -> str:
    """A digest of the document's version, its parameters, today's date and its inputs' versions.

    Today's date is in because the documents read "overdue", "this year" and "closed by
    today": a document built yesterday is rebuilt once today even if no row changed.
    """
    parts = [kind.version, document_key(kind.name, params), timezone.localdate().isoformat(), *kind.inputs(params)]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def table_version(model: type[Model], **filters: Any) -> tuple[object, ...]:
    """How many rows, the latest id and, when the model has one, the latest change time.

    A new row raises the latest id, a deleted one lowers the count, an edit moves
    ``updated_at``: together they change whenever the rows a document reads change.
    """
    fields = {f.name for f in model._meta.get_fields()}
    aggregates: dict[str, Any] = {"n": Count("pk"), "last": Max("pk")}
    for stamp in ("updated_at", "built_at", "created_at"):
        if stamp in fields:
            aggregates["changed"] = Max(stamp)
            break
    values = model._default_manager.filter(**filters).aggregate(**aggregates)
    return (model._meta.label, *(values[name] for name in sorted(values)))
