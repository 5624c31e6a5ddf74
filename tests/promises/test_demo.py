"""The demo: Gislaved's 2022 promise and its successor in force, Orsa's agreement with its
two decisions and a promise whose follow-up is under way; loading again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from samtrygg.actions.demo_data import load_demo_actions
from samtrygg.core.demo import FINAL_DEMO_LOADERS, load_demo
from samtrygg.promises.demo_data import load_demo_promises
from samtrygg.promises.models import CitizenPromise, CooperationAgreement, FollowUp
from samtrygg.promises.state import is_signed, status_of

pytestmark = pytest.mark.django_db


def test_demo_promises_load_once_and_show_on_the_public_page(client: Any) -> None:
    assert load_demo_promises in FINAL_DEMO_LOADERS
    partnerships = load_demo()
    out = io.StringIO()
    load_demo_actions(partnerships, out)
    load_demo_promises(partnerships, out)
    old = CitizenPromise.objects.get(
        partnership__municipality="0662", starts_on=dt.date(2022, 5, 30)
    )
    assert old.ends_on == dt.date(2023, 5, 29) and is_signed(old)
    assert status_of(old) == "utgangen"
    titles = {s.title for s in old.signatures.all()}
    assert "Kommunstyrelsens ordförande" in titles
    assert any(t.startswith("T.f. lokalpolisområdeschef") for t in titles)
    current = old.renewals.get()
    assert status_of(current) == "gallande"
    agreement = CooperationAgreement.objects.get(partnership__municipality="2034")
    assert status_of(agreement) in ("gallande", "utgangen")
    from samtrygg.statutory.models import Decision

    trail = Decision.objects.filter(subject_id=agreement.pk, partnership=agreement.partnership)
    assert sorted((d.body.name, d.date.isoformat()) for d in trail) == [
        ("Kommunstyrelsen", "2023-02-13"),
        ("Strategiutskottet", "2023-01-31"),
    ]
    assert FollowUp.objects.filter(
        partnership__municipality="2034", adopted_at__isnull=True
    ).exists()
    counts = (CitizenPromise.objects.count(), FollowUp.objects.count())
    load_demo_promises(load_demo(), out)
    assert (CitizenPromise.objects.count(), FollowUp.objects.count()) == counts

    html = client.get("/p/0662/").content.decode()
    for shown in (
        "Medborgarlöfte",
        "Gislaved",
        "trygghetsvandring",
        "narkotika",
        "trafik",
        "112",
        "114 14",
    ):
        assert shown in html, shown
    data = client.get("/api/v1/public/0662/promise").json()
    items = {i["text"]: i for a in data["current"]["focus_areas"] for i in a["items"]}
    traffic = items["Polisen gör trafikinsatser vid skolorna och i centrum."]
    assert traffic["done"] == 9 and traffic["done_display"] == "9"
    parents = next(i for t, i in items.items() if "narkotika" in t)
    assert parents["done_display"] == "färre än 5"
    assert data["earlier"][0]["follow_ups"][0]["items"]
