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


# --- What each role may read inside a partnership ---------------------------------------------


def restricted_records(t: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    """Records of the tenant that only some of its roles may read, each carrying a marker of
    its own, with the app's own read function for it (it raises when the actor may not read
    the record). Created once, through the services."""
    import datetime as dt

    from samtrygg.actions import queries as action_queries
    from samtrygg.actions import services as actions
    from samtrygg.actions.models import Action, Meeting, SafetyWalk, WalkFinding
    from samtrygg.analysis.picture import Period
    from samtrygg.core.dataio import system_actor
    from samtrygg.core.models import JobRun
    from samtrygg.observations import queries as observation_queries
    from samtrygg.observations import services as observations
    from samtrygg.observations.models import Observation
    from samtrygg.situation import queries as situation_queries
    from samtrygg.situation import services as situation
    from samtrygg.situation.models import SituationPicture

    code = t.partnership.municipality.name.upper()
    marker = {
        kind: f"HEMLIS-{kind}-{code}"
        for kind in ("RAPPORT", "INSATS", "MOTE", "VANDRING", "FYND", "UTKAST", "JOBB")
    }
    actor = system_actor(t.partnership)
    today = dt.date.today()
    report = Observation.objects.filter(description__contains=marker["RAPPORT"]).first()
    if report is None:
        incident = observations.IncidentInput(
            category="klotter",
            occurred_on=str(today - dt.timedelta(days=1)),
            time_band="kvall",
            place=t.place.pk,
            description=f"Klotter på skolan, {marker['RAPPORT']}.",
            assessment=2,
        )
        report = observations.submit_report(
            actor, [incident], organisation=t.organisation
        ).observations[0]
    action = Action.objects.filter(title__contains=marker["INSATS"]).first() or (
        actions.create_action(
            actor,
            actions.ActionSpec(
                title=f"Insats {marker['INSATS']}",
                type="rondering",
                owner=t.organisation.pk,
                start_date=today,
                end_date=today,
            ),
        )
    )
    meeting = Meeting.objects.filter(title__contains=marker["MOTE"]).first() or (
        actions.create_meeting(actor, held_on=today, title=f"Möte {marker['MOTE']}")
    )
    walk = SafetyWalk.objects.filter(title__contains=marker["VANDRING"]).first() or (
        actions.create_walk(
            actor, title=f"Vandring {marker['VANDRING']}", planned_for=f"{today}T19:00"
        )
    )
    finding = WalkFinding.objects.filter(proposal__contains=marker["FYND"]).first() or (
        actions.add_finding(
            actor, walk, type="klotter", lat=t.place.lat, lon=t.place.lon, proposal=marker["FYND"]
        )
    )
    draft = SituationPicture.objects.filter(assessment__contains=marker["UTKAST"]).first()
    if draft is None:
        draft = situation.draft(actor, Period.week(2025, 21))
        situation.set_assessment(actor, draft, f"Bedömning {marker['UTKAST']}")
    job, _created = JobRun.objects.get_or_create(
        task_id=f"tenancy-restricted-{t.partnership.pk}",
        defaults={
            "name": "samtrygg.observations.import_file",
            "partnership": t.partnership,
            "message": f"Rad 2: {marker['JOBB']}",
        },
    )
    return [
        (marker["RAPPORT"], lambda a: observation_queries.observation(a, report.pk)),
        (marker["INSATS"], lambda a: action_queries.action(a, action.pk)),
        (marker["MOTE"], lambda a: action_queries.meeting(a, meeting.pk)),
        (marker["VANDRING"], lambda a: action_queries.walk(a, walk.pk)),
        (marker["FYND"], lambda a: action_queries.finding(a, finding.pk)),
        (marker["UTKAST"], lambda a: situation_queries.picture(a, draft.pk)),
        (marker["JOBB"], lambda a: observation_queries.import_job(a, job.task_id)),
    ]


def may_read(actor: Any, read: Callable[[Any], Any]) -> bool:
    from samtrygg.core.errors import DomainError

    try:
        read(actor)
    except DomainError:
        return False
    return True


# Fields of a page form or API body that name a record, and the record of a tenant to put
# there: a write that names another partnership's record must be refused.
def other_ids(t: Any) -> dict[str, Any]:
    category = t.partnership.observation_categories.first()
    report = _observation(t)
    found = _actions(t)
    ids = {
        "organisation": t.organisation.pk,
        "owner": t.organisation.pk,
        "responsible": t.organisation.pk,
        "place": t.place.pk,
        "area": t.area.pk,
        "omrade": t.area.pk,
        "category": category.pk,
        "kategori": category.pk,
        "observation": report.pk,
        "into": report.pk,
        "membership": t.partnership.memberships.first().pk,
        "action": found["action"].pk,
        "walk": found["walk"].pk,
        "meeting": found["meeting"].pk,
        "partnership": t.partnership.pk,
    }
    return ids | {f"{name}_id": pk for name, pk in ids.items()}


def with_other_ids(body: Any, ids: dict[str, Any]) -> Any:
    """``body`` with every field that names a record pointed at ``ids`` (recursively)."""
    if isinstance(body, dict):
        return {
            key: ids[key] if key in ids else with_other_ids(value, ids)
            for key, value in body.items()
        }
    if isinstance(body, list):
        return [with_other_ids(item, ids) for item in body]
    return body


def readable_text(response: Any) -> str:
    """What a response says, also inside XLSX/DOCX (zip) and PDF files."""
    import io
    import zipfile

    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def _load_app_entries() -> None:
    """Each app may keep its registrations in ``tests/<app>/tenancy_entries.py``.

    The module defines any of PAGES_WITH_ID, PAGES_EXEMPT, API_IDS, API_PAYLOADS and API_EXEMPT;
    they are merged into the registry above, so apps do not all edit this one file.
    """
    import importlib
    import pkgutil

    import tests

    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        try:
            entries = importlib.import_module(f"tests.{module_info.name}.tenancy_entries")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{module_info.name}.tenancy_entries":
                raise
            continue
        for registry_name in (
            "PAGES_WITH_ID",
            "PAGES_EXEMPT",
            "API_IDS",
            "API_PAYLOADS",
            "API_EXEMPT",
        ):
            registry = globals()[registry_name]
            for key, value in getattr(entries, registry_name, {}).items():
                if key in registry:
                    raise ValueError(f"{registry_name}[{key!r}] is registered twice")
                registry[key] = value


_load_app_entries()
