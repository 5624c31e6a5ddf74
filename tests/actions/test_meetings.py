"""The EST meeting: agenda from the picture and the open actions, attendance, notes and
decisions that create actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samtrygg.actions import services
from samtrygg.actions.models import Action, Decision
from samtrygg.core.errors import DomainError
from tests.actions.conftest import make_action

pytestmark = pytest.mark.django_db


def _spec(owner: Any, **extra: Any) -> services.ActionSpec:
    today = dt.date.today()
    fields = {
        "title": "Klottersanering i gångtunneln",
        "type": "fysisk_atgard",
        "owner": owner.pk,
        "start_date": today,
        "end_date": today + dt.timedelta(days=5),
    }
    fields.update(extra)
    return services.ActionSpec(**fields)


def test_agenda_lists_overdue_and_due_actions(orsa: Any, coordinator: Any) -> None:
    today = dt.date.today()
    late = make_action(
        coordinator,
        orsa.organisation,
        title="Sen insats",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=3),
    )
    due = make_action(coordinator, orsa.organisation, title="Snart klar")
    make_action(
        coordinator, orsa.organisation, title="Långt fram", end_date=today + dt.timedelta(days=60)
    )
    meeting = services.create_meeting(coordinator, held_on=today)
    kinds = {item.get("action_id"): item["kind"] for item in meeting.agenda}
    assert kinds[late.pk] == "overdue" and kinds[due.pk] == "due"
    assert "Långt fram" not in str(meeting.agenda)
    year, week, _ = today.isocalendar()
    assert meeting.title == f"EST-möte vecka {week} {year}"


def test_attendance_by_organisation(orsa: Any, coordinator: Any) -> None:
    meeting = services.create_meeting(coordinator, held_on=dt.date.today())
    services.set_attendance(
        coordinator, meeting, {orsa.organisation.pk: 2, orsa.other_organisation.pk: 0}
    )
    assert {(a.organisation_id, a.people) for a in meeting.attendances.all()} == {
        (orsa.organisation.pk, 2)
    }
    services.set_attendance(coordinator, meeting, {orsa.other_organisation.pk: 1})
    assert [a.organisation_id for a in meeting.attendances.all()] == [orsa.other_organisation.pk]


def test_notes_pass_the_privacy_screen(orsa: Any, coordinator: Any) -> None:
    meeting = services.create_meeting(coordinator, held_on=dt.date.today())
    with pytest.raises(DomainError):
        services.update_notes(coordinator, meeting, "Killen som heter Kalle Svensson var där")
    services.update_notes(coordinator, meeting, "Lugn vecka i centrum.")
    meeting.refresh_from_db()
    assert meeting.notes == "Lugn vecka i centrum."


def test_a_decision_creates_its_actions_all_or_nothing(orsa: Any, coordinator: Any) -> None:
    meeting = services.create_meeting(coordinator, held_on=dt.date.today())
    decision = services.add_decision(
        coordinator,
        meeting,
        text="Öka vuxennärvaron vid torget och sanera klottret.",
        actions=[
            _spec(orsa.organisation, title="Nattvandring", type="vuxennarvaro"),
            _spec(orsa.other_organisation),
        ],
    )
    assert decision.number == 1
    assert decision.actions.count() == 2
    with pytest.raises(DomainError) as err:
        services.add_decision(
            coordinator,
            meeting,
            text="Ett beslut till",
            actions=[_spec(orsa.organisation), _spec(orsa.organisation, type="okänd")],
        )
    assert err.value.row == 2 and "Insats 2" in err.value.message
    assert Decision.objects.count() == 1 and Action.objects.count() == 2
    with pytest.raises(DomainError):
        services.add_decision(coordinator, meeting, text="Utan insats", actions=[])
    second = services.add_decision(
        coordinator, meeting, text="Rondering", actions=[_spec(orsa.organisation)]
    )
    assert second.number == 2
