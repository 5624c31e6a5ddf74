"""The derived state of an agreement or a promise: signed, status, current."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from samtrygg.promises.models import DocumentStatus, derive_status


def _signatures(document: Any) -> list[Any]:
    cache = getattr(document, "_prefetched_objects_cache", {})
    if "signatures" in cache:
        return list(cache["signatures"])
    return list(document.signatures.all())


def is_signed(document: Any) -> bool:
    """Every party (the kommun, the police, each further party) has signed."""
    if document.pk is None:
        return False
    signed = {signature.party for signature in _signatures(document)}
    return set(document.party_keys()) <= signed


def signed_on(document: Any) -> dt.date | None:
    """The day the last party signed (None while a party is missing)."""
    if not is_signed(document):
        return None
    days: list[dt.date] = [signature.signed_on for signature in _signatures(document)]
    return max(days)


def is_replaced(document: Any) -> bool:
    """A later version of the document has been signed by every party."""
    later = type(document).objects.filter(supersedes=document).prefetch_related("signatures")
    return any(is_signed(version) for version in later)


def status_of(document: Any, today: dt.date | None = None) -> str:
    return derive_status(
        signed=is_signed(document),
        starts_on=document.starts_on,
        ends_on=document.ends_on,
        replaced=is_replaced(document) if is_signed(document) else False,
        today=today or timezone.localdate(),
    )


def status_label(status: str) -> str:
    return str(DocumentStatus(status).label)
