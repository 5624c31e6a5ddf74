"""The residents app's pages and API paths in the tenancy registry (see tests/tenancy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _tip(t: Any) -> Any:
    """One tip of the tenant, its text carrying the tenant's marker (created once)."""
    from samtrygg.residents import services
    from samtrygg.residents.models import Tip

    found = Tip.objects.filter(partnership=t.partnership).first()
    if found is None:
        found = services.submit_tip(
            t.partnership,
            services.TipInput(
                category="klotter",
                place_kind="karta",
                lat=t.place.lat,
                lon=t.place.lon,
                description=f"Klotter på muren vid {t.marker}.",
            ),
        )
    return found


def _claim(t: Any) -> Any:
    """One claim of the tenant with one answer waiting for approval (created once)."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.residents import services
    from samtrygg.residents.models import Claim

    found = Claim.objects.filter(partnership=t.partnership).first()
    if found is None:
        actor = system_actor(t.partnership)
        category = t.partnership.observation_categories.get(slug="klotter")
        year, week, _day = (dt.date.today() - dt.timedelta(days=7)).isocalendar()
        found = services.record_claim(
            actor,
            services.ClaimInput(
                channel="sociala_medier",
                seen_on=dt.date.today(),
                period=f"{year}-W{week:02d}",
                categories=[category.pk],
                wording=f"Klottret ökar kraftigt vid {t.marker}.",
            ),
        )
        services.write_answer(
            actor,
            found,
            verdict="stammer_inte",
            text=f"Rapporterna visar inte fler klotter än vanligt {t.marker}.",
            sources="Samverkansparternas rapporter.",
        )
    return found


def _answer(t: Any) -> Any:
    return _claim(t).answers.first()


PAGES_WITH_ID = {
    "tip-detail": lambda t: {"pk": _tip(t).pk},
    "claim-detail": lambda t: {"pk": _claim(t).pk},
}

_PUBLIC = "the partnership's public site, read without login; the kommunkod names it"
PAGES_EXEMPT = {
    "public-tip": _PUBLIC,
    "public-tip-map": _PUBLIC + " (outlines of kommun and delområden only)",
    "public-facts": _PUBLIC,
    "public-fact": _PUBLIC + "; a claim of another kommun is 404 (tests/residents)",
    "open311-discovery": "Open311 discovery: the format, not a record",
    "open311-services": "Open311: the format; jurisdiction_id names the public kommun",
    "open311-service": "Open311: a public service code of a jurisdiction, not a record",
    "open311-requests": "Open311: public, reviewed requests of a jurisdiction (tests/residents)",
    "open311-request": "Open311: a reviewed request of a jurisdiction, public fields only",
}

API_IDS = {
    "tips": lambda t: _tip(t).pk,
    "claims": lambda t: _claim(t).pk,
    "answers": lambda t: _answer(t).pk,
    "facts": lambda t: _claim(t).pk,
}


def _first_time_band(t: Any) -> str:
    """The partnership's first time band as it is now (another write may have set them)."""
    from samtrygg.observations.queries import time_bands

    return time_bands(t.partnership)[0].key


API_PAYLOADS = {
    "tips": lambda t: {
        "category": "klotter",
        "place_kind": "karta",
        "lat": t.place.lat,
        "lon": t.place.lon,
        "description": "Klotter på muren vid skolan.",
    },
    "convert": lambda t: {
        "category": "klotter",
        "occurred_on": str(dt.date.today()),
        "time_band": _first_time_band(t),
        "assessment": 2,
        "description": "Klotter på muren.",
    },
    "forward": lambda t: {"note": ""},
    "close": lambda t: {"reason": "Redan åtgärdat."},
    "claims": lambda t: {
        "channel": "sociala_medier",
        "seen_on": str(dt.date.today()),
        "period": "2025-W47",
        "category_ids": [t.partnership.observation_categories.first().pk],
        "wording": "Det har blivit mer klotter.",
    },
    "answers": lambda t: {
        "verdict": "stammer_inte",
        "text": "Rapporterna visar inte mer klotter än vanligt.",
        "sources": "Rapporterna.",
    },
    "approve": lambda t: {},
}

_PUBLIC_API = "public, without login: the kommunkod names the public site (tests/residents)"
API_EXEMPT = {
    "/api/v1/partnerships/{code}/public/categories": _PUBLIC_API,
    "/api/v1/partnerships/{code}/public/tips": _PUBLIC_API,
    "/api/v1/partnerships/{code}/public/facts": _PUBLIC_API,
    "/api/v1/partnerships/{code}/public/facts/{pk}": _PUBLIC_API,
}


def _fresh_tip(t: Any, purpose: str) -> int:
    """A new tip for one handling (a converted tip cannot also be forwarded or closed)."""
    from samtrygg.residents import services

    return services.submit_tip(
        t.partnership,
        services.TipInput(
            category="klotter",
            place_kind="karta",
            lat=t.place.lat,
            lon=t.place.lon,
            description=f"Klotter på muren ({purpose}) vid {t.marker}.",
        ),
    ).pk


# Each handling of a tip acts on a tip that is still open: path ending -> a fresh tip's id.
FRESH_FOR_WRITE = {
    "/tips/{pk}/convert": lambda t: _fresh_tip(t, "omvandlas"),
    "/tips/{pk}/forward": lambda t: _fresh_tip_to_forward(t),
    "/tips/{pk}/close": lambda t: _fresh_tip(t, "stängs"),
    "/answers/{pk}/approve": lambda t: _fresh_answer(t),
}


def _fresh_tip_to_forward(t: Any) -> int:
    """A new tip, with the kommun's felanmälan set up so that it can be forwarded."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.residents import services

    services.update_settings(
        system_actor(t.partnership),
        fault_report_name="Felanmälan",
        fault_report_email="felanmalan@kommun.example",
        contact_days=90,
    )
    return _fresh_tip(t, "skickas vidare")


def _fresh_answer(t: Any) -> int:
    """An answer written by someone else than the approver, waiting for approval."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.residents import services

    actor = system_actor(t.partnership)
    return services.write_answer(
        actor,
        _claim(t),
        verdict="stammer_inte",
        text=f"Rapporterna visar inte fler klotter än vanligt {t.marker}.",
        sources="Samverkansparternas rapporter.",
    ).pk
