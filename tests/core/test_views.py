"""The HTML pages: refusals shown as Swedish messages with nothing saved, roles enforced with a
403 page, the audit trail searchable, invitations working once, API keys shown once."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samtrygg.core import services
from samtrygg.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    Place,
)
from tests.conftest import PASSWORD
from tests.stored import database_contains

pytestmark = pytest.mark.django_db

PNR = "19811218-9876"  # Luhn-valid; see test_services.py
PNR_TRACES = (PNR, PNR.replace("-", ""), PNR[2:])


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


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


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
GISLAVED_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[13.54, 57.30], [13.55, 57.30], [13.55, 57.305], [13.54, 57.305], [13.54, 57.30]]
    ],
}


# --- Bad input through the forms ------------------------------------------------------------


@pytest.mark.parametrize(
    "geometry, message",
    [
        ("{inte json", "inte giltig GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [14.7, 61.15]}), "måste vara en polygon"),
        (json.dumps(LOPSIDED_BOWTIE), "korsar sig själv"),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]],
                }
            ),
            "utanför Sverige",
        ),
        (json.dumps(GISLAVED_SQUARE), "utanför Orsa kommun"),
        ("", "GeoJSON"),
    ],
)
def test_area_form_refuses_bad_geometry(orsa: Any, login: Any, geometry: str, message: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(reverse("area-list"), {"name": "Nytt område", "geometry": geometry})
    assert response.status_code == 400
    assert message in text(response)


def test_area_form_saves_a_good_polygon(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("area-list"),
        {"name": "Nytt område", "geometry": json.dumps(SQUARE), "population": "1 200"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Delområdet Nytt område sparades" in text(response)
    assert Area.objects.get(name="Nytt område").population == 1200


def test_area_form_refuses_a_bad_population(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("area-list"),
            {"name": "Nytt område", "geometry": json.dumps(SQUARE), "population": "många"},
        )
    assert response.status_code == 400
    assert "Folkmängden ska vara ett heltal" in text(response)


def test_place_form_refuses_a_place_far_outside_the_kommun(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("place-list"),
            {"name": "Gislaveds torg", "type": "torg", "lat": "57,3040", "lon": "13,5400"},
        )
    assert response.status_code == 400
    assert re.search(r"Platsen ligger \d+[.,]\d km utanför Orsa kommun", text(response))


def test_place_form_without_a_point_asks_for_one(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("place-list"), {"name": "Utan punkt", "type": "torg", "lat": "", "lon": ""}
        )
    assert response.status_code == 400
    assert "Välj en punkt på kartan" in text(response)


def test_duplicate_names_are_refused_in_the_forms(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("organisation-list"), {"name": orsa.organisation.name.upper(), "type": "skola"}
        )
    assert response.status_code == 400
    assert "Det finns redan en organisation med det namnet" in text(response)
    with nothing_saved():
        response = client.post(
            reverse("place-list"),
            {"name": orsa.place.name, "type": "torg", "lat": "61.15", "lon": "14.70"},
        )
    assert "Det finns redan en plats som heter" in text(response)


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("place-list", {"type": "torg", "lat": "61.15", "lon": "14.70"}),
        ("area-list", {"geometry": json.dumps(SQUARE)}),
        ("organisation-list", {"type": "skola"}),
    ],
)
def test_personnummer_in_a_name_is_refused_by_the_forms(
    orsa: Any, login: Any, url_name: str, data: dict[str, str]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    with nothing_saved():
        response = client.post(reverse(url_name), {"name": f"Torget {PNR}", **data})
    assert response.status_code == 400
    assert "personnummer" in text(response)
    assert database_contains(*PNR_TRACES) == []


def test_personnummer_in_a_rename_is_refused_by_the_form(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("place-detail", args=[orsa.place.pk])
    with nothing_saved():
        response = client.post(
            url,
            {
                "name": f"Torget {PNR}",
                "type": "torg",
                "lat": str(orsa.place.lat),
                "lon": str(orsa.place.lon),
            },
        )
    assert response.status_code == 400
    assert "personnummer" in text(response)
    assert Place.objects.get(pk=orsa.place.pk).name == orsa.place.name
    assert database_contains(*PNR_TRACES) == []


# --- Roles ----------------------------------------------------------------------------------


READING_ROLES = ["rapportor", "analytiker", "styrgrupp"]


@pytest.mark.parametrize("role", READING_ROLES)
def test_reading_roles_get_a_403_page_when_changing_the_set_up(
    orsa: Any, login: Any, role: str
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    attempts = [
        ("area-list", [], {"name": "Nytt", "geometry": json.dumps(SQUARE)}),
        ("place-list", [], {"name": "Ny", "type": "torg", "lat": "61.15", "lon": "14.70"}),
        ("organisation-list", [], {"name": "Ny", "type": "skola"}),
        ("place-detail", [orsa.place.pk], {"action": "delete"}),
        ("area-detail", [orsa.area.pk], {"name": "Omdöpt"}),
    ]
    for url_name, args, data in attempts:
        url = reverse(url_name, args=args)
        assert client.get(url).status_code == 200, url_name
        with nothing_saved():
            response = client.post(url, data)
        assert (url_name, response.status_code) == (url_name, 403)
        assert "Din roll i den här samverkan får inte göra detta" in text(response)
    assert Area.objects.get(pk=orsa.area.pk).name == orsa.area.name


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "administrator"])
def test_set_up_roles_can_create_an_organisation(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    response = client.post(reverse("organisation-list"), {"name": f"Skola {role}", "type": "skola"})
    assert response.status_code == 302
    assert Organisation.objects.filter(
        name=f"Skola {role}", partnership=orsa.partnership, is_public_authority=False
    ).exists()


# --- The audit page -------------------------------------------------------------------------


@pytest.fixture
def audited(orsa: Any, actor_of: Any) -> dict[str, Any]:
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    place = services.create_place(
        actor, name="Badplatsen Sjövik", type="badplats", lat=61.15, lon=14.70
    )
    org = services.create_organisation(actor, name="Skolan Norrgården", type="skola")
    services.delete_organisation(actor, org)
    old = AuditEntry.objects.get(model="core.Place", object_id=str(place.pk))
    AuditEntry.objects.filter(pk=old.pk).update(at=dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC))
    return {"place": place}


def _rows(response: Any) -> str:
    body = text(response)
    return body[body.find("<tbody>") :]


def test_audit_page_searches_by_text(orsa: Any, login: Any, audited: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    rows = _rows(client.get(reverse("audit-list"), {"q": "sjövik"}))
    assert "Badplatsen Sjövik" in rows
    assert "Skolan Norrgården" not in rows
    rows = _rows(client.get(reverse("audit-list"), {"q": "Samordnare"}))
    assert "Badplatsen Sjövik" in rows and "Skolan Norrgården" in rows


def test_audit_page_filters_by_model_and_action(orsa: Any, login: Any, audited: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    rows = _rows(client.get(reverse("audit-list"), {"model": "core.Organisation"}))
    assert "Skolan Norrgården" in rows and "Badplatsen Sjövik" not in rows
    rows = _rows(client.get(reverse("audit-list"), {"action": "delete"}))
    assert "Skolan Norrgården" in rows and "Badplatsen Sjövik" not in rows
    assert rows.count("<tr") == 1


def test_audit_page_filters_by_dates(orsa: Any, login: Any, audited: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    rows = _rows(client.get(reverse("audit-list"), {"fran": "2024-01-01", "till": "2024-01-31"}))
    assert "Badplatsen Sjövik" in rows
    assert "Skolan Norrgården" not in rows
    assert rows.count("<tr") == 1
    rows = _rows(client.get(reverse("audit-list"), {"fran": "2024-01-16"}))
    assert "Badplatsen Sjövik" not in rows and "Skolan Norrgården" in rows


@pytest.mark.parametrize("role", READING_ROLES)
def test_audit_page_is_refused_to_reading_roles(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    response = client.get(reverse("audit-list"))
    assert response.status_code == 403
    assert "Din roll" in text(response)
    assert orsa.place.name not in text(response)


def test_audit_page_for_the_coordinator_shows_the_set_up(orsa: Any, login: Any) -> None:
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    response = client.get(reverse("audit-list"))
    assert response.status_code == 200
    assert orsa.place.name in text(response)


# --- Invitations ----------------------------------------------------------------------------


def _invite(client: Any, orsa: Any, email: str, role: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("member-list"),
            {"email": email, "role": role, "organisation": orsa.other_organisation.pk},
        )


def test_administrator_invites_and_the_link_works_once(
    orsa: Any, login: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    response = _invite(
        client, orsa, "Nora.Nilsson@Test.example", "rapportor", django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [mail] = mailoutbox
    assert mail.to == ["nora.nilsson@test.example"]
    path = re.search(r"https?://[^/\s]+(/inbjudan/[^/\s]+/)", mail.body).group(1)  # type: ignore[union-attr]
    raw = path.split("/")[2]
    invitation = Invitation.objects.get(email="nora.nilsson@test.example")
    assert invitation.token_hash != raw and raw not in invitation.token_hash
    assert database_contains(raw) == []

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert orsa.other_organisation.name in text(page)
    response = visitor.post(
        path, {"first_name": "Nora", "last_name": "Nilsson", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nora.nilsson@test.example")
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.partnership, membership.organisation, membership.role) == (
        orsa.partnership,
        orsa.other_organisation,
        "rapportor",
    )
    assert visitor.get(reverse("home")).status_code == 200

    again = Client().get(path)
    assert again.status_code == 404
    assert "Inbjudan finns inte eller har redan använts" in text(again)
    with nothing_saved():
        again = Client().post(
            path, {"first_name": "Nora", "last_name": "Nilsson", "password": PASSWORD}
        )
    assert again.status_code == 404


def test_expired_invitation_is_refused(orsa: Any, actor_of: Any) -> None:
    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    invitation, raw = services.invite(
        admin, email="sen@test.example", organisation=orsa.organisation, role="styrgrupp"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    path = reverse("accept-invitation", args=[raw])
    response = Client().get(path)
    assert response.status_code == 410
    assert "Inbjudan har gått ut" in text(response)
    with nothing_saved():
        response = Client().post(
            path, {"first_name": "Sven", "last_name": "Sen", "password": PASSWORD}
        )
    assert response.status_code == 410
    assert not get_user_model().objects.filter(email="sen@test.example").exists()


def test_unknown_invitation_token_is_refused(db: Any) -> None:
    response = Client().get(reverse("accept-invitation", args=["påhittad-nyckel"]))
    assert response.status_code == 404
    assert "Inbjudan finns inte" in text(response)


def test_invitation_with_a_weak_password_creates_nothing(orsa: Any, actor_of: Any) -> None:
    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    _invitation, raw = services.invite(
        admin, email="svag@test.example", organisation=orsa.organisation, role="styrgrupp"
    )
    with nothing_saved():
        response = Client().post(
            reverse("accept-invitation", args=[raw]),
            {"first_name": "Svag", "last_name": "Sson", "password": "12345678"},
        )
    assert response.status_code == 400
    assert "message error" in response.content.decode()


def test_invite_form_refuses_a_bad_address(
    orsa: Any, login: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    with nothing_saved():
        response = _invite(
            client, orsa, "inte-en-adress", "rapportor", django_capture_on_commit_callbacks
        )
    assert response.status_code == 400
    assert "Ange en giltig e-postadress" in text(response)
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["rapportor", "styrgrupp"])
def test_member_page_is_refused_to_reading_roles(
    orsa: Any, login: Any, role: str, mailoutbox: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    with nothing_saved():
        response = client.post(
            reverse("member-list"),
            {"email": "x@test.example", "role": "samordnare", "organisation": orsa.organisation.pk},
        )
    assert response.status_code == 403
    assert mailoutbox == []


# --- Jobs page ------------------------------------------------------------------------------


def test_job_page_lists_runs_of_own_partnership_and_system(
    orsa: Any, gislaved: Any, login: Any
) -> None:
    from samtrygg.core.models import JobRun

    JobRun.objects.create(
        task_id="a", name="orsa-jobbet", partnership=orsa.partnership, status="succeeded"
    )
    JobRun.objects.create(task_id="b", name="system-jobbet", status="succeeded")
    JobRun.objects.create(
        task_id="c",
        name="gislaved-jobbet",
        partnership=gislaved.partnership,
        status="failed",
        message="fel i Gislaved",
    )
    body = text(login(orsa.user("analytiker"), orsa.partnership).get(reverse("job-list")))
    assert "orsa-jobbet" in body and "system-jobbet" in body
    assert "gislaved-jobbet" not in body and "fel i Gislaved" not in body
