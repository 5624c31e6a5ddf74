"""Every page form parses what is posted before anything is looked up or saved: a malformed
number (a superscript "²", which str.isdigit() accepts and int() refuses, or a 25-digit number)
is refused with 400 and never answers 500, and a page that shows refused input again is never
cached (Cache-Control: no-store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.actions.conftest import make_action

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["²", "1" * 25]
PNR = "19811218-9876"


@pytest.fixture
def records(orsa: Any, actor_of: Any) -> dict[str, Any]:
    from samtrygg.actions import services as actions
    from samtrygg.core import services as core

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    token, _raw = core.create_api_token(orsa.user("samordnare"), name="Nyckel")
    return {
        "action": make_action(coordinator, orsa.organisation),
        "meeting": actions.create_meeting(coordinator, held_on=timezone.localdate()),
        "walk": actions.create_walk(
            coordinator, title="Kvällsvandring", planned_for=timezone.now() + dt.timedelta(days=2)
        ),
        "token": token,
    }


def _posts(orsa: Any, records: dict[str, Any], bad: str) -> list[tuple[str, dict[str, Any]]]:
    action = reverse("action-detail", args=[records["action"].pk])
    meeting = reverse("meeting-detail", args=[records["meeting"].pk])
    return [
        (reverse("account"), {"action": "revoke-token", "token": bad}),
        (action, {"action": "link", "observations": bad}),
        (action, {"action": "unlink", "observation": bad}),
        (reverse("observation-import"), {"organisation": bad}),
        (reverse("police-type-list"), {f"mapping-{_a_police_type(orsa)}": bad}),
        (meeting, {"action": "attendance", f"org-{orsa.organisation.pk}": bad}),
        (
            reverse("walk-list"),
            {"title": "Vandring", "planned_for": "2030-01-01T18:00", "invited": [bad]},
        ),
        (reverse("area-list"), {"name": "Nytt", "geometry": "{}", "population": bad}),
        (
            reverse("report-create"),
            {
                "action": "send",
                "organisation": bad,
                "category-0": "klotter",
                "occurred_on": timezone.localdate().isoformat(),
            },
        ),
        (
            reverse("report-create"),
            {
                "action": "send",
                "category-0": "klotter",
                "occurred_on-0": timezone.localdate().isoformat(),
                "time_band-0": "kvall",
                "place-0": bad,
                "precision-0": "plats",
            },
        ),
        (reverse("member-list"), {"action": "remove", "membership": bad}),
        (reverse("category-list"), {"action": "rename", "category": bad, "name": "X"}),
        (
            reverse("walk-detail", args=[records["walk"].pk]),
            {"action": "to-action", "finding": bad, "end_date": "2030-01-01"},
        ),
        (
            reverse("observation-detail", args=[_an_observation(orsa)]),
            {"action": "merge", "into": bad},
        ),
    ]


def _a_police_type(orsa: Any) -> int:
    from samtrygg.observations.models import PoliceTypeMapping

    found = PoliceTypeMapping.objects.filter(partnership=orsa.partnership).first()
    assert found is not None
    return found.pk


def _an_observation(orsa: Any) -> int:
    from samtrygg.observations.models import Observation

    found = Observation.objects.filter(partnership=orsa.partnership).first()
    assert found is not None
    return found.pk


@pytest.fixture
def an_observation(orsa: Any, actor_of: Any) -> None:
    from samtrygg.observations import services

    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    services.ensure_defaults(orsa.partnership)
    services.submit_report(
        actor,
        [
            services.IncidentInput(
                category="klotter",
                occurred_on=(timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                time="12:00",
                place=orsa.place.pk,
                location_precision="plats",
                description="Klotter på väggen",
                assessment="2",
            )
        ],
    )


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_malformed_numbers_in_page_forms_are_refused_with_400(
    orsa: Any, login: Any, records: dict[str, Any], an_observation: None, bad: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    answers = []
    for url, data in _posts(orsa, records, bad):
        response = client.post(url, data)
        answers.append(
            (url, data.get("action", ""), response.status_code, response.get("Cache-Control", ""))
        )
    wrong = [a for a in answers if a[2] != 400 or "no-store" not in a[3]]
    assert wrong == []


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("place-list", {"name": f"Torget {PNR}", "type": "torg", "lat": "61.12", "lon": "14.61"}),
        ("organisation-list", {"name": f"Bolaget {PNR}", "type": "skola"}),
        ("area-list", {"name": f"Området {PNR}", "geometry": "{}"}),
        (
            "time-band-settings",
            {"label-0": f"Kväll {PNR}", "start-0": "17:00", "end-0": "22:00"},
        ),
    ],
)
def test_refused_text_is_answered_400_and_never_cached(
    orsa: Any, login: Any, url_name: str, data: dict[str, str]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse(url_name), data)
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_a_refused_form_keeps_what_was_typed_and_says_it_beside_the_field(
    orsa: Any, login: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("place-list"), {"name": "Nya torget", "type": "torg", "lat": "²", "lon": "14,6"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Nya torget"' in page
    assert 'id="id_lat-error"' in page


def test_an_import_with_a_malformed_organisation_saves_nothing(orsa: Any, login: Any) -> None:
    from samtrygg.observations.models import Observation

    client = login(orsa.user("samordnare"), orsa.partnership)
    upload = SimpleUploadedFile("logg.csv", b"datum;kategori\n", "text/csv")
    response = client.post(
        reverse("observation-import"), {"organisation": "1" * 25, "file": upload}
    )
    assert response.status_code == 400
    assert Observation.objects.count() == 0
