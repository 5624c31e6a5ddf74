"""Residents jobs: the nightly deletion of tipsters' e-mail addresses whose time is up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from samtrygg.core.jobs import already_done, in_queued_language, job


@job(
    "samtrygg.residents.delete_expired_contacts",
    title=gettext_lazy("Radering av tipsares e-postadresser"),
)
def delete_expired_contacts(idempotency_key: str = "") -> str:
    """Delete the e-mail addresses of tips closed longer ago than the partnership keeps them
    (scheduled nightly)."""
    if idempotency_key and already_done(idempotency_key):
        return "skipped"
    from samtrygg.residents.services import delete_expired_contacts as delete

    deleted = delete()
    with in_queued_language():
        return ngettext(
            "%(n)d e-postadress till en tipsare borttagen.",
            "%(n)d e-postadresser till tipsare borttagna.",
            deleted,
        ) % {"n": deleted}
