"""Jobs of EST reporting: large imports, and the weekly reminder to report."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from samtrygg.core.jobs import (
    already_done,
    in_queued_language,
    job,
    job_files_dir,
    set_progress,
)
from samtrygg.core.links import site_url
from samtrygg.core.weeks import iso_week

logger = logging.getLogger("samtrygg.observations")
T = TypeVar("T")

IMPORT_JOB = "samtrygg.observations.import_file"
REMINDER_JOB = "samtrygg.observations.send_weekly_reminders"


def import_dir() -> Path:
    """Where uploaded files wait for their import job (private, outside MEDIA_ROOT)."""
    return job_files_dir()


def _current_task_id() -> str | None:
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "id", None)


class _JobProgress:
    """Reports the progress of the two phases (checking rows, saving) to the job log."""

    def __init__(self, task_id: str | None) -> None:
        self.task_id = task_id
        self.phase = 0

    def __call__(self, items: Iterable[T], total: int, label: str) -> Iterable[T]:
        offset, share = (0, 70) if self.phase == 0 else (70, 30)
        self.phase += 1
        step = max(1, total // 50)
        for index, item in enumerate(items, start=1):
            if index % step == 0 or index == total:
                set_progress(
                    self.task_id,
                    offset + share * index // max(total, 1),
                    _("%(label)s: %(i)d av %(n)d") % {"label": label, "i": index, "n": total},
                )
            yield item


@job(IMPORT_JOB, title=gettext_lazy("Import av rapporter"), follow_language=True)
def import_file(
    path: str,
    filename: str = "",
    partnership_id: int | None = None,
    organisation_id: int | None = None,
    user_id: int | None = None,
    idempotency_key: str = "",
) -> str:
    """Import an uploaded log in the background, all rows or none; the file is then removed."""
    from samtrygg.core.errors import DomainError
    from samtrygg.core.permissions import actor_for
    from samtrygg.observations import importing, services

    file = Path(path)
    try:
        if idempotency_key and already_done(idempotency_key):
            return "skipped"
        if file.parent.resolve() != import_dir().resolve():
            raise DomainError(_("Okänd importfil."))
        if not file.exists():
            raise DomainError(_("Den uppladdade filen finns inte längre. Ladda upp filen igen."))
        user = get_user_model().objects.filter(pk=user_id or 0).first()
        actor = actor_for(user, partnership_id)
        if actor is None:
            raise DomainError(_("Du har inte längre någon roll i samverkan."))
        task_id = _current_task_id()
        set_progress(task_id, 1, _("Läser filen"))
        rows = importing.read_file(file.read_bytes(), filename)
        result = services.import_rows(
            actor, rows, organisation=organisation_id, progress=_JobProgress(task_id)
        )
        return ngettext(
            "%(c)d ny händelse, %(u)d fanns redan.",
            "%(c)d nya händelser, %(u)d fanns redan.",
            result.created,
        ) % {"c": result.created, "u": result.unchanged}
    finally:
        file.unlink(missing_ok=True)


def week_key(today: dt.date) -> str:
    return f"observations-reminder-{iso_week(today)}"


@job(REMINDER_JOB, title=gettext_lazy("Veckans påminnelser till rapportörer"))
def send_weekly_reminders(idempotency_key: str = "", partnership_id: int | None = None) -> str:
    """Remind reporters whose organisation has filed nothing this ISO week (once a week).

    The key is the ISO week unless given, so a second run in the same week does nothing.
    Users who opted out (``reminder_opt_out``) get nothing.
    """
    from samtrygg.core.models import JobRun, Membership, Partnership, Role
    from samtrygg.observations import queries

    today = timezone.localdate()
    key = idempotency_key or week_key(today)
    if already_done(key):
        return "skipped"
    task_id = _current_task_id()
    if task_id and not idempotency_key:
        JobRun.objects.filter(task_id=task_id).update(idempotency_key=key)

    monday = today - dt.timedelta(days=today.weekday())
    since = dt.datetime.combine(monday, dt.time(), tzinfo=timezone.get_current_timezone())
    until = since + dt.timedelta(days=7)
    partnerships = Partnership.objects.select_related("municipality").order_by("pk")
    if partnership_id is not None:
        partnerships = partnerships.filter(pk=partnership_id)
    sent = 0
    year, week, _day = today.isocalendar()
    for partnership in partnerships:
        organisations = list(queries.organisations_without_reports(partnership, since, until))
        if not organisations:
            continue
        members = (
            Membership.objects.filter(
                partnership=partnership,
                organisation__in=organisations,
                role=Role.RAPPORTOR,
                user__is_active=True,
                user__reminder_opt_out=False,
            )
            .select_related("user", "organisation")
            .order_by("user_id")
        )
        for membership in members:
            user: Any = membership.user
            if not user.email:
                continue
            with override("sv"):
                send_mail(
                    subject=_("Påminnelse: rapportera veckans iakttagelser – vecka %(w)d")
                    % {"w": week},
                    message=_(
                        "Hej!\n\n%(org)s har inte rapporterat något i %(p)s den här veckan "
                        "(vecka %(w)d). Har ni sett något – skadegörelse, klotter, otrygga "
                        "platser, samlingar eller annat som påverkar tryggheten – rapportera "
                        "det här, det tar under en minut:\n%(url)s\n\n"
                        "Har det varit lugnt behöver du inte göra något.\n\n"
                        "Vill du inte få påminnelser? Stäng av dem under Konto: %(account)s\n"
                    )
                    % {
                        "org": membership.organisation.name,
                        "p": partnership.name,
                        "w": week,
                        "url": f"{site_url()}/rapporter/ny/",
                        "account": f"{site_url()}/konto/",
                    },
                    from_email=None,
                    recipient_list=[user.email],
                )
            sent += 1
    logger.info("Rapportpåminnelser vecka %d-W%02d: %d skickade", year, week, sent)
    with in_queued_language():
        return ngettext(
            "%(n)d påminnelse skickad för vecka %(w)d.",
            "%(n)d påminnelser skickade för vecka %(w)d.",
            sent,
        ) % {"n": sent, "w": week}
