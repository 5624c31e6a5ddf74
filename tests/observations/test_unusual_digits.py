"""Digits other than 0-9 ("²", "³") in a number field, a category or a place of a report are
refused in words, field by field, never a server error (the form, the API and imports all
validate through the same service)."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.observations import services
from tests.observations.conftest import actor, incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field", ["category", "place", "assessment", "people_count"], ids=lambda f: f
)
def test_superscript_digits_are_refused_by_field(orsa: Any, field: str) -> None:
    reporter = actor(orsa.user("rapportor"), orsa)
    with pytest.raises(services.InvalidReport) as refused:
        services.submit_report(reporter, [incident(orsa, **{field: "²"})])
    fields = {name for _index, name in refused.value.field_errors()}
    assert field in fields
