"""The tenancy registry: every page and API path that reaches a partnership's records.

The generic tenancy test (tests/test_tenancy.py) walks every URL pattern of the project and
every path of the OpenAPI spec. A page that takes an id, or an API path with an id, must be
registered here with the record of the *other* partnership it should refuse; an unregistered
one fails the test. Later apps register their pages and paths here as they add them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# URL name -> function(other_tenant) giving the kwargs that name one of its records.
PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "area-detail": lambda t: {"pk": t.area.pk},
    "place-detail": lambda t: {"pk": t.place.pk},
    "organisation-detail": lambda t: {"pk": t.organisation.pk},
}

# Pages that take an argument but are not a partnership's record (reason given).
PAGES_EXEMPT: dict[str, str] = {
    "accept-invitation": "a secret token, not an id; tested in test_invitations",
}

# API collection segment before {pk} -> function(other_tenant) giving one of its record ids.
API_IDS: dict[str, Callable[[Any], int]] = {
    "organisations": lambda t: t.organisation.pk,
    "memberships": lambda t: t.partnership.memberships.first().pk,
    "areas": lambda t: t.area.pk,
    "places": lambda t: t.place.pk,
    "audit": lambda t: t.partnership.audit_entries.first().pk,
}

# API collection -> a valid body for POST/PUT, so a refusal is about tenancy, not validation.
_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[14.61, 61.12], [14.62, 61.12], [14.62, 61.125], [14.61, 61.125], [14.61, 61.12]]
    ],
}
API_PAYLOADS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "organisations": lambda t: {"name": "Ny organisation", "type": "skola"},
    "memberships": lambda t: {
        "email": "samordnare.2034@test.example",
        "organisation_id": t.organisation.pk,
        "role": "analytiker",
    },
    "areas": lambda t: {"name": "Nytt område", "geometry": _SQUARE},
    "places": lambda t: {"name": "Ny plats", "type": "torg", "lat": 61.12, "lon": 14.61},
}

# API paths that are not per partnership (reason given).
API_EXEMPT: dict[str, str] = {
    "/api/v1/partnerships": "lists only the caller's own partnerships; tested below",
}
