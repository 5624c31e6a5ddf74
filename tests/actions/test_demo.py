"""Demo content for actions, meetings and safety walks: in both demo partnerships, labelled
demo, and loading it again changes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest

from samtrygg.actions.demo_data import load_demo_actions
from samtrygg.actions.models import Action, Meeting, SafetyWalk, WalkFinding
from samtrygg.core.demo import DEMO_LOADERS, load_demo

pytestmark = pytest.mark.django_db


def test_demo_actions_meetings_and_walks_load_once(db: Any) -> None:
    assert load_demo_actions in DEMO_LOADERS
    partnerships = load_demo()
    out = io.StringIO()
    load_demo_actions(partnerships, out)
    counts = (
        Action.objects.count(),
        Meeting.objects.count(),
        SafetyWalk.objects.count(),
        WalkFinding.objects.count(),
    )
    for partnership in partnerships:
        actions = Action.objects.filter(partnership=partnership)
        assert actions.count() == 4 and not actions.filter(is_demo=False).exists()
        assert actions.filter(not_for_publication=True, decision__isnull=False).count() == 1
        assert actions.filter(status="genomford").count() == 1
        meeting = Meeting.objects.get(partnership=partnership)
        assert "(demo)" in meeting.title
        assert meeting.attendances.count() == 3 and meeting.decisions.count() == 1
        walk = SafetyWalk.objects.get(partnership=partnership)
        assert walk.is_demo and walk.route["type"] == "LineString"
        assert walk.findings.count() == 3
    load_demo_actions(load_demo(), out)
    assert counts == (
        Action.objects.count(),
        Meeting.objects.count(),
        SafetyWalk.objects.count(),
        WalkFinding.objects.count(),
    )
    assert "fanns redan" in out.getvalue()
