"""Jobs of the lägesbild: documents (PDF, XLSX), their cleanup and the weekly e-mail digest."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from samtrygg.core.jobs import already_done, in_queued_language, job, set_progress
from samtrygg.core.links import site_url
from samtrygg.core.weeks import iso_week

logger = logging.getLogger("samtrygg.situation")

DIGEST_JOB = "samtrygg.situation.send_weekly_digest"
PARTNERSHIP_DIGEST_JOB = "samtrygg.situation.send_partnership_digest"
CLEANUP_DOCUMENTS_JOB = "samtrygg.situation.cleanup_documents"
DOCUMENT_DIR = "dokument"
# Who got which week's digest is only needed within the week; older rows are removed.
DIGEST_DELIVERY_KEEP = dt.timedelta(weeks=8)


def _current_task_id() -> str | None:
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "id", None)


@job("samtrygg.situation.generate_document", title=gettext_lazy("Dokument att ladda ned"))
def generate_document(
    document_id: int, partnership_id: int | None = None, idempotency_key: str = ""
) -> str:
    """Render a document and store it under MEDIA_ROOT (once per key)."""
    from samtrygg.situation.exports import render_document
    from samtrygg.situation.models import GeneratedDocument

    document = (
        GeneratedDocument.objects.select_related("partnership").filter(pk=document_id).first()
    )
    if document is None:  # removed by the cleanup before a late (re-sent) message ran
        with in_queued_language():
            return _("Dokumentet finns inte längre; inget skapades.")
    if document.is_ready:  # made already under this key (a retried or re-sent message)
        return "skipped"
    task_id = _current_task_id()
    with in_queued_language():
        set_progress(task_id, 10, _("Dokumentet skapas …"))
    data = render_document(document)
    with in_queued_language():
        set_progress(task_id, 90, _("Dokumentet sparas …"))
    document.file.save(
        f"{document.partnership_id}/{document.key}.{document.format}",
        ContentFile(data),
        save=False,
    )
    document.finished_at = timezone.now()
    document.save(update_fields=["file", "finished_at"])
    with in_queued_language():
        return _("%(name)s skapades (%(kb)d kB).") % {
            "name": document.filename,
            "kb": max(1, len(data) // 1024),
        }


# --- Cleanup of generated documents ---------------------------------------------------------


def _expired_documents(cutoff: dt.datetime) -> QuerySet[Any]:
    """Documents made (or, unfinished, asked for) before ``cutoff`` whose job is not queued or
    running: a worker still rendering one would otherwise write a file without a row. A job
    queued before the cutoff and never finished (its message lost, its worker killed) no
    longer counts as running, or its document would be kept for ever."""
    from samtrygg.core.models import JobRun, JobStatus
    from samtrygg.situation.models import GeneratedDocument

    active = JobRun.objects.filter(
        task_id=OuterRef("task_id"),
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        queued_at__gte=cutoff,
    )
    return (
        GeneratedDocument.objects.annotate(made_at=Coalesce("finished_at", "created_at"))
        .filter(made_at__lt=cutoff)
        .exclude(Exists(active))
    )


def _remove_document(pk: int, cutoff: dt.datetime) -> bool:
    """Delete one document's row and file together; False when it is no longer expired."""
    from samtrygg.situation.models import GeneratedDocument

    with transaction.atomic():
        # Lock the row first, then check again in a statement of its own: a request that
        # asked for the document anew (exports locks the row too) has committed its new job
        # by the time the lock is ours, and PostgreSQL's read-committed snapshot of a separate
        # statement sees it, where a re-check inside the locking statement would not.
        document = GeneratedDocument.objects.select_for_update().filter(pk=pk).first()
        if document is None or not _expired_documents(cutoff).filter(pk=pk).exists():
            return False
        name = document.file.name
        storage = document.file.storage
        document.delete()
        if name:
            # Inside the transaction, after the row: if the file cannot be deleted the row is
            # kept too and the next run tries again. A file that is already gone is fine
            # (Storage.delete ignores it).
            storage.delete(name)
    return True


def _remove_orphan_files(cutoff: dt.datetime) -> int:
    """Delete stored document files that no row refers to and that are older than the cutoff:
    left by a worker that died between saving a file and its row, or by a picture, meeting or
    partnership deleted together with its documents. New files are never touched, so a job
    saving one right now is safe."""
    from django.core.files.storage import default_storage

    from samtrygg.situation.models import GeneratedDocument

    referenced = set(GeneratedDocument.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    pending = [DOCUMENT_DIR]
    while pending:
        folder = pending.pop()
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending += [f"{folder}/{sub}" for sub in folders]
        for filename in files:
            name = f"{folder}/{filename}"
            if name in referenced:
                continue
            try:
                if default_storage.get_modified_time(name) >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            default_storage.delete(name)
            removed += 1
    return removed


@job(CLEANUP_DOCUMENTS_JOB, title=gettext_lazy("Rensning av gamla dokument"))
def cleanup_documents(idempotency_key: str = "") -> str:
    """Scheduled nightly: delete generated documents older than
    SAMTRYGG_DOCUMENT_RETENTION_DAYS, row and file together, keeping those whose job is still
    queued or running. Running it again removes nothing more."""
    if idempotency_key and already_done(idempotency_key):
        return "skipped"
    from samtrygg.situation.exports import retention_days

    days = retention_days()
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = failed = 0
    for pk in _expired_documents(cutoff).values_list("pk", flat=True):
        try:
            removed += _remove_document(pk, cutoff)
        except OSError:
            # One file that cannot be deleted must not stop the rest; its row stays with it.
            logger.exception("Dokument %s kunde inte tas bort", pk)
            failed += 1
    orphans = _remove_orphan_files(cutoff)
    logger.info(
        "Gamla dokument borttagna: %d (gräns %d dygn), filer utan dokument: %d, fel: %d",
        removed,
        days,
        orphans,
        failed,
    )
    if failed:
        # Fail the job so the job log shows it; what was removed stays removed.
        with in_queued_language():
            raise RuntimeError(
                ngettext(
                    "%(n)d dokument kunde inte tas bort; se loggen.",
                    "%(n)d dokument kunde inte tas bort; se loggen.",
                    failed,
                )
                % {"n": failed}
            )
    with in_queued_language():
        removed_text = ngettext(
            "%(n)d dokument borttaget.", "%(n)d dokument borttagna.", removed
        ) % {"n": removed}
        limit_text = ngettext("Gränsen är %(d)d dag.", "Gränsen är %(d)d dagar.", days) % {
            "d": days
        }
        return f"{removed_text} {limit_text}"


# --- The weekly digest -------------------------------------------------------------------


def digest_key(partnership_id: int, today: dt.date) -> str:
    return f"situation-digest-{partnership_id}-{iso_week(today)}"


def digest_text(partnership: Any, today: dt.date) -> tuple[str, str] | None:
    """(subject, body) of a partnership's digest, or None without an adopted picture.

    Only what every member may see: the adopted picture's levels and counts per delområde
    and how many actions are due; no report, no reporter, no action that must not be
    published is named.
    """
    from samtrygg.situation import extensions
    from samtrygg.situation.documents import summary_lines
    from samtrygg.situation.models import PictureStatus, SituationPicture

    picture = (
        SituationPicture.objects.filter(partnership=partnership, status=PictureStatus.ADOPTED)
        .prefetch_related("levels")
        .order_by("-adopted_at", "-period_index")
        .first()
    )
    if picture is None:
        return None
    total = sum(int(a.get("count") or 0) for a in picture.snapshot.get("areas", []))
    _year, week, _day = today.isocalendar()
    lines = [
        _("Hej!"),
        "",
        _("Här är veckans sammanfattning för %(p)s (vecka %(w)d).")
        % {"p": partnership.name, "w": week},
        "",
        _("Senast antagna lägesbild: %(label)s, version %(v)d.")
        % {"label": picture.period_label, "v": picture.version},
        _("Händelser i perioden: %(n)d.") % {"n": total},
        "",
        _("Nivå per delområde:"),
        *summary_lines(picture),
        *extensions.digest_lines(partnership, today),
    ]
    lines += [
        "",
        _("Lägesbilden: %(url)s") % {"url": f"{site_url()}/lagesbild/{picture.pk}/"},
        "",
        _("Vill du inte få sammanfattningen? Stäng av den under Konto: %(url)s")
        % {"url": f"{site_url()}/konto/"},
    ]
    subject = _("Veckans lägesbild för %(p)s – vecka %(w)d") % {"p": partnership.name, "w": week}
    return subject, "\n".join(lines) + "\n"


@job(PARTNERSHIP_DIGEST_JOB, title=gettext_lazy("Veckobrev till en samverkan"))
def send_partnership_digest(partnership_id: int, idempotency_key: str = "") -> str:
    """The digest of one partnership to its members (once per ISO week and partnership).

    Each member's mail is recorded in DigestDelivery, so a run after a failure partway (a
    mail server that gave up on the fifth member) sends only to those who did not get it.
    """
    from django.contrib.auth import get_user_model

    from samtrygg.core.models import Partnership
    from samtrygg.situation.models import DigestDelivery

    today = timezone.localdate()
    key = idempotency_key or digest_key(partnership_id, today)
    if already_done(key):
        return "skipped"
    partnership = Partnership.objects.get(pk=partnership_id)
    with override("sv"):
        text = digest_text(partnership, today)
        if text is None:
            with in_queued_language():
                return _("Ingen antagen lägesbild; ingen sammanfattning skickad.")
        subject, body = text
        week = iso_week(today)
        delivered = DigestDelivery.objects.filter(partnership=partnership, week=week)
        users = (
            get_user_model()
            .objects.filter(
                memberships__partnership=partnership, is_active=True, digest_opt_out=False
            )
            .exclude(email="")
            .exclude(pk__in=delivered.values("user_id"))
            .distinct()
            .order_by("pk")
        )
        sent = 0
        for user in users:
            try:
                with transaction.atomic():
                    # The row first, then the mail, in one transaction: a failed send leaves
                    # no row (a rerun sends it), and a run at the same time blocks on the
                    # unique row and then skips the member instead of mailing twice.
                    DigestDelivery.objects.create(partnership=partnership, user=user, week=week)
                    send_mail(subject, body, from_email=None, recipient_list=[user.email])
            except IntegrityError:
                continue
            sent += 1
        logger.info("Veckosammanfattning %s för %s: %d skickade", week, partnership.pk, sent)
    with in_queued_language():
        return ngettext(
            "%(n)d sammanfattning skickad.", "%(n)d sammanfattningar skickade.", sent
        ) % {"n": sent}


@job(DIGEST_JOB, title=gettext_lazy("Veckobrev"))
def send_weekly_digest(idempotency_key: str = "", partnership_id: int | None = None) -> str:
    """Scheduled on Monday mornings: one digest job per partnership (each idempotent per
    ISO week, so a second run in the same week sends nothing)."""
    from samtrygg.core.models import Partnership
    from samtrygg.situation.models import DigestDelivery

    DigestDelivery.objects.filter(sent_at__lt=timezone.now() - DIGEST_DELIVERY_KEEP).delete()
    today = timezone.localdate()
    partnerships = Partnership.objects.order_by("pk")
    if partnership_id is not None:
        partnerships = partnerships.filter(pk=partnership_id)
    queued = 0
    for partnership in partnerships:
        key = digest_key(partnership.pk, today)
        if already_done(key):
            continue
        send_partnership_digest.delay(partnership_id=partnership.pk, idempotency_key=key)
        queued += 1
    logger.info("Veckosammanfattningar köade: %d", queued)
    with in_queued_language():
        return ngettext(
            "%(n)d samverkan fick sin veckosammanfattning köad.",
            "%(n)d samverkan fick sin veckosammanfattning köad.",
            queued,
        ) % {"n": queued}
