"""Core jobs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samtrygg.core.jobs import already_done, in_queued_language, job


@job(
    "samtrygg.core.cleanup_expired_invitations",
    title=gettext_lazy("Rensning av utgångna inbjudningar"),
)
def cleanup_expired_invitations(idempotency_key: str = "") -> str:
    """Delete invitations that expired more than 30 days ago (scheduled daily)."""
    if idempotency_key and already_done(idempotency_key):
        return "skipped"
    from samtrygg.core.services import delete_expired_invitations

    deleted = delete_expired_invitations(timezone.now() - dt.timedelta(days=30))
    with in_queued_language():
        return ngettext(
            "%(n)d utgången inbjudan borttagen.", "%(n)d utgångna inbjudningar borttagna.", deleted
        ) % {"n": deleted}


@job("samtrygg.core.ping", title=gettext_lazy("Testjobb"), follow_language=True)
def ping(idempotency_key: str = "", partnership_id: int | None = None) -> str:
    """A harmless job that proves the worker runs (the job status page can send it)."""
    if idempotency_key and already_done(idempotency_key):
        return "skipped"
    return _("Arbetaren svarar.")


@job("samtrygg.core.sweep_stale_jobs", title=gettext_lazy("Städning efter avbrutna jobb"))
def sweep_stale_jobs(idempotency_key: str = "") -> str:
    """Jobs whose worker died are marked failed; files left by ended jobs are deleted
    (scheduled every five minutes)."""
    from samtrygg.core.jobs import sweep_stale_jobs as sweep

    failed = sweep()
    with in_queued_language():
        return ngettext(
            "%(n)d avbrutet jobb markerat som misslyckat.",
            "%(n)d avbrutna jobb markerade som misslyckade.",
            failed,
        ) % {"n": failed}
