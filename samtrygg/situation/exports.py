"""Documents made by background jobs: the adopted lägesbild (PDF, XLSX) and meeting minutes
(PDF, XLSX). Asking for one queues a job (or reuses the document already made for the same
content); the file is stored under MEDIA_ROOT and handed out only by the download page, with
the same permission check as the page it comes from. Documents are deleted after
SAMTRYGG_DOCUMENT_RETENTION_DAYS by a nightly job (``tasks.cleanup_documents``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.models import JobRun, JobStatus, Role
from samtrygg.core.permissions import Actor
from samtrygg.situation import documents, queries
from samtrygg.situation.extensions import DocumentKindHandler, document_kind, register_document_kind
from samtrygg.situation.models import (
    DocumentAudience,
    DocumentFormat,
    DocumentKind,
    GeneratedDocument,
    SituationPicture,
)
from samtrygg.situation.tasks import generate_document

GENERATE_JOB = "samtrygg.situation.generate_document"
# Who gets the full document (with what only they see): the roles that see every action.
FULL_DOCUMENT_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER})
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def retention_days() -> int:
    """How many days a generated document is kept (at least one: with 0 a document could
    vanish between being made and being downloaded)."""
    return max(1, int(settings.SAMTRYGG_DOCUMENT_RETENTION_DAYS))


def _gone() -> NotFound:
    # The same words for a document that never existed, one of another partnership and one
    # the cleanup removed: which of them it was must not show.
    days = retention_days()
    return NotFound(
        ngettext(
            "Dokumentet finns inte eller har tagits bort. Skapade dokument sparas i %(d)d "
            "dag; skapa det igen från lägesbilden eller mötet.",
            "Dokumentet finns inte eller har tagits bort. Skapade dokument sparas i %(d)d "
            "dagar; skapa det igen från lägesbilden eller mötet.",
            days,
        )
        % {"d": days}
    )


def _file_exists(document: GeneratedDocument) -> bool:
    return bool(document.file) and document.file.storage.exists(document.file.name)


def check_format(fmt: str) -> str:
    if fmt not in DocumentFormat.values:
        raise NotFound(_("Posten finns inte."))
    return fmt


def _full(actor: Actor) -> bool:
    return actor.has(FULL_DOCUMENT_ROLES)


def queue(actor: Actor, document: GeneratedDocument) -> GeneratedDocument:
    """Queue the job for a document unless it is made, queued or running already."""
    if document.is_ready:
        if _file_exists(document):
            return document
        # The row outlived its file (removed by hand, or lost with the disk): make it anew
        # instead of pointing at a download that cannot work.
        document.file = ""
        document.finished_at = None
        document.save(update_fields=["file", "finished_at"])
    if document.task_id:
        run = JobRun.objects.filter(task_id=document.task_id).first()
        if run is not None and run.status in (JobStatus.QUEUED, JobStatus.RUNNING):
            return document
    task_id = str(uuid.uuid4())
    document.task_id = task_id
    document.save(update_fields=["task_id"])
    JobRun.objects.get_or_create(
        task_id=task_id,
        defaults={
            "name": GENERATE_JOB,
            "partnership": actor.partnership,
            "idempotency_key": document.key,
        },
    )
    kwargs = {
        "document_id": document.pk,
        "partnership_id": actor.partnership.pk,
        "idempotency_key": document.key,
    }
    transaction.on_commit(
        lambda: generate_document.apply_async(kwargs=kwargs, task_id=task_id), robust=False
    )
    return document


def request_document(actor: Actor, key: str, defaults: dict[str, Any]) -> GeneratedDocument:
    """The document named ``key`` (its content: version or revision, format, audience),
    made by a job unless it is made or on its way already."""
    with transaction.atomic():
        # Locked: the nightly clean-up must not remove the row while it is queued anew.
        document, _created = GeneratedDocument.objects.select_for_update().get_or_create(
            key=key,
            defaults={"partnership": actor.partnership, "created_by": actor.user, **defaults},
        )
        return queue(actor, document)


def request_picture_document(
    actor: Actor, picture: SituationPicture, fmt: str
) -> GeneratedDocument:
    """The adopted picture as PDF or XLSX, made by a job (one per version, format and
    audience). Drafts are not made as documents: they change."""
    fmt = check_format(fmt)
    if not picture.is_frozen:
        raise DomainError(_("Bara en antagen lägesbild kan skapas som dokument."))
    audience = DocumentAudience.FULL if _full(actor) else DocumentAudience.ADOPTED
    key = f"lagesbild-{picture.pk}-v{picture.version}-{fmt}-{audience}"
    return request_document(
        actor,
        key,
        {
            "kind": DocumentKind.PICTURE,
            "format": fmt,
            "audience": audience,
            "picture": picture,
            "filename": f"lagesbild-{picture.period_label}-v{picture.version}.{fmt}",
        },
    )


def document(actor: Actor, pk: Any) -> GeneratedDocument:
    """A document of the actor's partnership that the actor may see: the same check as the
    page it was made from (another partnership's document is 404)."""
    try:
        found = GeneratedDocument.objects.filter(pk=int(pk), partnership=actor.partnership).first()
    except (TypeError, ValueError) as exc:
        raise _gone() from exc
    if found is None:
        raise _gone()
    document_kind(found.kind).check(actor, found)
    if found.is_ready and not _file_exists(found):
        raise _gone()
    return found


def document_bytes(document: GeneratedDocument) -> bytes:
    """The stored file's bytes; NotFound when the file is gone (the cleanup may remove it
    between the permission check and the read), so the download is a 404, not a 500."""
    try:
        with document.file.open("rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError as exc:
        raise _gone() from exc
    return data


def render_document(document: GeneratedDocument) -> bytes:
    """The bytes of a document, rendered for its audience (no user: a job makes it)."""
    roles = {Role.SAMORDNARE} if document.audience == DocumentAudience.FULL else {Role.STYRGRUPP}
    actor = Actor(
        user=None,
        partnership=document.partnership,
        roles=frozenset(roles),
        organisation_ids=frozenset(),
    )
    return document_kind(document.kind).render(actor, document)


def _check_picture(actor: Actor, document: GeneratedDocument) -> None:
    queries.picture(actor, document.picture_id)
    if document.audience == DocumentAudience.FULL and not _full(actor):
        raise _gone()


def _render_picture(actor: Actor, document: GeneratedDocument) -> bytes:
    picture = SituationPicture.objects.prefetch_related("levels").get(pk=document.picture_id or 0)
    if document.format == DocumentFormat.PDF:
        return documents.picture_pdf(actor, picture)
    return documents.picture_xlsx(picture)


register_document_kind(
    DocumentKind.PICTURE, DocumentKindHandler(render=_render_picture, check=_check_picture)
)
