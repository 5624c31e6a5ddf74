"""Open311 GeoReport v2: discovery, services, definitions, POST and GET, JSON and XML."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.core.dataio import system_actor
from samtrygg.residents import services
from samtrygg.residents.models import Tip

pytestmark = pytest.mark.django_db

FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_discovery_and_services(orsa: Any, client: Any) -> None:
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    listed = client.get("/open311/v2/services.json?jurisdiction_id=2034").json()
    assert listed and all(set(s) == FIELDS for s in listed)
    codes = {s["service_code"] for s in listed}
    assert {"klotter", "nedskrapning", "otrygg-plats"} <= codes
    assert "samling-av-personer" not in codes  # not a physical fault
    xml = client.get("/open311/v2/services.xml?jurisdiction_id=2034")
    assert xml["Content-Type"].startswith("text/xml")
    assert b"<service_code>klotter</service_code>" in xml.content
    definition = client.get("/open311/v2/services/klotter.json?jurisdiction_id=2034").json()
    assert definition["service_code"] == "klotter" and definition["attributes"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/open311/v2/services.json", 400),
        ("/open311/v2/services.json?jurisdiction_id=9999", 404),
        ("/open311/v2/services/okand.json?jurisdiction_id=2034", 404),
        ("/open311/v2/services.csv?jurisdiction_id=2034", 404),
        ("/open311/v2/requests.json?jurisdiction_id=2034&start_date=igar", 400),
    ],
)
def test_errors_follow_the_standard(orsa: Any, client: Any, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body[0]["code"] == status and body[0]["description"]


def test_post_and_get_requests(orsa: Any, client: Any, actor_of: Any) -> None:
    data = {
        "jurisdiction_id": "2034",
        "service_code": "otrygg-plats",
        "lat": str(orsa.place.lat),
        "long": str(orsa.place.lon),
        "description": "Lampan vid gångtunneln är trasig.",
        "email": "boende@exempel.se",
        "first_name": "Kalle",
    }
    created = client.post("/open311/v2/requests.json", data)
    assert created.status_code == 200
    request_id = created.json()[0]["service_request_id"]
    tip = Tip.objects.get(pk=request_id)
    assert tip.channel == "open311" and "Kalle" not in str(tip.__dict__)
    # not listed before it is reviewed
    listed = client.get("/open311/v2/requests.json?jurisdiction_id=2034").json()
    assert listed == []
    assert (
        client.get(f"/open311/v2/requests/{request_id}.json?jurisdiction_id=2034").status_code
        == 404
    )
    services.close_tip(system_actor(orsa.partnership), tip, reason="Lampan är lagad.")
    listed = client.get("/open311/v2/requests.json?jurisdiction_id=2034").json()
    assert len(listed) == 1
    item = listed[0]
    assert item["status"] == "closed" and "description" not in item
    assert "boende" not in str(item) and item["address"] == orsa.area.name
    assert (item["lat"], item["long"]) != (round(tip.lat, 5), round(tip.lon, 5))
    xml = client.get(f"/open311/v2/requests/{request_id}.xml?jurisdiction_id=2034")
    assert b"<status>closed</status>" in xml.content


def test_a_personnummer_is_refused_in_json_and_xml(orsa: Any, client: Any) -> None:
    data = {
        "jurisdiction_id": "2034",
        "service_code": "klotter",
        "lat": str(orsa.place.lat),
        "long": str(orsa.place.lon),
        "description": "Han på 19121212-1212 klottrar.",
    }
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 400 and "personnummer" in response.json()[0]["description"]
    response = client.post("/open311/v2/requests.xml", data)
    assert response.status_code == 400
    assert b"<code>400</code>" in response.content and "personnummer" in response.content.decode()
    assert Tip.objects.count() == 0


def test_an_unknown_api_key_is_refused(orsa: Any, client: Any) -> None:
    response = client.post(
        "/open311/v2/requests.json",
        {"jurisdiction_id": "2034", "service_code": "klotter", "api_key": "fel", "lat": "1"},
    )
    assert response.status_code == 403
