"""Every write of the statutory services leaves an audit entry (the shared write-path check,
run over this app's services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import test_write_path as write_path
from tests.statutory.conftest import plan_fields

pytestmark = pytest.mark.django_db


def test_every_statutory_write_is_audited(orsa: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from samtrygg.core.dataio import system_actor
    from samtrygg.statutory import services

    monkeypatch.setattr(write_path, "SERVICE_MODULES", ("samtrygg.statutory.services",))
    actor = system_actor(orsa.partnership)
    today = dt.date.today()
    with write_path.every_service_checked(monkeypatch) as checker:
        problem = services.create_problem(
            actor, title="Kvällar", period_start="2025-01-01", period_end="2025-12-31"
        )
        cause = services.add_cause(actor, problem, side="plats", text="Mörkt")
        services.update_problem(
            actor,
            problem,
            title="Kvällar i Centrum",
            period_start="2025-01-01",
            period_end="2025-12-31",
            priority=1,
            status="aktuell",
        )
        other = services.create_problem(
            actor, title="Trafik", period_start="2025-01-01", period_end="2025-12-31"
        )
        no_action = services.record_no_action(actor, other, reason="Väghållaren ansvarar.")
        services.remove_no_action(actor, no_action)
        item = services.create_plan_item(actor, problem, cause=cause.pk, **plan_fields(orsa))
        services.update_plan_item(actor, item, **plan_fields(orsa, title="Ny titel"))
        services.record_follow_up(actor, item, date=today, outcome="delvis")
        body = services.create_decision_body(actor, kind="kommunstyrelse", name="KS")
        spare = services.create_decision_body(actor, kind="utskott", name="Utskottet")
        services.remove_decision_body(actor, spare)
        function = services.set_coordination_function(
            actor, unit="Enheten", contact="trygghet@orsa.se"
        )
        services.record_coordination_decision(
            actor, function, body=body, date=today, reference="KS § 1", outcome="godkant"
        )
        services.update_review_settings(
            actor, mapping_months=12, full_review_months=24, remind_days_before=30
        )
        report = services.draft_report(actor, year=2025)
        services.save_text(actor, report, section="analys", text="Analys")
        services.recompute_report(actor, report)
        entry = services.add_consultation(
            actor,
            report,
            actor_kind="polis",
            actor_name="Polisen",
            date=today,
            contribution="Bedömning",
        )
        services.remove_consultation(actor, entry)
        services.record_decision(
            actor, report, body=body, date=today, reference="KS § 2", outcome="godkant"
        )
        services.adopt_report(actor, report)
        services.new_version(actor, report, reason="Nya uppgifter")
    assert checker.calls >= 20
