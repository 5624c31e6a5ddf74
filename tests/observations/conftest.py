"""Helpers for the EST reporting tests: valid incidents, actors, a second reporting org."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

# The same strings go through every channel (form, API, import): each holds one kind of
# identifier the privacy screen refuses (made-up numbers and names).
PRIVATE_TEXTS = [
    "Väktaren fick uppgift om att personen har personnummer 810313-6662.",
    "Personen har samordningsnummer 751274-3670 enligt socialtjänsten.",
    "Ring 070-123 45 67 om det händer igen vid torget.",
    "Skicka bilder till anna.svensson@example.se så tar vi det.",
    "En vit skåpbil ABC 123 stod parkerad vid torget hela kvällen.",
    "Killen som heter Marcus Lind var där igen och klottrade.",
    # Written without a cue or in disguise (issue 26): each kind the screen learnt.
    "Kalle Svensson kastade sten mot bussen vid torget.",
    "En elev, Sara Lindqvist, hotade personalen vid torget.",
    "Namnet är Kalle och han klottrade vid torget.",
    "Pnr ８１０３１３－６６６２ angavs vid kontrollen vid torget.",
    "Ring 070\u200b-123 45 67 om det händer igen vid torget.",
    "Mejla anna snabel-a exempel punkt se om det händer igen.",
    "En vit skåpbil abc 123 stod parkerad vid torget hela kvällen.",
    "Hotet kom från @användare_05 på Snapchat i går kväll.",
    "Hög musik från lgh 1204 vid torget varje helg.",
]


def yesterday() -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=1)


def incident(tenant: Any, **overrides: Any) -> Any:
    """A valid incident at the tenant's named place, yesterday evening."""
    from samtrygg.observations.services import IncidentInput

    values: dict[str, Any] = {
        "category": "klotter",
        "occurred_on": yesterday().isoformat(),
        "time_band": "kvall",
        "place": tenant.place.pk,
        "description": "Nytt klotter på busskuren vid torget.",
        "assessment": 2,
    }
    values.update(overrides)
    return IncidentInput(**values)


def actor(user: Any, tenant: Any) -> Any:
    from samtrygg.core.permissions import actor_for

    found = actor_for(user, tenant.partnership)
    assert found is not None
    return found


def file_report(tenant: Any, role: str = "rapportor", *incidents: Any, **kwargs: Any) -> Any:
    from samtrygg.observations import services

    return services.submit_report(
        actor(tenant.user(role), tenant), list(incidents) or [incident(tenant)], **kwargs
    )


@pytest.fixture
def second_reporter(orsa: Any) -> Any:
    """A rapportör of another organisation in Orsa (a school)."""
    from django.contrib.auth import get_user_model

    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor

    system = system_actor(orsa.partnership)
    school = services.create_organisation(system, name="Skolan ORSA-MARK", type="skola")
    user = get_user_model().objects.create_user(
        username="skola.2034@test.example", email="skola.2034@test.example", password="x"
    )
    services.add_membership(system, user=user, organisation=school, role="rapportor")
    user.organisation = school
    return user


@pytest.fixture
def eager_jobs() -> Any:
    """Run Celery jobs in-process, as a worker would, with the job log."""
    from samtrygg.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def csv_text(rows: list[dict[str, Any]], header: list[str] | None = None) -> str:
    from samtrygg.observations.importing import HEADER

    header = header or HEADER
    lines = [",".join(header)]
    for row in rows:
        cells = []
        for name in header:
            value = str(row.get(name, ""))
            if any(c in value for c in ',"\n'):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def import_row(tenant: Any, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "datum": yesterday().isoformat(),
        "tidsband": "kväll",
        "kategori": "Klotter",
        "plats": tenant.place.name,
        "beskrivning": "Klotter på väggen vid entrén.",
        "bedomning": "2",
        "kalla": "egen iakttagelse",
        "polisanmald": "nej",
    }
    row.update(overrides)
    return row


def run_data_command(verb: str, *args: str) -> tuple[str, str]:
    """Run ``samtrygg import|export ...``; returns (stdout, stderr)."""
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command(verb, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
