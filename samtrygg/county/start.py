"""Where a länssamordnare starts: a user with no role in any partnership who reads a län or
lokalpolisområde goes to it from the start page (settings.START_WITHOUT_PARTNERSHIP)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samtrygg.county.scope import scopes_of


def county_start(user: Any) -> str:
    """The one län or lokalpolisområde the user reads, or the list of them when there are
    several; ``""`` when there is none."""
    scopes = scopes_of(user)
    if not scopes:
        return ""
    if len(scopes) == 1:
        only = scopes[0]
        return reverse("county-compliance" if only.is_lan else "lpo-overview", args=[only.key])
    return reverse("county-home")
