"""Jobs of the sources app: the scheduled fetch of the police events feed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from samtrygg.core.jobs import already_done, job


@job("samtrygg.sources.fetch_police_events", title=gettext_lazy("Hämtning av polisens händelser"))
def fetch_police_events(
    idempotency_key: str = "", run_id: int | None = None, partnership_id: int | None = None
) -> str:
    """Fetch the police events feed once, within the police's rules (every 5 minutes by the
    schedule; also when a samordnare asks). Does nothing when POLICE_EVENTS_URL is empty."""
    if idempotency_key and already_done(idempotency_key):
        return "skipped"
    from samtrygg.sources.fetch import fetch_police_events as fetch
    from samtrygg.sources.models import SourceRun

    run = SourceRun.objects.filter(pk=run_id).first() if run_id else None
    return fetch(run=run).message
