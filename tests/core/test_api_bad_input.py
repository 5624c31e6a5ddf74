"""Malformed paging and time bands answer 4xx with a Swedish message, never 500, on every
list of the API; the spec documents the refusals each operation can answer with."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

BAD_PAGING = [
    "page_size=AAA",
    "page=AAA",
    "page=0",
    "page=99999999999999999999",
    "page=9223372036854775807",
    "page_size=99999999999999999999",
]


def _lists(client: Any) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return [
        path.replace("{code}", "2034")
        for path, operations in spec["paths"].items()
        if "get" in operations
        and any(p["name"] == "page" for p in operations["get"].get("parameters", []))
    ]


def test_bad_paging_is_422_on_every_list(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    lists = _lists(client)
    assert len(lists) >= 8
    for url in lists:
        for query in BAD_PAGING:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 422, (url, query, response.status_code)
            assert "ogiltiga värden" in response.json()["detail"]


@pytest.mark.parametrize("start", ["1²:00", "²", "٣:00", "99999999999999999999:00"])
def test_time_bands_with_unreadable_times_are_400(orsa: Any, login: Any, start: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.put(
        "/api/v1/partnerships/2034/time-bands",
        {"bands": [{"label": "Dag", "start": start, "end": "18:00"}]},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "TT:MM" in response.json()["detail"]


def test_the_spec_documents_the_refusals_of_every_operation(client: Any, db: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "422", "429"} <= documented, (method, path)
            if "requestBody" in operation:
                assert "413" in documented, (method, path)
            for status in documented - {"200", "201", "202", "204"}:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Fel"}


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31"])
def test_a_meeting_at_the_ends_of_the_calendar_is_400(orsa: Any, login: Any, held_on: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        "/api/v1/partnerships/2034/meetings", {"held_on": held_on}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "1900" in response.json()["detail"]
