"""The pages and the API for actions, meetings and walks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.actions.models import Action, Meeting, SafetyWalk
from tests.actions.conftest import jpeg_with_exif, make_action

pytestmark = pytest.mark.django_db


def test_action_pages_create_and_report(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    end = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("action-list"),
        {
            "title": "Rondering vid busstationen",
            "type": "rondering",
            "owner": orsa.other_organisation.pk,
            "start_date": dt.date.today().isoformat(),
            "end_date": end,
            "planned_count": "2",
            "not_for_publication": "on",
        },
    )
    item = Action.objects.get()
    assert response.status_code == 302 and item.not_for_publication
    listing = client.get(reverse("action-list")).content.decode()
    assert "Rondering vid busstationen" in listing and "ej för publicering" in listing
    reporter = login(orsa.user("rapportor"), orsa.partnership)
    response = reporter.post(
        reverse("action-detail", args=[item.pk]),
        {"action": "progress", "status": "genomford", "done_count": "2", "outcome": "Klart"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "genomford" and item.done_count == 2


def test_overdue_actions_are_marked_on_the_list(orsa: Any, coordinator: Any, login: Any) -> None:
    today = dt.date.today()
    make_action(
        coordinator,
        orsa.organisation,
        title="Försenad städning",
        start_date=today - dt.timedelta(days=9),
        end_date=today - dt.timedelta(days=1),
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    body = client.get(reverse("action-list")).content.decode()
    assert 'class="overdue"' in body and "1 insats är försenad" in body


def test_styrgrupp_follows_actions_and_meetings_without_changing_them(
    orsa: Any, login: Any
) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    assert client.get(reverse("action-list")).status_code == 200
    assert client.get(reverse("meeting-list")).status_code == 200
    assert client.post(reverse("meeting-list"), {"held_on": "2025-11-17"}).status_code == 404


def test_meeting_page_flow(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("meeting-list"), {"held_on": dt.date.today().isoformat()})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    url = reverse("meeting-detail", args=[meeting.pk])
    client.post(url, {"action": "attendance", f"org-{orsa.organisation.pk}": "3"})
    client.post(url, {"action": "notes", "notes": "Lugnt i Hansjö."})
    end = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    client.post(
        url,
        {
            "action": "decision",
            "text": "Två insatser vid torget",
            "a0-title": "Nattvandring",
            "a0-type": "vuxennarvaro",
            "a0-owner": orsa.organisation.pk,
            "a0-end_date": end,
            "a0-planned_count": "2",
            "a1-title": "Ny belysning",
            "a1-type": "fysisk_atgard",
            "a1-owner": orsa.other_organisation.pk,
            "a1-end_date": end,
            "a2-title": "",
        },
    )
    meeting.refresh_from_db()
    assert meeting.notes == "Lugnt i Hansjö."
    assert meeting.attendances.get().people == 3
    decision = meeting.decisions.get()
    assert sorted(a.title for a in decision.actions.all()) == ["Nattvandring", "Ny belysning"]
    assert all(a.start_date == meeting.held_on for a in decision.actions.all())
    page = client.get(url).content.decode()
    assert "§1" in page and "Nattvandring" in page


def test_walk_pages(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    route = '{"type":"LineString","coordinates":[[14.614,61.1195],[14.616,61.1205]]}'
    response = client.post(
        reverse("walk-list"),
        {
            "title": "Vandring i mörker",
            "planned_for": "2025-11-20T19:00",
            "light": "morker",
            "route": route,
            "invited": [str(orsa.other_organisation.pk)],
            "residents": "8",
        },
    )
    walk = SafetyWalk.objects.get()
    assert response.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("walk-detail", args=[walk.pk])
    client.post(
        url,
        {
            "action": "finding",
            "type": "klotter",
            "lat": "61.1201",
            "lon": "14.6151",
            "proposal": "Sanera väggen",
            "responsible": str(orsa.organisation.pk),
            "photo": SimpleUploadedFile("bild.jpg", jpeg_with_exif(), "image/jpeg"),
        },
    )
    finding = walk.findings.get()
    assert finding.photo
    client.post(
        url,
        {
            "action": "to-action",
            "finding": finding.pk,
            "end_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
            "owner": str(orsa.organisation.pk),
        },
    )
    finding.refresh_from_db()
    assert finding.action is not None
    geojson = client.get(reverse("walk-geojson", args=[walk.pk])).json()
    assert {f["properties"]["kind"] for f in geojson["features"]} == {"route", "finding"}
    assert "Sanera väggen" in client.get(url).content.decode()


def test_api_actions_meetings_walks(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    base = "/api/v1/partnerships/2034"
    today = dt.date.today()
    created = client.post(
        f"{base}/actions",
        {
            "title": "Trafikkontroll",
            "type": "trafikinsats",
            "owner_id": orsa.organisation.pk,
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=2)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    progress = client.post(
        f"{base}/actions/{pk}/progress",
        {"status": "pagar", "done_count": 1},
        content_type="application/json",
    )
    assert progress.json()["status"] == "pagar"
    meeting = client.post(
        f"{base}/meetings", {"held_on": today.isoformat()}, content_type="application/json"
    ).json()
    decision = client.post(
        f"{base}/meetings/{meeting['id']}/decisions",
        {
            "text": "Beslut",
            "actions": [
                {
                    "title": "Informationsinsats",
                    "type": "informationsinsats",
                    "owner_id": orsa.other_organisation.pk,
                    "end_date": (today + dt.timedelta(days=9)).isoformat(),
                }
            ],
        },
        content_type="application/json",
    )
    assert decision.status_code == 201 and len(decision.json()["action_ids"]) == 1
    bad = client.post(
        f"{base}/actions",
        {
            "title": "X",
            "type": "nej",
            "owner_id": orsa.organisation.pk,
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "type"
    walk = client.post(
        f"{base}/safety-walks",
        {"title": "API-vandring", "planned_for": "2025-11-20T19:00:00+01:00"},
        content_type="application/json",
    )
    assert walk.status_code == 201, walk.content
    finding = client.post(
        f"{base}/safety-walks/{walk.json()['id']}/findings",
        {"type": "belysning", "lat": 61.1203, "lon": 14.615},
        content_type="application/json",
    )
    assert finding.status_code == 201
    listing = client.get(f"{base}/actions").json()
    assert listing["count"] == 2
