"""The matrix's agreement and promise columns come from the promises app's own answer."""

from __future__ import annotations

import io

import pytest

from samtrygg.actions.demo_data import load_demo_actions
from samtrygg.core.demo import load_demo
from samtrygg.county import records
from samtrygg.promises import queries as promise_queries
from samtrygg.promises.demo_data import load_demo_promises

pytestmark = pytest.mark.django_db


def test_promise_columns_are_the_promises_apps_validity() -> None:
    partnerships = load_demo()
    out = io.StringIO()
    load_demo_actions(partnerships, out)
    load_demo_promises(partnerships, out)
    gislaved = next(p for p in partnerships if p.municipality_id == "0662")
    expected = promise_queries.validity(gislaved)
    assert expected["promise_valid_to"] is not None  # the successor promise is in force
    entries = records.promise_entries(gislaved)
    assert entries.promise_valid_to == expected["promise_valid_to"]
    assert entries.agreement_valid_to == expected["agreement_valid_to"]
    assert entries.last_follow_up_published == expected["last_follow_up_published"]
