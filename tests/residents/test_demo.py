"""The residents demo: tips in the queue (one flagged), a published fact answer, and the
Open311 demo: services of 0662 listed, a personnummer in an anonymous POST refused with why."""

from __future__ import annotations

import io
from typing import Any

import pytest

from samtrygg.core.demo import FINAL_DEMO_LOADERS, load_demo
from samtrygg.residents.demo_data import load_demo_residents
from samtrygg.residents.models import Claim, Tip

pytestmark = pytest.mark.django_db

FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_demo_tips_and_fact_answer_load_once(db: Any, client: Any) -> None:
    assert load_demo_residents in FINAL_DEMO_LOADERS
    partnerships = load_demo()
    out = io.StringIO()
    load_demo_residents(partnerships, out)
    counts = (Tip.objects.count(), Claim.objects.count())
    assert counts == (4 * len(partnerships), len(partnerships))
    load_demo_residents(partnerships, out)
    assert (Tip.objects.count(), Claim.objects.count()) == counts
    for partnership in partnerships:
        claim = Claim.objects.get(partnership=partnership)
        assert claim.published_at is not None and claim.is_demo
        code = partnership.municipality_id
        assert "Stämmer delvis" in client.get(f"/p/{code}/fakta/").content.decode()
    services = client.get("/open311/v2/services.json?jurisdiction_id=0662").json()
    assert services and all(set(s) == FIELDS for s in services)
    place = Tip.objects.filter(partnership__municipality_id="0662").first()
    refused = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "0662",
            "service_code": services[0]["service_code"],
            "lat": str(place.lat),
            "long": str(place.lon),
            "description": "Mannen med personnummer 19121212-1212 har slängt skräp.",
        },
    )
    assert refused.status_code == 400
    assert "personnummer" in refused.json()[0]["description"]
