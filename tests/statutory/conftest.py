"""Fixtures for problems, decisions, the statutory lägesbild and the åtgärdsplan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def coordinator(orsa: Any, actor_of: Any) -> Any:
    return actor_of(orsa.user("samordnare"), orsa.partnership)


def make_problem(actor: Any, **overrides: Any) -> Any:
    from samtrygg.statutory import services

    year = dt.date.today().year - 1
    fields: dict[str, Any] = {
        "title": "Kvällar i Centrum",
        "description": "Ungdomar samlas vid torget på fredagskvällar.",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "priority": 1,
        "status": "aktuell",
    }
    fields.update(overrides)
    return services.create_problem(actor, **fields)


def plan_fields(tenant: Any, **overrides: Any) -> dict[str, Any]:
    today = dt.date.today()
    fields: dict[str, Any] = {
        "title": "Vuxennärvaro fredagskvällar",
        "goal_type": "prestationsmal",
        "indicator": "Kvällar med vuxennärvaro",
        "baseline": "0",
        "target": "40",
        "target_date": today + dt.timedelta(days=300),
        "responsible": tenant.organisation.pk,
        "follow_up_when": today + dt.timedelta(days=180),
    }
    fields.update(overrides)
    return fields


def make_body(actor: Any, name: str = "Kommunstyrelsen", kind: str = "kommunstyrelse") -> Any:
    from samtrygg.statutory import services

    return services.create_decision_body(actor, kind=kind, name=name)
