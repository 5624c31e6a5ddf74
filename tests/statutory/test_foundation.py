"""Problems with versions and causes, decisions about any document, the plan, the
samordningsfunktion and compliance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.statutory import compliance, queries, services
from samtrygg.statutory.models import Problem, ProblemVersion
from tests.statutory.conftest import make_body, make_problem, plan_fields

pytestmark = pytest.mark.django_db


def test_an_edit_keeps_the_version_before(coordinator: Any, orsa: Any) -> None:
    problem = make_problem(coordinator, areas=[orsa.area.pk])
    services.add_cause(coordinator, problem, side="plats", text="Mörk gångväg", evidence="Vandring")
    services.update_problem(
        coordinator,
        problem,
        title="Kvällar vid torget",
        description="",
        period_start=problem.period_start,
        period_end=problem.period_end,
        priority=2,
        status="bevakas",
        areas=[],
    )
    problem.refresh_from_db()
    assert problem.title == "Kvällar vid torget"
    assert problem.version == 3
    kept = {v.version: v.snapshot for v in ProblemVersion.objects.filter(problem=problem)}
    assert kept[1]["causes"] == []
    assert kept[2]["title"] == "Kvällar i Centrum"
    assert kept[2]["areas"] == [orsa.area.name]
    assert kept[2]["causes"][0]["text"] == "Mörk gångväg"


def test_problem_input_is_checked(coordinator: Any, gislaved: Any) -> None:
    with pytest.raises(DomainError) as refused:
        make_problem(coordinator, period_end=dt.date(2000, 1, 1))
    assert refused.value.field == "period_end"
    with pytest.raises(DomainError) as refused:
        make_problem(coordinator, areas=[gislaved.area.pk])
    assert refused.value.field == "areas"
    with pytest.raises(DomainError) as refused:
        make_problem(coordinator, description="Ring Anna på 070-123 45 67")
    assert refused.value.field == "description"
    assert not Problem.objects.exists()


def test_readers_and_writers(orsa: Any, actor_of: Any, coordinator: Any) -> None:
    problem = make_problem(coordinator)
    analyst = actor_of(orsa.user("analytiker"), orsa.partnership)
    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    assert queries.problem(analyst, problem.pk) == problem
    with pytest.raises(PermissionDenied):
        services.create_problem(
            analyst, title="x", period_start="2025-01-01", period_end="2025-12-31"
        )
    with pytest.raises(PermissionDenied):
        queries.problems(reporter)


def test_another_partnership_is_not_found(coordinator: Any, gislaved: Any, actor_of: Any) -> None:
    problem = make_problem(coordinator)
    other = actor_of(gislaved.user("samordnare"), gislaved.partnership)
    with pytest.raises(NotFound):
        queries.problem(other, problem.pk)
    with pytest.raises(NotFound):
        queries.decisions_for(other, problem)


def test_decision_trail_about_any_document(
    coordinator: Any, orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    body = make_body(coordinator)
    function = services.set_coordination_function(
        coordinator, unit="Säkerhetsenheten", contact="trygghet@orsa.example", roles="Samordnare"
    )
    services.record_decision(
        coordinator,
        function,
        body=body,
        date="2024-03-01",
        reference="KS § 12",
        outcome="aterremitterat",
    )
    services.record_coordination_decision(
        coordinator,
        function,
        body=body.pk,
        date="2024-04-02",
        reference="KS § 30",
        outcome="godkant",
    )
    trail = list(queries.decisions_for(coordinator, function))
    assert [d.outcome for d in trail] == ["aterremitterat", "godkant"]
    function.refresh_from_db()
    assert function.decision == trail[1]
    with pytest.raises(DomainError) as refused:
        services.record_decision(
            coordinator,
            function,
            body=body,
            date=dt.date.today() + dt.timedelta(days=3),
            reference="KS § 1",
            outcome="godkant",
        )
    assert refused.value.field == "date"
    other = actor_of(gislaved.user("samordnare"), gislaved.partnership)
    with pytest.raises(PermissionDenied):
        services.record_decision(
            other, function, body=body, date="2024-04-02", reference="x", outcome="godkant"
        )
    other_body = make_body(other)
    with pytest.raises(DomainError) as refused:
        services.record_decision(
            coordinator,
            function,
            body=other_body.pk,
            date="2024-04-02",
            reference="x",
            outcome="godkant",
        )
    assert refused.value.field == "body"


def test_plan_items_link_causes_and_actions(coordinator: Any, orsa: Any) -> None:
    from tests.actions.conftest import make_action

    problem = make_problem(coordinator)
    cause = services.add_cause(coordinator, problem, side="garningsperson", text="Ingen vuxen")
    action = make_action(coordinator, orsa.organisation)
    item = services.create_plan_item(
        coordinator, problem, cause=cause.pk, actions=[action.pk], **plan_fields(orsa)
    )
    assert list(item.actions.all()) == [action]
    assert item.cause == cause
    other_problem = make_problem(coordinator, title="Trafik")
    other_cause = services.add_cause(coordinator, other_problem, side="plats", text="Raksträcka")
    with pytest.raises(DomainError) as refused:
        services.create_plan_item(coordinator, problem, cause=other_cause.pk, **plan_fields(orsa))
    assert refused.value.field == "cause"
    watched = make_problem(coordinator, title="Klotter", status="bevakas")
    with pytest.raises(DomainError):
        services.create_plan_item(coordinator, watched, **plan_fields(orsa))
    services.record_no_action(coordinator, other_problem, reason="Trafikverket äger frågan.")
    with pytest.raises(DomainError):
        services.create_plan_item(coordinator, other_problem, **plan_fields(orsa))
    with pytest.raises(DomainError):
        services.record_no_action(coordinator, problem, reason="Nej")
    services.record_follow_up(
        coordinator, item, date=dt.date.today(), outcome="delvis", indicator_value="12"
    )
    with pytest.raises(DomainError):
        services.remove_plan_item(coordinator, item)


def _status(partnership: Any, today: dt.date | None = None) -> dict[str, str]:
    return {o.key: o.status for o in compliance.obligations(partnership, today=today)}


def test_compliance_before_anything_is_overdue(orsa: Any) -> None:
    assert _status(orsa.partnership, dt.date(2026, 1, 1)) == {
        "lagesbild": "overdue",
        "atgardsplan": "overdue",
        "samordningsfunktion": "overdue",
        "uppfoljning": "missing",
        "oversyn": "overdue",
    }
    early = _status(orsa.partnership, dt.date(2024, 1, 1))
    assert early["lagesbild"] == "missing"


def test_compliance_is_a_handful_of_queries(orsa: Any, coordinator: Any) -> None:
    services.set_coordination_function(coordinator, unit="Enheten", contact="trygghet@orsa.example")
    with CaptureQueriesContext(connection) as queries_run:
        compliance.obligations(orsa.partnership)
    assert len(queries_run) <= 5


@pytest.mark.parametrize(
    ("contact", "ok"),
    [
        ("trygghet@orsa.se", True),
        ("0250-55 20 00", True),
        ("https://www.orsa.se/trygghet", True),
        ("anna.svensson@orsa.se", False),
        ("ring Anna", False),
    ],
)
def test_the_contact_is_functional(coordinator: Any, contact: str, ok: bool) -> None:
    if ok:
        function = services.set_coordination_function(coordinator, unit="Enheten", contact=contact)
        assert function.contact == contact
    else:
        with pytest.raises(DomainError) as refused:
            services.set_coordination_function(coordinator, unit="Enheten", contact=contact)
        assert refused.value.field == "contact"
