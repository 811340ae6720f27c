"""Asking for a document and building it.

``document_request`` finds the document for the inputs as they stand now or queues a new
one; ``document_build`` (run by the worker through ``documents.tasks.build_document``)
renders it and keeps the bytes. A document whose build was lost (worker killed) is queued
again when someone asks for it after ``STALE_AFTER``.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.kinds import Params, document_key, fingerprint, get_kind
from documents.models import Document

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)


def _enqueue(document: Document) -> None:
    """Hand the document to the worker.

    With the database queue the task row is written in the current transaction, so it
    exists exactly when the document row does; the immediate backend (tests) builds it
    here and now.
    """
    from documents.tasks import build_document

    build_document.enqueue(document_id=document.pk)


def document_request(*, kind: str, params: Params, user: Any = None, path: str = "") -> Document:
    """The document of ``kind`` for ``params`` as the data stands now: stored, or queued to be built.

    Returns the document without its bytes when it is not ready; check ``status``.
    """
    spec = get_kind(kind)
    key = document_key(kind, params)
    digest = fingerprint(spec, params)
    now = timezone.now()
    with transaction.atomic():
        document = Document.objects.filter(key=key, fingerprint=digest).first()
        if document is None:
            try:
                with transaction.atomic():
                    document = Document.objects.create(
                        kind=kind,
                        params=params,
                        key=key,
                        fingerprint=digest,
                        title=spec.title(params),
                        filename=spec.filename(params),
                        requested_by=user if getattr(user, "is_authenticated", False) else None,
                        requested_path=path[:500],
                        requested_at=now,
                    )
            except IntegrityError:
                # Someone asked for the same document at the same moment: theirs is ours.
                return Document.objects.get(key=key, fingerprint=digest)
            _enqueue(document)
        elif document.status == Document.Status.FAILED or (
            document.waiting and document.requested_at < now - STALE_AFTER
        ):
            document.status = Document.Status.QUEUED
            document.error = ""
            document.requested_at = now
            document.started_at = None
            document.save(update_fields=["status", "error", "requested_at", "started_at"])
            _enqueue(document)
    document.refresh_from_db()
    return document


def document_build(*, document_id: int) -> str:
    """Render the document and keep its bytes; on failure keep the error instead.

    Once built, older versions of the same document (other fingerprints) are deleted.
    Returns the document's status.
    """
    document = Document.objects.defer("content").filter(pk=document_id).first()
    if document is None or document.status == Document.Status.READY:
        return document.status if document else "missing"
    Document.objects.filter(pk=document.pk).update(status=Document.Status.BUILDING, started_at=timezone.now())
    try:
        content = get_kind(document.kind).build(document.params)
    except Exception as error:
        logger.exception("Building document %s (%s) failed", document.pk, document.kind)
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return Document.Status.FAILED
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.READY, content=content, size=len(content), built_at=timezone.now(), error=""
    )
    Document.objects.filter(key=document.key, status=Document.Status.READY).exclude(pk=document.pk).delete()
    return Document.Status.READY
