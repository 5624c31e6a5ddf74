"""The pages and the API of external sources: police events of the partnership's kommun and
län (list, map, one event), crime statistics, the source status, and who may ask for a fetch."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from tests.sources.conftest import FIXTURES, make_event, run_command

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def events(orsa: Any, gislaved: Any) -> dict[str, Any]:
    """Events in Orsa (2034), elsewhere in Dalarna (20), only in Dalarnas län, and Gislaved's."""
    march = dt.datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    return {
        "orsa_brand": make_event(
            101, kommunkod="2034", lan_kod="20", type="Brand", published=march, marker="ORSA-BRAND"
        ),
        "orsa_rattfylleri": make_event(
            102,
            kommunkod="2034",
            lan_kod="20",
            type="Rattfylleri",
            published=march + dt.timedelta(days=20),
            marker="ORSA-RATT",
        ),
        "orsa_summary": make_event(
            103, kommunkod="2034", lan_kod="20", type="Sammanfattning natt", marker="ORSA-SAMM"
        ),
        "mora": make_event(104, kommunkod="2062", lan_kod="20", type="Brand", marker="MORA-BRAND"),
        "dalarna": make_event(105, kommunkod=None, lan_kod="20", type="Stöld", marker="DALA-LAN"),
        "gislaved": make_event(
            106, kommunkod="0662", lan_kod="06", type="Brand", marker="GISLAVED-EVENT"
        ),
    }


def test_police_event_list_shows_kommun_and_lan_separately(
    orsa: Any, events: dict[str, Any], login: Any
) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    response = client.get(reverse("police-event-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ORSA-BRAND" in html and "ORSA-RATT" in html
    assert "DALA-LAN" in html
    assert "Händelser i länet utan angiven kommun" in html
    assert "Källa: Polisen" in html
    assert "placerade på kommunnivå, inte på platsen" in html
    assert "ORSA-SAMM" not in html  # summaries are left out unless asked for
    assert "MORA-BRAND" not in html  # another kommun of the län is not the partnership's
    assert "GISLAVED-EVENT" not in html
    assert "<script>" not in html  # no inline script (content security policy)
    with_summaries = client.get(reverse("police-event-list"), {"sammanfattningar": "1"})
    assert "ORSA-SAMM" in with_summaries.content.decode()


def test_police_event_list_filters(orsa: Any, events: dict[str, Any], login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    html = client.get(reverse("police-event-list"), {"typ": "Rattfylleri"}).content.decode()
    assert "ORSA-RATT" in html and "ORSA-BRAND" not in html
    html = client.get(
        reverse("police-event-list"), {"fran": "2025-03-25", "till": "2025-04-30"}
    ).content.decode()
    assert "ORSA-RATT" in html and "ORSA-BRAND" not in html
    html = client.get(reverse("police-event-list"), {"fran": "inte-ett-datum"}).content.decode()
    assert "Ogiltigt datum" in html
    from samtrygg.observations.queries import police_type_categories

    category = police_type_categories(orsa.partnership)["Brand"]
    assert category
    html = client.get(reverse("police-event-list"), {"kategori": category}).content.decode()
    assert "ORSA-BRAND" in html and "ORSA-RATT" not in html


def test_police_event_map_is_kommun_level(orsa: Any, events: dict[str, Any], login: Any) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    data = client.get(reverse("police-event-map")).json()
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds == ["kommun", "kommun-count"]
    label = data["features"][1]
    assert label["properties"]["count"] == 2
    assert "placerade på kommunnivå, inte på platsen" in label["properties"]["label"]
    # The label sits inside the kommun, not at any event's published point.
    from shapely.geometry import Point, shape

    assert shape(data["features"][0]["geometry"]).contains(Point(label["geometry"]["coordinates"]))
    assert data["properties"]["lan_count"] == 1
    filtered = client.get(reverse("police-event-map"), {"typ": "Brand"}).json()
    assert filtered["features"][1]["properties"]["count"] == 1
    summaries = client.get(reverse("police-event-map"), {"sammanfattningar": "1"}).json()
    assert summaries["features"][1]["properties"]["count"] == 3


def test_police_event_detail_is_limited_to_the_lan(
    orsa: Any, events: dict[str, Any], login: Any
) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    ok = client.get(reverse("police-event-detail", args=[events["orsa_brand"].pk]))
    assert ok.status_code == 200
    assert "Källa: Polisen" in ok.content.decode()
    assert "kommunens mittpunkt enligt polisen" in ok.content.decode()
    # Another kommun of the same län: readable (public data of the län), marked as such.
    mora = client.get(reverse("police-event-detail", args=[events["mora"].pk]))
    assert mora.status_code == 200
    assert "inte i samverkans kommun" in mora.content.decode()
    assert (
        client.get(reverse("police-event-detail", args=[events["gislaved"].pk])).status_code == 404
    )
    assert client.get(reverse("police-event-detail", args=[999_999])).status_code == 404


def test_pages_need_a_login(client: Any) -> None:
    for name in ("police-event-list", "source-status", "crime-statistics", "police-event-map"):
        assert client.get(reverse(name)).status_code == 302


def test_crime_statistics_page_shows_bras_published_rate(orsa: Any, login: Any) -> None:
    code, _out, err = run_command(
        "import", "bra-crime", str(FIXTURES / "anmalda_brott_kommuner_2021.csv"), "--year", "2021"
    )
    assert code == 0, err
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    html = client.get(reverse("crime-statistics")).content.decode()
    assert "Anmälda brott totalt" in html
    assert "<strong>7\u00a0147</strong>" in html and "enligt Brå" in html
    assert "närmaste år" not in html
    assert "Källa: Brå" in html
    assert "Dalarnas län per 100 000" in html


def test_source_status_page(orsa: Any, events: dict[str, Any], login: Any, settings: Any) -> None:
    from samtrygg.sources.models import SourceRun

    SourceRun.objects.create(
        source="police-events",
        kind="import",
        finished_at=dt.datetime(2025, 5, 1, tzinfo=UTC),
        created=5,
        skipped=1,
        detail="events.jsonl: rad 3: saknar fältet id",
    )
    from samtrygg.observations.services import note_police_types

    note_police_types(None, {"Helt ny händelsetyp"})
    make_event(107, kommunkod="2034", lan_kod="20", type="Helt ny händelsetyp")
    client = login(orsa.user("rapportor"), orsa.partnership)
    html = client.get(reverse("source-status")).content.decode()
    assert "Helt ny händelsetyp" in html  # unmapped types are listed
    assert "rad 3: saknar fältet id" in html
    assert "Avstängd: POLICE_EVENTS_URL är inte satt." in html
    assert "Hämta nu" not in html
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    html = client.get(reverse("source-status")).content.decode()
    assert "Nästa schemalagda hämtning" in html
    assert "Hämta nu" not in html  # a rapportör may not ask for a fetch
    assert client.post(reverse("source-status")).status_code == 404
    samordnare = login(orsa.user("samordnare"), orsa.partnership)
    assert "Hämta nu" in samordnare.get(reverse("source-status")).content.decode()


def test_samordnare_may_ask_for_a_fetch(
    orsa: Any, login: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from samtrygg.core.generations import DATA
    from samtrygg.core.models import AuditEntry
    from samtrygg.sources.models import SourceRun

    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    client = login(orsa.user("samordnare"), orsa.partnership)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("source-status"), follow=True)
    assert "Hämtningen är begärd" in response.content.decode()
    # One job queued at the commit (besides the kept pictures' new data generation).
    jobs = [c for c in callbacks if getattr(c, "store", None) is not DATA]
    assert len(jobs) == 1
    run = SourceRun.objects.get(kind="fetch")
    assert run.finished_at is None and "Samordnare" in run.detail
    entry = AuditEntry.objects.get(model="sources.SourceRun")
    assert entry.partnership == orsa.partnership and entry.actor == orsa.user("samordnare")
    again = client.post(reverse("source-status"), follow=True).content.decode()
    assert "redan begärd" in again


# --------------------------------------------------------------------------- API


def test_api_police_events(orsa: Any, events: dict[str, Any], login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    body = client.get("/api/v1/partnerships/2034/police-events").json()
    ids = {item["id"] for item in body["items"]}
    assert ids == {101, 102, 105}
    item = next(i for i in body["items"] if i["id"] == 101)
    assert item["kommunkod"] == "2034" and item["precision"] == "kommun"
    assert item["category"] and item["source"] == "Polisen"
    assert "inte platsen" in item["point_note"]
    lan_only = next(i for i in body["items"] if i["id"] == 105)
    assert (lan_only["kommunkod"], lan_only["lan_kod"], lan_only["precision"]) == (
        None,
        "20",
        "lan",
    )
    body = client.get(
        "/api/v1/partnerships/2034/police-events", {"include_summaries": "true", "level": "kommun"}
    ).json()
    assert {i["id"] for i in body["items"]} == {101, 102, 103}
    body = client.get(
        "/api/v1/partnerships/2034/police-events",
        {"date_from": "2025-03-25", "type": "Rattfylleri"},
    ).json()
    assert [i["id"] for i in body["items"]] == [102]
    detail = client.get("/api/v1/partnerships/2034/police-events/101").json()
    assert detail["earlier_versions"] == []
    assert client.get("/api/v1/partnerships/2034/police-events/106").status_code == 404
    assert client.get("/api/v1/partnerships/0662/police-events").status_code == 404
    counts = client.get("/api/v1/partnerships/2034/police-event-counts").json()
    assert (counts["kommun"], counts["lan"], counts["summaries"]) == (2, 1, 1)
    assert {row["type"] for row in counts["by_type"]} == {"Brand", "Rattfylleri", "Stöld"}


def test_api_crime_statistics_and_sources(orsa: Any, login: Any) -> None:
    run_command(
        "import", "bra-crime", str(FIXTURES / "anmalda_brott_kommuner_2021.csv"), "--year", "2021"
    )
    client = login(orsa.user("rapportor"), orsa.partnership)
    rates = client.get("/api/v1/partnerships/2034/crime-statistics").json()
    total = next(r for r in rates if r["category"] == "Anmälda brott totalt")
    assert total["year"] == 2021 and total["population_year"] is None  # no 2021 population
    assert total["published_rate"] and total["rate_per_100000"] == 7147
    assert total["lan_kommuner"] == total["lan_total"] == 15
    status = client.get("/api/v1/partnerships/2034/sources").json()
    assert status["bra_years"] == [2021] and 2024 in status["population_years"]
    assert status["last_import"] is None and status["fetch_enabled"] is False


def test_api_fetch_request_is_for_samordnare(
    orsa: Any, login: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    url = "/api/v1/partnerships/2034/sources/police-events/fetch"
    for role in ("rapportor", "analytiker", "styrgrupp", "kommunpolis", "administrator"):
        client = login(orsa.user(role), orsa.partnership)
        assert client.post(url).status_code == 403, role
    client = login(orsa.user("samordnare"), orsa.partnership)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url)
    assert response.status_code == 202
    assert response.json()["run_id"]


def test_api_fetch_request_refused_when_fetching_is_off(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post("/api/v1/partnerships/2034/sources/police-events/fetch")
    assert response.status_code == 400
    assert "POLICE_EVENTS_URL" in response.json()["detail"]


def test_api_paths_are_in_the_openapi_spec(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/partnerships/{code}/police-events",
        "/api/v1/partnerships/{code}/police-events/{pk}",
        "/api/v1/partnerships/{code}/police-event-counts",
        "/api/v1/partnerships/{code}/crime-statistics",
        "/api/v1/partnerships/{code}/sources",
        "/api/v1/partnerships/{code}/sources/police-events/fetch",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/partnerships/{code}/sources/police-events/fetch"]) == {"post"}
    json.dumps(paths)  # the spec serialises
