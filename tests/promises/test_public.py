"""The public page /p/<kommunkod>/ and its JSON twin: no login, only signed promises, every
derived number through the aggregation. Fixtures that would leak if it were skipped: one
report alone in a delområde, an action not for publication, an action description with a
street address."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from samtrygg.core.dataio import system_actor
from samtrygg.promises import queries, services
from tests.conftest import _hexagon
from tests.promises.support import draft_promise, sign_all

pytestmark = pytest.mark.django_db

ADDRESS = "Storgatan 14"
SECRET = "HEMLIG-RONDERING"
LONELY = "Ensamby"


def _leaky_world(t: Any) -> Any:
    """A signed promise in force whose counted actions include a secret one and one with an
    address; one report alone in its own delområde; a published follow-up."""
    from samtrygg.actions import services as actions
    from samtrygg.core import services as core
    from samtrygg.observations import services as observations

    actor = system_actor(t.partnership)
    lonely = core.create_area(actor, name=LONELY, geometry=_hexagon(61.20, 14.70, 400))
    promise = draft_promise(t)
    services.update_item(
        actor,
        promise.items.get(number=2),
        services.ItemSpec(
            text="Vuxna finns på plats på helgkvällar.",
            target=20,
            unit="kvällar",
            rule_types=["vuxennarvaro"],
            rule_areas=[lonely.pk, t.area.pk],
        ),
    )
    promise = queries.refreshed(sign_all(t, promise))
    today = dt.date.today()
    for title, description, secret, done in (
        (f"Rondering {SECRET}", "Polisens rondering.", True, 6),
        ("Vuxennärvaro", f"Vid {ADDRESS} på kvällarna.", False, 7),
    ):
        made = actions.create_action(
            actor,
            actions.ActionSpec(
                title=title,
                type="vuxennarvaro",
                owner=t.organisation.pk,
                start_date=today,
                end_date=today,
                planned_count=done,
                description=description,
                not_for_publication=secret,
                area=t.area.pk,
            ),
        )
        actions.record_progress(actor, made, status="genomford", done_count=done)
    observations.submit_report(
        actor,
        [
            observations.IncidentInput(
                category="klotter",
                occurred_on=str(today - dt.timedelta(days=2)),
                time_band="kvall",
                lat=61.20,
                lon=14.70,
                description="Klotter på en vägg ENSAM.",
                assessment=2,
            )
        ],
        organisation=t.organisation,
    )
    follow_up = services.start_follow_up(actor, promise)
    for entry in follow_up.entries.all():
        services.assess(actor, entry, assessment="delvis", comment="Arbetet pågår.")
    services.adopt_follow_up(actor, follow_up)
    return promise


def test_nothing_unpublishable_reaches_the_public_page_or_json(orsa: Any, client: Any) -> None:
    _leaky_world(orsa)
    html = client.get("/p/2034/").content.decode()
    data = client.get("/api/v1/public/2034/promise").json()
    text = json.dumps(data, ensure_ascii=False)
    for leak in (SECRET, ADDRESS, "ENSAM", "Polisens rondering"):
        assert leak not in html and leak not in text, leak
    # the secret action's six occasions are not counted: 7, not 13
    items = [i for area in data["current"]["focus_areas"] for i in area["items"]]
    presence = next(i for i in items if i["number"] == 2)
    assert presence["done_display"] == "7" and presence["done"] == 7
    # the lonely report is in the indicators only as a suppressed count
    rows = data["current"]["follow_ups"][0]["indicators"]["rows"]
    lonely = next(r for r in rows if r["area"] == LONELY)
    assert lonely["after"] == "färre än 5"
    assert "färre än 5" in html
    # the promise as written, who signed, validity, where to turn
    for shown in (
        "Vi lovar att arbeta tillsammans",
        "Namn kommunen",
        "Ordförande",
        "112",
        "114 14",
        "/p/2034/tips/",
    ):
        assert shown in html, shown


def test_drafts_are_not_public_and_unknown_codes_are_404(orsa: Any, client: Any) -> None:
    draft_promise(orsa, marker="UTKAST-SYNS-INTE")
    html = client.get("/p/2034/").content.decode()
    assert "UTKAST-SYNS-INTE" not in html
    assert "har inget gällande medborgarlöfte" in html
    assert client.get("/api/v1/public/2034/promise").json()["current"] is None
    assert client.get("/p/9999/").status_code == 404
    assert client.get("/p/abcd/").status_code == 404
    assert client.get("/api/v1/public/9999/promise").status_code == 404


def test_the_public_page_in_english(orsa: Any, client: Any) -> None:
    sign_all(orsa, draft_promise(orsa))
    client.post("/i18n/setlang/", {"language": "en", "next": "/p/2034/"})
    html = client.get("/p/2034/").content.decode()
    assert 'lang="en"' in html
    assert "Vi lovar att arbeta tillsammans" in html  # authored text stays as written
    assert "Call 112" in html or "112" in html


def test_earlier_promises_are_listed_with_their_follow_ups(orsa: Any, client: Any) -> None:
    actor = system_actor(orsa.partnership)
    old = sign_all(
        orsa,
        draft_promise(orsa, marker="2022", start=dt.date(2022, 5, 30)),
        dt.date(2022, 5, 20),
    )
    follow_up = services.start_follow_up(actor, queries.refreshed(old))
    for entry in follow_up.entries.all():
        services.assess(actor, entry, assessment="uppfyllt")
    services.adopt_follow_up(actor, follow_up)
    sign_all(orsa, draft_promise(orsa, marker="nu"))
    data = client.get("/api/v1/public/2034/promise").json()
    assert data["current"]["title"] == "Medborgarlöfte nu"
    assert [e["title"] for e in data["earlier"]] == ["Medborgarlöfte 2022"]
    assert data["earlier"][0]["follow_ups"][0]["items"][0]["assessment"] == "uppfyllt"
