"""The steering group follows up: actions' status and progress, meetings' decisions and
walks' summaries, without single reports or meeting notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.actions import services
from tests.actions.conftest import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(orsa: Any, coordinator: Any) -> dict[str, Any]:
    from samtrygg.observations import services as reports

    reports.ensure_defaults(orsa.partnership)
    result = reports.submit_report(
        coordinator,
        [
            reports.IncidentInput(
                category="klotter",
                occurred_on=(timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                time="12:00",
                place=orsa.place.pk,
                description="Klotter REPORT-MARK på väggen",
                assessment="2",
            )
        ],
        organisation=orsa.organisation.pk,
    )
    meeting = services.create_meeting(coordinator, held_on=timezone.localdate())
    services.update_notes(coordinator, meeting, "Anteckning NOTES-MARK")
    decision = services.add_decision(
        coordinator,
        meeting,
        text="Beslut DECISION-MARK",
        actions=[
            services.ActionSpec(
                title="Vuxennärvaro ACTION-MARK",
                type="vuxennarvaro",
                owner=orsa.organisation.pk,
                start_date=timezone.localdate(),
                end_date=timezone.localdate() + dt.timedelta(days=14),
                planned_count=4,
            )
        ],
    )
    action = decision.actions.get()
    services.record_progress(coordinator, action, status="pagar", done_count=2)
    services.link_observations(coordinator, action, [result.observations[0].pk])
    walk = services.create_walk(
        coordinator, title="Vandring WALK-MARK", planned_for=timezone.now() - dt.timedelta(days=1)
    )
    services.update_walk(
        coordinator,
        walk,
        title=walk.title,
        planned_for=walk.planned_for,
        light=walk.light,
        route=None,
        invited=[],
        residents=0,
        area=None,
        status="genomford",
        summary="Sammanfattning SUMMARY-MARK",
    )
    make_action(coordinator, orsa.other_organisation, title="Annan insats OTHER-MARK")
    return {"meeting": meeting, "action": action, "walk": walk}


def test_the_steering_group_sees_actions_status_and_progress(
    orsa: Any, login: Any, followed: dict[str, Any]
) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    listing = client.get(reverse("action-list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "ACTION-MARK" in page and "OTHER-MARK" in page
    detail = client.get(reverse("action-detail", args=[followed["action"].pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "2 / 4" in page and "Pågår" in page
    assert "REPORT-MARK" not in page
    assert "/rapporter/" + str(followed["action"].observations.get().pk) not in page


def test_the_steering_group_sees_decisions_but_not_notes(
    orsa: Any, login: Any, followed: dict[str, Any]
) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    assert client.get(reverse("meeting-list")).status_code == 200
    detail = client.get(reverse("meeting-detail", args=[followed["meeting"].pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "DECISION-MARK" in page
    assert "NOTES-MARK" not in page
    assert 'name="action"' not in page  # reads only


def test_the_steering_group_sees_walk_summaries(
    orsa: Any, login: Any, followed: dict[str, Any]
) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    assert "WALK-MARK" in client.get(reverse("walk-list")).content.decode()
    detail = client.get(reverse("walk-detail", args=[followed["walk"].pk]))
    assert detail.status_code == 200
    assert "SUMMARY-MARK" in detail.content.decode()


def test_the_steering_group_still_reads_no_single_report(
    orsa: Any, login: Any, followed: dict[str, Any]
) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    pk = followed["action"].observations.get().pk
    assert client.get(reverse("observation-detail", args=[pk])).status_code in (403, 404)
