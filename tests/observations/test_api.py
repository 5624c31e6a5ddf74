"""The API: create, list, read, update; reports sent exactly once; import; categories, the
police type mapping and time bands; the same validation and messages as the forms."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

import pytest

from samtrygg.observations.models import Category, Observation, PoliceTypeMapping, Report
from tests.observations.conftest import csv_text, import_row, yesterday

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partnerships/2034"


def _body(tenant: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "category": "klotter",
        "occurred_on": yesterday().isoformat(),
        "time_band": "kvall",
        "place_id": tenant.place.pk,
        "description": "Nytt klotter på busskuren vid torget.",
        "assessment": 2,
    }
    body.update(overrides)
    return body


def _post(client: Any, path: str, body: Any) -> Any:
    return client.post(BASE + path, body, content_type="application/json")


def test_create_list_read_update(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    response = _post(client, "/observations", _body(orsa, people_count=3, source="boende"))
    assert response.status_code == 201
    created = response.json()
    assert created["category"] == "Klotter" and created["area"] == orsa.area.name
    assert created["place"] == orsa.place.name and created["location_precision"] == "plats"
    assert created["people_count"] == 3 and created["source"] == "boende"
    assert created["time"] is None and created["time_band"] == "kvall"
    assert len(created["h3_cell"]) == 15 and created["week"].startswith(str(yesterday().year)[:3])
    pk = created["id"]

    listing = client.get(BASE + "/observations").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pk
    assert client.get(BASE + "/observations", {"bedomning": "4"}).json()["count"] == 0
    bad_filter = client.get(BASE + "/observations", {"vecka": "nästa"})
    assert bad_filter.status_code == 400 and "2025-W47" in bad_filter.json()["detail"]
    assert client.get(f"{BASE}/observations/{pk}").json()["description"].startswith("Nytt")

    update = _body(
        orsa,
        place_id=None,
        lat=61.1207,
        lon=14.6158,
        time="21:05",
        time_band=None,
        location_precision="position",
        assessment=3,
    )
    response = client.put(f"{BASE}/observations/{pk}", update, content_type="application/json")
    assert response.status_code == 200
    changed = response.json()
    assert changed["location_precision"] == "position" and changed["place"] is None
    assert changed["time"] == "21:05" and changed["time_band"] == "kvall"
    assert changed["assessment"] == 3
    # Only coordinators mark reviewed.
    response = client.put(
        f"{BASE}/observations/{pk}", {**update, "reviewed": True}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Observation.objects.get(pk=pk).reviewed_at is None
    samordnare = login(orsa.user("samordnare"), orsa.partnership)
    response = samordnare.put(
        f"{BASE}/observations/{pk}", {**update, "reviewed": True}, content_type="application/json"
    )
    assert response.json()["reviewed"] is True


def test_a_report_sent_twice_is_stored_once(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    key = str(uuid.uuid4())
    body = {"client_uuid": key, "incidents": [_body(orsa), _body(orsa, category="Nedskräpning")]}
    first = _post(client, "/reports", body)
    assert first.status_code == 201
    assert [o["category"] for o in first.json()["observations"]] == ["Klotter", "Nedskräpning"]
    again = _post(client, "/reports", body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["observations"] == first.json()["observations"]
    assert Report.objects.count() == 1 and Observation.objects.count() == 2
    single = _post(client, "/observations", {**_body(orsa), "client_uuid": str(uuid.uuid4())})
    assert single.status_code == 201


def test_validation_messages_are_the_forms(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    response = _post(client, "/observations", _body(orsa, assessment=7))
    assert response.status_code == 400
    assert response.json() == {"detail": "Välj en bedömning mellan 1 och 4.", "field": "assessment"}
    response = _post(client, "/observations", _body(orsa, place_id=None))
    assert response.json()["field"] == "location"
    assert "Välj en plats, peka på kartan eller använd din position." in response.json()["detail"]
    response = _post(client, "/reports", {"incidents": [_body(orsa), _body(orsa, description="")]})
    assert response.json()["field"] == "incidents[1].description"
    assert response.json()["detail"].startswith("Händelse 2: Beskriv kort")
    response = _post(client, "/reports", {"incidents": []})
    assert response.json()["detail"] == "En rapport behöver minst en händelse."
    response = _post(client, "/observations", {"description": "x"})
    assert response.status_code == 400 and "Välj en kategori." in response.json()["detail"]
    assert not Observation.objects.exists()


def test_a_report_refused_on_several_fields_names_each_field(orsa: Any, login: Any) -> None:
    """The report form shows each refusal beside its own field: the answer lists every
    field's refusal, and still names the first field and says all of it as before."""
    client = login(orsa.user("rapportor"), orsa.partnership)
    future = (yesterday() + dt.timedelta(days=30)).isoformat()
    bad = _body(
        orsa, occurred_on=future, place_id=None, description="Lång text. " * 250, people_count=-4
    )
    response = _post(client, "/reports", {"client_uuid": str(uuid.uuid4()), "incidents": [bad]})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "occurred_on"
    assert body["detail"].startswith("Datumet ligger i framtiden. Välj en plats")
    assert body["errors"] == [
        {"field": "occurred_on", "detail": "Datumet ligger i framtiden."},
        {"field": "location", "detail": "Välj en plats, peka på kartan eller använd din position."},
        {"field": "description", "detail": "Beskrivningen får vara högst 2000 tecken."},
        {"field": "people_count", "detail": "Antal personer ska vara mellan 0 och 999."},
    ]
    several = _post(
        client, "/reports", {"incidents": [_body(orsa, assessment=9), _body(orsa, description="")]}
    )
    assert several.json()["field"] == "incidents[0].assessment"
    assert [e["field"] for e in several.json()["errors"]] == [
        "incidents[0].assessment",
        "incidents[1].description",
    ]
    assert not Observation.objects.exists()


def test_import_through_the_api(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    data = csv_text([import_row(orsa), import_row(orsa, beskrivning="Annat klotter.")])
    response = _post(client, "/observation-imports", {"content": data})
    assert response.json()["created"] == 2
    response = _post(
        client,
        "/observation-imports",
        {"filename": "logg.csv", "content_base64": base64.b64encode(data.encode()).decode()},
    )
    assert response.json() == {"created": 0, "unchanged": 2, "report_id": None}
    assert _post(client, "/observation-imports", {}).status_code == 400


def test_categories_mapping_and_time_bands(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    categories = client.get(BASE + "/categories").json()
    assert len(categories) == 16 and categories[0]["name"] == "Skadegörelse"
    created = _post(client, "/categories", {"name": "Fyrverkerier"})
    assert created.status_code == 201
    pk = created.json()["id"]
    response = client.put(
        f"{BASE}/categories/{pk}",
        {"name": "Smällare", "retired": True},
        content_type="application/json",
    )
    assert response.json()["name"] == "Smällare" and response.json()["retired"] is True
    assert client.delete(f"{BASE}/categories/{pk}").status_code == 204
    used = Category.objects.get(partnership=orsa.partnership, slug="klotter")
    _post(login(orsa.user("rapportor"), orsa.partnership), "/observations", _body(orsa))
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.delete(f"{BASE}/categories/{used.pk}")
    assert response.status_code == 400 and "Avveckla den i stället" in response.json()["detail"]

    mappings = client.get(BASE + "/police-type-mappings").json()
    assert len(mappings) == 95
    unmapped = client.get(BASE + "/police-type-mappings", {"unmapped": True}).json()
    assert {m["police_type"] for m in unmapped} >= {"Sammanfattning natt", "Anträffad död"}
    row = PoliceTypeMapping.objects.get(partnership=orsa.partnership, police_type="Djur")
    response = client.put(
        f"{BASE}/police-type-mappings/{row.pk}",
        {"category_id": used.pk},
        content_type="application/json",
    )
    assert response.json()["category"] == "Klotter"
    assert client.get(f"{BASE}/police-type-mappings/{row.pk}").json()["category_id"] == used.pk

    bands = client.get(BASE + "/time-bands").json()["bands"]
    assert [b["label"] for b in bands] == ["Morgon", "Dag", "Kväll", "Natt"]
    response = client.put(
        BASE + "/time-bands",
        {
            "bands": [
                {"label": "Dag", "start": "06:00", "end": "18:00"},
                {"label": "Natt", "start": "18:00", "end": "06:00"},
            ]
        },
        content_type="application/json",
    )
    assert [b["key"] for b in response.json()["bands"]] == ["dag", "natt"]
    rapportor = login(orsa.user("rapportor"), orsa.partnership)
    assert _post(rapportor, "/categories", {"name": "X"}).status_code == 403


def test_the_paths_are_in_the_openapi_spec(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/partnerships/{code}/reports",
        "/api/v1/partnerships/{code}/observations",
        "/api/v1/partnerships/{code}/observations/{pk}",
        "/api/v1/partnerships/{code}/observation-imports",
        "/api/v1/partnerships/{code}/categories",
        "/api/v1/partnerships/{code}/categories/{pk}",
        "/api/v1/partnerships/{code}/police-type-mappings",
        "/api/v1/partnerships/{code}/police-type-mappings/{pk}",
        "/api/v1/partnerships/{code}/time-bands",
    ):
        assert path in paths, path
