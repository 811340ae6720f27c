"""Background tasks of the documents app, run by ``manage.py db_worker``."""

from __future__ import annotations

from django.tasks import task

from documents.services import document_build


@task()
def build_document(document_id: int) -> str:
    """Build one queued document; see ``documents.services.document_build``."""
    return document_build(document_id=document_id)
