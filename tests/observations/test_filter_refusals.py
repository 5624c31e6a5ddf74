"""Filter values that cannot stand for a record are refused in words (400 or a message on the
page), never a server error: a number too large for any id, digits that are not 0–9, and a
yes/no filter given something else."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partnerships/2034"

UNREADABLE = [
    {"kategori": "99999999999999999999999"},
    {"organisation": "9" * 40},
    {"omrade": "²"},
    {"bedomning": "99999999999999999999"},
]


@pytest.mark.parametrize("params", UNREADABLE)
def test_unreadable_ids_are_refused_everywhere(
    orsa: Any, login: Any, params: dict[str, str]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    api = client.get(f"{BASE}/observations", params)
    assert api.status_code == 400
    assert "ogiltigt" in api.json()["detail"]
    assert client.get(reverse("observation-map-data"), params).status_code == 400
    page = client.get(reverse("observation-list"), params)
    assert page.status_code == 400
    assert "ogiltigt" in page.content.decode()
    export = client.get(reverse("observation-export"), {**params, "format": "csv"})
    assert export.status_code == 302


@pytest.mark.parametrize("params", [{"granskad": "kanske"}, {"sammanslagna": "alla"}])
def test_an_unknown_yes_no_value_is_refused_not_ignored(
    orsa: Any, login: Any, params: dict[str, str]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    api = client.get(f"{BASE}/observations", params)
    assert api.status_code == 400
    assert "ogiltigt" in api.json()["detail"]
