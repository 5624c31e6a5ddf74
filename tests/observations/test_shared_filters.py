"""One filter definition per list: the reports list's filters (ObservationFilterParams) are
read the same by the page, its map data, its exports (page and command line) and the API;
the police-events list's (EventFilterParams) by its page and its API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.observations import queries, services
from samtrygg.sources.queries import EventFilterParams
from tests.observations.conftest import actor, incident, run_data_command

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partnerships/2034"


def _parameters(path: str) -> set[str]:
    from samtrygg.api.urls import api

    operation = api.get_openapi_schema()["paths"][path]["get"]
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def test_the_api_takes_exactly_the_lists_filters() -> None:
    fields = set(queries.ObservationFilterParams.model_fields)
    assert fields <= _parameters(BASE.replace("2034", "{code}") + "/observations")
    police = BASE.replace("2034", "{code}") + "/police-events"
    assert set(EventFilterParams.model_fields) <= _parameters(police)
    # The page's names stand for every field, once.
    assert sorted(EventFilterParams.PAGE_NAMES.values()) == sorted(EventFilterParams.model_fields)


def test_page_map_exports_and_api_list_the_same_reports(orsa: Any, login: Any) -> None:
    reporter = actor(orsa.user("rapportor"), orsa)
    services.submit_report(reporter, [incident(orsa, source="boende", assessment=4)])
    services.submit_report(reporter, [incident(orsa, assessment=1)])
    wanted = {"kalla": "boende", "bedomning": "4", "granskad": "nej"}
    samordnare = actor(orsa.user("samordnare"), orsa)
    expected = {o.pk for o in queries.observations(samordnare, queries.filter_from(wanted))}
    assert len(expected) == 1

    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("observation-list"), wanted).content.decode()
    assert all(f"/rapporter/{pk}/" in page for pk in expected)
    points = client.get(reverse("observation-map-data"), wanted).json()
    assert {f["id"] for f in points["features"]} == expected
    export = client.get(reverse("observation-export"), {**wanted, "format": "geojson"})
    assert {f["id"] for f in json.loads(export.content)["features"]} == expected
    api = client.get(f"{BASE}/observations", wanted).json()
    assert {item["id"] for item in api["items"]} == expected

    args = [f"--{key}={value}" for key, value in wanted.items()]
    out, _err = run_data_command("export", "observations", "--partnership", "2034", *args)
    assert {int(row["id"]) for row in csv.DictReader(io.StringIO(out))} == expected


def test_a_bad_filter_is_refused_alike_everywhere(orsa: Any, login: Any) -> None:
    from django.core.management.base import CommandError

    client = login(orsa.user("samordnare"), orsa.partnership)
    bad = {"kalla": "ryktet"}
    assert client.get(f"{BASE}/observations", bad).status_code == 400
    with pytest.raises(CommandError, match="Okänd källa"):
        run_data_command("export", "observations", "--partnership", "2034", "--kalla=ryktet")


def test_the_police_page_and_api_read_one_filter() -> None:
    page = EventFilterParams.from_page(
        {"typ": "Inbrott", "fran": "2025-01-01", "sammanfattningar": "on", "niva": "kommun"}
    ).parsed()
    api = EventFilterParams(
        type="Inbrott", date_from="2025-01-01", include_summaries=True, level="kommun"
    ).parsed()
    assert page == api
