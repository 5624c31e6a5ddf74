"""The tenancy registry: every page and API path that reaches a partnership's records.

The generic tenancy test (tests/test_tenancy.py) walks every URL pattern of the project and
every path of the OpenAPI spec. A page that takes an id, or an API path with an id, must be
registered here with the record of the *other* partnership it should refuse; an unregistered
one fails the test. Later apps register their pages and paths here as they add them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

# URL name -> function(other_tenant) giving the kwargs that name one of its records.
PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "area-detail": lambda t: {"pk": t.area.pk},
    "place-detail": lambda t: {"pk": t.place.pk},
    "organisation-detail": lambda t: {"pk": t.organisation.pk},
    # actions
    "action-detail": lambda t: {"pk": _actions(t)["action"].pk},
    "meeting-detail": lambda t: {"pk": _actions(t)["meeting"].pk},
    "walk-detail": lambda t: {"pk": _actions(t)["walk"].pk},
    "walk-geojson": lambda t: {"pk": _actions(t)["walk"].pk},
    "walk-feedback": lambda t: {"pk": _actions(t)["walk"].pk},
    "walk-feedback-pdf": lambda t: {"pk": _actions(t)["walk"].pk},
    "finding-photo": lambda t: {"pk": _actions(t)["finding"].pk},
    # situation
    "situation-detail": lambda t: {"pk": _picture(t).pk},
    "situation-pdf": lambda t: {"pk": _picture(t).pk},
    "situation-xlsx": lambda t: {"pk": _picture(t).pk},
    "situation-export": lambda t: {"pk": _picture(t).pk, "fmt": "pdf"},
    "meeting-export": lambda t: {"pk": _actions(t)["meeting"].pk, "fmt": "pdf"},
    "document-status": lambda t: {"pk": _document(t).pk},
    "document-download": lambda t: {"pk": _document(t).pk},
    # sources: police events are public data, but an event outside the partnership's län is
    # refused like another tenant's record (404)
    "police-event-detail": lambda t: {"pk": _police_event(t).pk},
    # observations
    "observation-detail": lambda t: {"pk": _observation(t).pk},
    "observation-edit": lambda t: {"pk": _observation(t).pk},
    "import-job": lambda t: {"task_id": _import_job(t).task_id},
}

# Pages that take an argument but are not a partnership's record (reason given).
PAGES_EXEMPT: dict[str, str] = {
    "accept-invitation": "a secret token, not an id; tested in test_invitations",
    "import-template": "the file format (csv, xlsx) of the import template, not a record",
    "password_reset_confirm": "a user's signed reset token, not a record; tested in test_members",
}

# API collection segment before {pk} -> function(other_tenant) giving one of its record ids.
API_IDS: dict[str, Callable[[Any], int]] = {
    "organisations": lambda t: t.organisation.pk,
    "memberships": lambda t: t.partnership.memberships.first().pk,
    "areas": lambda t: t.area.pk,
    "places": lambda t: t.place.pk,
    "audit": lambda t: t.partnership.audit_entries.first().pk,
    "actions": lambda t: _actions(t)["action"].pk,
    "meetings": lambda t: _actions(t)["meeting"].pk,
    "safety-walks": lambda t: _actions(t)["walk"].pk,
    "police-events": lambda t: _police_event(t).pk,
    "observations": lambda t: _observation(t).pk,
    "categories": lambda t: t.partnership.observation_categories.first().pk,
    "police-type-mappings": lambda t: t.partnership.police_type_mappings.first().pk,
    "situation-pictures": lambda t: _picture(t).pk,
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
    "actions": lambda t: _action_body(t),
    "progress": lambda t: {"status": "pagar", "done_count": 1},
    "meetings": lambda t: {"held_on": "2025-11-17"},
    "decisions": lambda t: {"text": "Beslut", "actions": [_action_body(t)]},
    "attendance": lambda t: {"attendance": [{"organisation_id": t.organisation.pk, "people": 2}]},
    "safety-walks": lambda t: {"title": "Vandring", "planned_for": "2025-11-20T19:00:00+01:00"},
    "findings": lambda t: {"type": "belysning", "lat": 61.1203, "lon": 14.615},
    "fetch": lambda t: {},
    "reports": lambda t: {"incidents": [_incident_body(t)]},
    "observations": lambda t: _incident_body(t),
    "observation-imports": lambda t: {"content": "datum,kategori,beskrivning\n"},
    "categories": lambda t: {"name": "Ny kategori"},
    "police-type-mappings": lambda t: {"category_id": None},
    "time-bands": lambda t: {"bands": [{"label": "Dag", "start": "06:00", "end": "18:00"}]},
}


def _incident_body(t: Any) -> dict[str, Any]:
    return {
        "category": "klotter",
        "occurred_on": "2025-11-17",
        "time_band": "kvall",
        "place_id": t.place.pk,
        "description": "Klotter vid torget.",
        "assessment": 2,
    }


def _observation(t: Any) -> Any:
    """One report of the tenant, its text carrying the tenant's marker (created once)."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.observations import services
    from samtrygg.observations.models import Observation

    found = Observation.objects.filter(partnership=t.partnership).first()
    if found is None:
        body = _incident_body(t) | {"description": f"Klotter vid {t.marker}."}
        incident = services.IncidentInput(
            **{("place" if k == "place_id" else k): v for k, v in body.items()}
        )
        result = services.submit_report(
            system_actor(t.partnership), [incident], organisation=t.organisation
        )
        found = result.observations[0]
    return found


def _import_job(t: Any) -> Any:
    """A background import of the tenant (as the job log records it)."""
    from samtrygg.core.models import JobRun

    run, _created = JobRun.objects.get_or_create(
        task_id=f"tenancy-import-{t.partnership.pk}",
        defaults={
            "name": "samtrygg.observations.import_file",
            "partnership": t.partnership,
            "message": t.marker,
        },
    )
    return run


def _police_event(t: Any) -> Any:
    """A police event placed in the tenant's kommun (Gislaved: Jönköpings län, not Orsa's)."""
    import datetime as dt

    from samtrygg.sources.models import PoliceEvent

    municipality = t.partnership.municipality
    event, _created = PoliceEvent.objects.get_or_create(
        id=990_000_000 + int(municipality.code),
        defaults={
            "published": dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC),
            "title": f"1 maj 11.30, Brand, {municipality.name} {t.marker}",
            "summary": t.marker,
            "url": "https://polisen.se/aktuellt/handelser/",
            "type": "Brand",
            "location_name": municipality.name,
            "municipality_id": municipality.code,
            "county_id": municipality.county_id,
            "precision": "kommun",
            "raw": {"id": 990_000_000 + int(municipality.code)},
            "content_hash": "tenancy",
            "seen_at": dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC),
        },
    )
    return event


def _action_body(t: Any) -> dict[str, Any]:
    return {
        "title": "Insats",
        "type": "vuxennarvaro",
        "owner_id": t.organisation.pk,
        # relative to today: an end date years back is refused as a mistyped year
        "start_date": str(dt.date.today() - dt.timedelta(days=7)),
        "end_date": str(dt.date.today()),
    }


def _picture(t: Any) -> Any:
    """An adopted lägesbild of the tenant (created once, then reused)."""
    from samtrygg.analysis.picture import Period
    from samtrygg.core.dataio import system_actor
    from samtrygg.situation import services
    from samtrygg.situation.models import SituationPicture

    found = SituationPicture.objects.filter(partnership=t.partnership).first()
    if found is None:
        actor = system_actor(t.partnership)
        found = services.draft(actor, Period.week(2025, 20))
        services.set_assessment(actor, found, f"Bedömning {t.marker}")
        found = services.adopt(actor, found)
    return found


def _document(t: Any) -> Any:
    """A document (the adopted picture as XLSX) of the tenant; no file is written."""
    from samtrygg.situation.models import GeneratedDocument

    picture = _picture(t)
    found, _created = GeneratedDocument.objects.get_or_create(
        key=f"tenancy-{picture.pk}",
        defaults={
            "partnership": t.partnership,
            "kind": "lagesbild",
            "format": "xlsx",
            "audience": "antagen",
            "picture": picture,
            "filename": f"{t.marker}.xlsx",
        },
    )
    return found


def _actions(t: Any) -> dict[str, Any]:
    """One action, meeting, walk and finding of the tenant (created once, then reused)."""
    import datetime as dt

    from samtrygg.actions import services
    from samtrygg.actions.models import Action, Meeting, SafetyWalk, WalkFinding
    from samtrygg.core.dataio import system_actor

    found = {
        "action": Action.objects.filter(partnership=t.partnership).first(),
        "meeting": Meeting.objects.filter(partnership=t.partnership).first(),
        "walk": SafetyWalk.objects.filter(partnership=t.partnership).first(),
        "finding": WalkFinding.objects.filter(walk__partnership=t.partnership).first(),
    }
    if all(found.values()):
        return found
    actor = system_actor(t.partnership)
    today = dt.date.today()
    found["action"] = services.create_action(
        actor,
        services.ActionSpec(
            title=f"Insats {t.marker}",
            type="rondering",
            owner=t.organisation.pk,
            start_date=today,
            end_date=today,
            not_for_publication=True,
        ),
    )
    found["meeting"] = services.create_meeting(actor, held_on=today, title=f"Möte {t.marker}")
    found["walk"] = services.create_walk(
        actor, title=f"Vandring {t.marker}", planned_for=f"{today.isoformat()}T19:00"
    )
    place = t.place
    found["finding"] = services.add_finding(
        actor, found["walk"], type="klotter", lat=place.lat, lon=place.lon, proposal=t.marker
    )
    return found


# API paths that are not per partnership (reason given).
API_EXEMPT: dict[str, str] = {
    "/api/v1/partnerships": "lists only the caller's own partnerships; tested below",
}
