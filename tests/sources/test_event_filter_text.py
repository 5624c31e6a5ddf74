"""A police-events filter with a control character (a NUL byte) in its type or category is
refused in words: 400 from the API, a message on the page. PostgreSQL cannot compare such
text, so it used to be a server error there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partnerships/2034"


@pytest.mark.parametrize("name", ["type", "category"])
def test_the_api_refuses_a_nul_in_a_text_filter(orsa: Any, login: Any, name: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    for path in ("/police-events", "/police-event-counts"):
        response = client.get(f"{BASE}{path}", {name: "Inbrott\x00"})
        assert response.status_code == 400, path
        assert "otillåtna tecken" in response.json()["detail"]


@pytest.mark.parametrize("name", ["typ", "kategori"])
def test_the_page_refuses_a_nul_in_a_text_filter(orsa: Any, login: Any, name: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("police-event-list"), {name: "Inbrott\x00"})
    assert response.status_code in (200, 400)
    assert "otillåtna tecken" in response.content.decode()
