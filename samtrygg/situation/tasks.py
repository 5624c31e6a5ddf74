"""Jobs of the lägesbild: documents (PDF, XLSX) and the weekly e-mail digest."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from samtrygg.core.jobs import already_done, job, set_progress

logger = logging.getLogger("samtrygg.situation")

DIGEST_JOB = "samtrygg.situation.send_weekly_digest"
PARTNERSHIP_DIGEST_JOB = "samtrygg.situation.send_partnership_digest"


def _current_task_id() -> str | None:
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "id", None)


@job("samtrygg.situation.generate_document")
def generate_document(
    document_id: int, partnership_id: int | None = None, idempotency_key: str = ""
) -> str:
    """Render a document and store it under MEDIA_ROOT (once per key)."""
    from samtrygg.situation.exports import render_document
    from samtrygg.situation.models import GeneratedDocument

    document = GeneratedDocument.objects.select_related("partnership").get(pk=document_id)
    if document.is_ready:  # made already under this key (a retried or re-sent message)
        return "skipped"
    task_id = _current_task_id()
    set_progress(task_id, 10, _("Dokumentet skapas …"))
    data = render_document(document)
    set_progress(task_id, 90, _("Dokumentet sparas …"))
    document.file.save(
        f"{document.partnership_id}/{document.key}.{document.format}",
        ContentFile(data),
        save=False,
    )
    document.finished_at = timezone.now()
    document.save(update_fields=["file", "finished_at"])
    return _("%(name)s skapades (%(kb)d kB).") % {
        "name": document.filename,
        "kb": max(1, len(data) // 1024),
    }


# --- The weekly digest -------------------------------------------------------------------


def digest_key(partnership_id: int, today: dt.date) -> str:
    year, week, _day = today.isocalendar()
    return f"situation-digest-{partnership_id}-{year}-W{week:02d}"


def _base_url() -> str:
    origins = settings.CSRF_TRUSTED_ORIGINS
    return origins[0].rstrip("/") if origins else "http://127.0.0.1:8000"


def digest_text(partnership: Any, today: dt.date) -> tuple[str, str] | None:
    """(subject, body) of a partnership's digest, or None without an adopted picture.

    Only what every member may see: the adopted picture's levels and counts per delområde
    and how many actions are due; no report, no reporter, no action that must not be
    published is named.
    """
    from samtrygg.actions.models import OPEN_STATUSES, Action
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
    open_actions = Action.objects.filter(partnership=partnership, status__in=OPEN_STATUSES)
    due = open_actions.filter(end_date__gte=today, end_date__lt=today + dt.timedelta(days=7))
    overdue = open_actions.filter(end_date__lt=today).count()
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
        "",
        _("Insatser som ska vara klara inom en vecka: %(n)d.") % {"n": due.count()},
        _("Försenade insatser: %(n)d.") % {"n": overdue},
    ]
    for action in due.filter(not_for_publication=False).select_related("owner")[:10]:
        lines.append(f"- {action.title} ({action.owner.name}, {action.end_date:%Y-%m-%d})")
    lines += [
        "",
        _("Lägesbilden: %(url)s") % {"url": f"{_base_url()}/lagesbild/{picture.pk}/"},
        "",
        _("Vill du inte få sammanfattningen? Stäng av den under Konto: %(url)s")
        % {"url": f"{_base_url()}/konto/"},
    ]
    subject = _("Veckans lägesbild för %(p)s – vecka %(w)d") % {"p": partnership.name, "w": week}
    return subject, "\n".join(lines) + "\n"


@job(PARTNERSHIP_DIGEST_JOB)
def send_partnership_digest(partnership_id: int, idempotency_key: str = "") -> str:
    """The digest of one partnership to its members (once per ISO week and partnership)."""
    from django.contrib.auth import get_user_model

    from samtrygg.core.models import Partnership

    today = timezone.localdate()
    key = idempotency_key or digest_key(partnership_id, today)
    if already_done(key):
        return "skipped"
    partnership = Partnership.objects.get(pk=partnership_id)
    with override("sv"):
        text = digest_text(partnership, today)
        if text is None:
            return _("Ingen antagen lägesbild; ingen sammanfattning skickad.")
        subject, body = text
        users = (
            get_user_model()
            .objects.filter(
                memberships__partnership=partnership, is_active=True, digest_opt_out=False
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        sent = 0
        for user in users:
            send_mail(subject, body, from_email=None, recipient_list=[user.email])
            sent += 1
        return _("%(n)d sammanfattningar skickade.") % {"n": sent}


@job(DIGEST_JOB)
def send_weekly_digest(idempotency_key: str = "", partnership_id: int | None = None) -> str:
    """Scheduled on Monday mornings: one digest job per partnership (each idempotent per
    ISO week, so a second run in the same week sends nothing)."""
    from samtrygg.core.models import Partnership

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
    return _("%(n)d samverkan fick sin veckosammanfattning köad.") % {"n": queued}
