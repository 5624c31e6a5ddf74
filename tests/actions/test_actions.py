"""Actions (insatser): validation, the owner organisation's updates, overdue, secrecy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samtrygg.actions import queries, services
from samtrygg.actions.models import Action, ActionStatus
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import AuditEntry
from tests.actions.conftest import make_action

pytestmark = pytest.mark.django_db


def test_coordinator_creates_an_action_with_an_audit_entry(orsa: Any, coordinator: Any) -> None:
    item = make_action(coordinator, orsa.other_organisation, place=orsa.place.pk)
    assert item.status == ActionStatus.PLANERAD
    assert item.area == orsa.area  # taken from the place
    entry = AuditEntry.objects.get(model="actions.Action", object_id=str(item.pk))
    assert entry.action == "create" and entry.partnership == orsa.partnership


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"type": "kaffe"}, "type"),
        ({"end_date": dt.date(2000, 1, 1)}, "end_date"),
        ({"planned_count": 0}, "planned_count"),
        ({"start_date": "igår"}, "start_date"),
        ({"description": "Ring 070-123 45 67"}, "description"),
    ],
)
def test_bad_input_is_refused_in_swedish(
    orsa: Any, coordinator: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as err:
        make_action(coordinator, orsa.organisation, **overrides)
    assert err.value.field == field
    assert not Action.objects.exists()


def test_an_organisation_of_another_partnership_cannot_own_an_action(
    orsa: Any, gislaved: Any, coordinator: Any
) -> None:
    with pytest.raises(DomainError) as err:
        make_action(coordinator, gislaved.organisation)
    assert "finns inte i den här samverkan" in err.value.message


def test_only_coordinators_plan(orsa: Any, actor_of: Any) -> None:
    for role in ("rapportor", "analytiker", "styrgrupp", "administrator"):
        actor = actor_of(orsa.user(role), orsa.partnership)
        with pytest.raises(PermissionDenied):
            make_action(actor, orsa.organisation)


def test_the_owner_organisation_reports_progress_and_others_may_not(
    orsa: Any, coordinator: Any, actor_of: Any
) -> None:
    mine = make_action(coordinator, orsa.other_organisation)  # the rapportör's organisation
    theirs = make_action(coordinator, orsa.organisation)
    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    done = services.record_progress(
        reporter, mine, status="genomford", done_count=3, outcome="Lugnt hela kvällen."
    )
    assert done.status == "genomford" and done.completed_at is not None
    with pytest.raises(PermissionDenied):
        services.record_progress(reporter, theirs, status="pagar", done_count=1)
    analyst = actor_of(orsa.user("analytiker"), orsa.partnership)
    with pytest.raises(PermissionDenied):
        services.record_progress(analyst, mine, status="pagar", done_count=1)


def test_each_organisation_sees_its_own_actions(orsa: Any, coordinator: Any, actor_of: Any) -> None:
    mine = make_action(coordinator, orsa.other_organisation)
    make_action(coordinator, orsa.organisation, title="Polisens rondering", type="rondering")
    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    assert list(queries.actions(reporter)) == [mine]
    assert queries.actions(coordinator).count() == 2
    assert queries.actions(actor_of(orsa.user("analytiker"), orsa.partnership)).count() == 2
    assert queries.actions(actor_of(orsa.user("styrgrupp"), orsa.partnership)).count() == 2


def test_overdue_actions_stand_out(orsa: Any, coordinator: Any) -> None:
    today = dt.date.today()
    late = make_action(
        coordinator,
        orsa.organisation,
        start_date=today - dt.timedelta(days=20),
        end_date=today - dt.timedelta(days=2),
    )
    make_action(coordinator, orsa.organisation)
    finished = make_action(
        coordinator,
        orsa.organisation,
        start_date=today - dt.timedelta(days=20),
        end_date=today - dt.timedelta(days=2),
    )
    services.record_progress(coordinator, finished, status="genomford", done_count=3)
    assert list(queries.actions(coordinator, overdue=True)) == [late]
    assert late.is_overdue and not finished.is_overdue


def test_not_for_publication_never_in_the_publishable_set(orsa: Any, coordinator: Any) -> None:
    open_ = make_action(coordinator, orsa.organisation)
    make_action(coordinator, orsa.organisation, type="rondering", not_for_publication=True)
    assert list(queries.actions_for_publication(coordinator)) == [open_]


def test_marking_done_without_a_count_counts_the_planned(orsa: Any, coordinator: Any) -> None:
    item = make_action(coordinator, orsa.organisation, planned_count=4)
    services.record_progress(coordinator, item, status="genomford", done_count=0)
    item.refresh_from_db()
    assert item.done_count == 4
