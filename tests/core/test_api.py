"""The API: refusals are 400 with a Swedish {"detail": ...} and save nothing, schema errors 422
in Swedish, roles give 403, the audit trail is listed for coordinators, and bearer tokens
work until revoked."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import h3
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from samtrygg.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    Place,
)
from tests.stored import database_contains

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/2034"
PNR = "19811218-9876"  # Luhn-valid; see test_services.py
PNR_TRACES = (PNR, PNR.replace("-", ""), PNR[2:])
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|inte|är|måste|finns|redan|roll|utanför|ogiltiga)\b")

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.71, 61.15], [14.71, 61.155], [14.70, 61.155], [14.70, 61.15]]
    ],
}
LOPSIDED_BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.72, 61.16], [14.72, 61.15], [14.70, 61.155], [14.70, 61.15]]
    ],
}


def counts() -> dict[str, int]:
    models = (
        Area,
        Place,
        Organisation,
        Membership,
        Invitation,
        AuditEntry,
        ApiToken,
        get_user_model(),
    )
    return {m.__name__: m.objects.count() for m in models}


@contextmanager
def nothing_saved() -> Iterator[None]:
    before = counts()
    yield
    assert counts() == before


def post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, data=body, content_type="application/json")


def assert_refused(response: Any, status: int, fragment: str) -> None:
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert fragment in detail, detail
    assert SWEDISH.search(detail), detail


# --- 400: refused input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Point", "coordinates": [14.7, 61.15]}, "måste vara en polygon"),
        (LOPSIDED_BOWTIE, "korsar sig själv"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]],
            },
            "utanför Sverige",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[13.54, 57.30], [13.55, 57.30], [13.55, 57.305], [13.54, 57.30]]],
            },
            "utanför Orsa kommun",
        ),
        ({"type": "Polygon"}, "Polygon"),
    ],
)
def test_bad_area_geometry_is_400_in_swedish(
    orsa: Any, login: Any, geometry: Any, message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = post(client, f"{BASE}/areas", {"name": "Nytt", "geometry": geometry})
    assert_refused(response, 400, message)


def test_bad_geometry_on_update_is_400_and_changes_nothing(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    before = Area.objects.get(pk=orsa.area.pk).geometry
    with nothing_saved():
        response = client.put(
            f"{BASE}/areas/{orsa.area.pk}",
            data={"name": "Omdöpt", "geometry": LOPSIDED_BOWTIE},
            content_type="application/json",
        )
    assert_refused(response, 400, "korsar sig själv")
    area = Area.objects.get(pk=orsa.area.pk)
    assert (area.name, area.geometry) == (orsa.area.name, before)


def test_place_far_outside_the_kommun_is_400(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = post(
            client,
            f"{BASE}/places",
            {"name": "Gislaveds torg", "type": "torg", "lat": 57.3040, "lon": 13.5400},
        )
    assert_refused(response, 400, "km utanför Orsa kommun")


def test_duplicates_are_400(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = post(
            client,
            f"{BASE}/organisations",
            {"name": orsa.organisation.name.lower(), "type": "skola"},
        )
    assert_refused(response, 400, "redan en organisation")
    assert response.json()["field"] == "name"
    with nothing_saved():
        response = post(client, f"{BASE}/areas", {"name": orsa.area.name, "geometry": SQUARE})
    assert_refused(response, 400, "redan ett delområde")


def test_duplicate_membership_is_400(orsa: Any, login: Any) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    with nothing_saved():
        response = post(
            client,
            f"{BASE}/memberships",
            {
                "email": orsa.user("styrgrupp").email,
                "organisation_id": orsa.organisation.pk,
                "role": "styrgrupp",
            },
        )
    assert_refused(response, 400, "har redan rollen Styrgrupp")
    with nothing_saved():
        response = post(
            client,
            f"{BASE}/memberships",
            {
                "email": "okand@test.example",
                "organisation_id": orsa.organisation.pk,
                "role": "analytiker",
            },
        )
    assert_refused(response, 400, "Bjud in personen")


@pytest.mark.parametrize(
    "collection, body",
    [
        ("places", {"type": "torg", "lat": 61.15, "lon": 14.70}),
        ("areas", {"geometry": SQUARE}),
        ("organisations", {"type": "skola"}),
    ],
)
def test_personnummer_in_a_name_is_400_and_not_stored(
    orsa: Any, login: Any, collection: str, body: dict[str, Any]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = post(client, f"{BASE}/{collection}", {"name": f"Torget {PNR}", **body})
    assert_refused(response, 400, "personnummer")
    assert not any(trace in response.content.decode() for trace in PNR_TRACES)
    assert database_contains(*PNR_TRACES) == []


# --- 422: schema errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Ny", "type": "torg", "lat": "norr", "lon": 14.70},
        {"name": "Ny", "type": "torg", "lon": 14.70},
        {"name": "Ny", "geometry": "{inte json"},
        [],
    ],
)
def test_schema_errors_are_422_in_swedish(orsa: Any, login: Any, body: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    collection = "areas" if isinstance(body, dict) and "geometry" in body else "places"
    with nothing_saved():
        response = post(client, f"{BASE}/{collection}", body)
    assert_refused(response, 422, "Förfrågan innehåller ogiltiga värden")
    assert response.json()["errors"]


def test_a_body_that_is_not_json_is_refused_in_swedish(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            f"{BASE}/areas", data='{"name": "Nytt", "geometry": {', content_type="application/json"
        )
    assert response.status_code in (400, 422)
    detail = response.json()["detail"]
    assert SWEDISH.search(detail), detail


# --- Roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["rapportor", "analytiker", "styrgrupp"])
def test_reading_roles_get_403_when_changing_the_set_up(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    attempts = [
        ("areas", {"name": "Nytt", "geometry": SQUARE}),
        ("places", {"name": "Ny", "type": "torg", "lat": 61.15, "lon": 14.70}),
        ("organisations", {"name": "Ny", "type": "skola"}),
    ]
    for collection, body in attempts:
        assert client.get(f"{BASE}/{collection}").status_code == 200
        with nothing_saved():
            response = post(client, f"{BASE}/{collection}", body)
        assert_refused(response, 403, "Din roll")
    with nothing_saved():
        response = client.delete(f"{BASE}/places/{orsa.place.pk}")
    assert_refused(response, 403, "Din roll")


def test_coordinator_creates_a_place_with_its_area_and_cell(orsa: Any, login: Any) -> None:
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    response = post(
        client,
        f"{BASE}/places",
        {"name": "Kiosken", "type": "ovrigt", "lat": 61.1210, "lon": 14.6170},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["area_id"] == orsa.area.pk
    assert body["h3_cell"] == h3.latlng_to_cell(61.1210, 14.6170, 9)
    assert client.get(f"{BASE}/places/{body['id']}").json() == body


def test_unknown_partnership_is_404_in_swedish(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    assert_refused(client.get("/api/v1/partnerships/9999/areas"), 404, "Samverkan finns inte")


# --- Audit trail ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "administrator"])
def test_audit_entries_are_listed_for_coordinators(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    response = post(client, f"{BASE}/organisations", {"name": "Orsa skola", "type": "skola"})
    org_id = response.json()["id"]
    body = client.get(f"{BASE}/audit", {"model": "core.Organisation", "action": "create"}).json()
    entries = {e["object_repr"]: e for e in body["items"]}
    assert body["count"] == len(entries) == 3  # the fixture's two and the new one
    entry = entries["Orsa skola"]
    assert entry["object_id"] == str(org_id)
    assert entry["actor"] == str(orsa.user(role))
    assert entry["changes"]["after"]["name"] == "Orsa skola"
    assert client.get(f"{BASE}/audit/{entry['id']}").json() == entry
    found = client.get(f"{BASE}/audit", {"q": "orsa skola"}).json()
    assert [e["object_repr"] for e in found["items"]] == ["Orsa skola"]


@pytest.mark.parametrize("role", ["rapportor", "analytiker", "styrgrupp"])
def test_audit_entries_are_refused_to_reading_roles(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    assert_refused(client.get(f"{BASE}/audit"), 403, "Din roll")
    entry = AuditEntry.objects.filter(partnership=orsa.partnership).first()
    assert client.get(f"{BASE}/audit/{entry.pk}").status_code == 403


# --- Bearer tokens --------------------------------------------------------------------------


def _create_token_on_account_page(client: Any, name: str) -> str:
    response = client.post(reverse("account"), {"action": "create-token", "name": name})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    match = re.search(r'<code id="new-key">([^<]+)</code>', page)
    assert match, "the new key is not shown"
    return match.group(1)


def test_token_from_the_account_page_works_until_revoked(orsa: Any, login: Any) -> None:
    user = orsa.user("analytiker")
    client = login(user, orsa.partnership)
    raw = _create_token_on_account_page(client, "Bostadsbolagets loggsystem")

    # Shown once: the next visit to the account page shows only the prefix.
    later = client.get(reverse("account")).content.decode()
    assert raw not in later
    assert raw[:10] in later

    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert database_contains(raw) == []

    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = bearer.get("/api/v1/partnerships")
    assert response.status_code == 200
    assert [p["kommunkod"] for p in response.json()] == ["2034"]
    assert response.json()[0]["roles"] == ["analytiker"]
    assert bearer.get(f"{BASE}/areas").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None

    response = client.post(reverse("account"), {"action": "revoke-token", "token": token.pk})
    assert response.status_code == 302
    refused = bearer.get("/api/v1/partnerships")
    assert refused.status_code == 401
    assert "Inloggning krävs" in refused.json()["detail"]


def test_wrong_or_missing_token_is_401(orsa: Any) -> None:
    assert (
        Client(HTTP_AUTHORIZATION="Bearer st_påhittad").get("/api/v1/partnerships").status_code
        == 401
    )
    assert Client().get("/api/v1/partnerships").status_code == 401


def test_a_user_cannot_revoke_another_users_token(orsa: Any, login: Any) -> None:
    owner = orsa.user("analytiker")
    raw = _create_token_on_account_page(login(owner, orsa.partnership), "Ägarens")
    token = ApiToken.objects.get(user=owner)
    other = login(orsa.user("samordnare"), orsa.partnership)
    response = other.post(reverse("account"), {"action": "revoke-token", "token": token.pk})
    assert response.status_code == 400
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/partnerships").status_code == 200


def test_token_name_with_a_personnummer_is_refused(orsa: Any, login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("account"), {"action": "create-token", "name": f"Nyckel {PNR}"}
        )
    assert response.status_code == 400
    assert 'id="new-key"' not in response.content.decode()
    assert "personnummer" in html.unescape(response.content.decode())
    assert json.dumps(database_contains(*PNR_TRACES)) == "[]"
