"""The services: every refusal is a Swedish DomainError that saves nothing, names never hold a
personnummer, and every create, update and delete writes exactly one audit entry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from samtrygg.core import services
from samtrygg.core.demo import _hexagon
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    Place,
    PoliceArea,
)
from tests.stored import database_contains

pytestmark = pytest.mark.django_db


def luhn_digit(nine_digits: str) -> str:
    total = 0
    for i, char in enumerate(nine_digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


BASE = "811218987"
PNR = f"19{BASE[:6]}-{BASE[6:]}{luhn_digit(BASE)}"  # 19811218-9876
PNR_TRACES = (PNR, PNR.replace("-", ""), PNR[2:], PNR[2:].replace("-", ""))


def counts() -> dict[str, int]:
    models = (
        Area,
        Place,
        Organisation,
        Membership,
        Invitation,
        Partnership,
        PoliceArea,
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


@pytest.fixture
def superuser(db: Any) -> Any:
    return get_user_model().objects.create_superuser(
        username="root@test.example", email="root@test.example", password="Trygg-test-lösen-1"
    )


def _actor(tenant: Any, actor_of: Any, role: str = "samordnare") -> Any:
    return actor_of(tenant.user(role), tenant.partnership)


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.71, 61.15], [14.71, 61.155], [14.70, 61.155], [14.70, 61.15]]
    ],
}
# A figure eight whose two lobes are mirror images (its signed area is zero) and a lopsided one.
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.71, 61.155], [14.71, 61.15], [14.70, 61.155], [14.70, 61.15]]
    ],
}
LOPSIDED_BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[14.70, 61.15], [14.72, 61.16], [14.72, 61.15], [14.70, 61.155], [14.70, 61.15]]
    ],
}
PARIS = {
    "type": "Polygon",
    "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.86], [2.35, 48.85]]],
}
SWAPPED = {
    "type": "Polygon",
    "coordinates": [
        [[61.15, 14.70], [61.15, 14.71], [61.155, 14.71], [61.155, 14.70], [61.15, 14.70]]
    ],
}

BAD_GEOMETRIES = [
    pytest.param(
        '{"type": "Polygon", "coordinates": [[[14.7', "inte giltig GeoJSON", id="bad-json"
    ),
    pytest.param(
        {"type": "Point", "coordinates": [14.7, 61.15]}, "måste vara en polygon", id="point"
    ),
    pytest.param(
        {"type": "LineString", "coordinates": [[14.7, 61.15], [14.71, 61.15]]},
        "måste vara en polygon",
        id="line",
    ),
    pytest.param(BOWTIE, "korsar sig själv", id="self-intersecting"),
    pytest.param(LOPSIDED_BOWTIE, "korsar sig själv", id="self-intersecting-lopsided"),
    pytest.param(PARIS, "utanför Sverige", id="outside-sweden"),
    pytest.param(SWAPPED, "utanför Sverige", id="lat-lon-swapped"),
    pytest.param(_hexagon(57.3040, 13.5400, 600), "utanför Orsa kommun", id="other-kommun"),
    pytest.param(
        {"type": "Polygon", "coordinates": [[[14.7, 61.15]]]}, "Polygon", id="too-few-points"
    ),
]


# --- Refusals save nothing ------------------------------------------------------------------


@pytest.mark.parametrize("geometry, message", BAD_GEOMETRIES)
def test_bad_area_geometry_is_refused_and_nothing_saved(
    orsa: Any, actor_of: Any, geometry: Any, message: str
) -> None:
    actor = _actor(orsa, actor_of)
    with nothing_saved(), pytest.raises(DomainError, match=message):
        services.create_area(actor, name="Nytt område", geometry=geometry)


@pytest.mark.parametrize("geometry, message", BAD_GEOMETRIES)
def test_bad_geometry_on_update_changes_nothing(
    orsa: Any, actor_of: Any, geometry: Any, message: str
) -> None:
    actor = _actor(orsa, actor_of)
    area = orsa.area
    before = Area.objects.get(pk=area.pk).geometry
    with nothing_saved(), pytest.raises(DomainError, match=message):
        services.update_area(actor, area, name="Nytt namn", geometry=geometry)
    stored = Area.objects.get(pk=area.pk)
    assert stored.geometry == before
    assert stored.name == f"Centrum {orsa.marker}"


def test_valid_area_is_saved(orsa: Any, actor_of: Any) -> None:
    """The control for the refusals above: the same call with a good square succeeds."""
    area = services.create_area(_actor(orsa, actor_of), name="Nytt område", geometry=SQUARE)
    assert Area.objects.filter(pk=area.pk, name="Nytt område").exists()


def test_unknown_kommunkod_is_refused(orsa: Any, superuser: Any) -> None:
    lpo = orsa.partnership.police_area
    with nothing_saved(), pytest.raises(DomainError, match="Okänd kommunkod: 9999"):
        services.create_partnership(superuser, municipality_code="9999", police_area=lpo)
    with nothing_saved(), pytest.raises(DomainError, match="Okänd kommunkod: 9998"):
        services.create_police_area(
            superuser, name="LPO Påhittat", region="mitt", municipality_codes=["2034", "9998"]
        )


def test_second_partnership_for_a_kommun_is_refused(orsa: Any, superuser: Any) -> None:
    with nothing_saved(), pytest.raises(DomainError, match="Orsa kommun har redan en samverkan"):
        services.create_partnership(
            superuser, municipality_code="2034", police_area=orsa.partnership.police_area
        )


def test_police_area_must_serve_the_kommun(orsa: Any, superuser: Any) -> None:
    lpo = orsa.partnership.police_area  # serves only Orsa in the fixture
    with nothing_saved(), pytest.raises(DomainError, match="LPO Mora betjänar inte Mora kommun"):
        services.create_partnership(superuser, municipality_code="2062", police_area=lpo)


def test_partnership_and_police_area_are_for_the_system_administrator(
    orsa: Any, superuser: Any
) -> None:
    coordinator = orsa.user("samordnare")
    with nothing_saved(), pytest.raises(DomainError, match="systemadministratören"):
        services.create_police_area(
            coordinator, name="LPO Ny", region="mitt", municipality_codes=["2062"]
        )
    lpo = services.create_police_area(
        superuser, name="LPO Ny", region="bergslagen", municipality_codes=["2062"]
    )
    partnership = services.create_partnership(superuser, municipality_code="2062", police_area=lpo)
    assert partnership.name == "Samverkan Mora"
    entry = AuditEntry.objects.get(model="core.Partnership", object_id=str(partnership.pk))
    assert entry.actor == superuser and entry.action == "create"


def test_duplicate_police_area_name_is_refused(orsa: Any, superuser: Any) -> None:
    with nothing_saved(), pytest.raises(DomainError, match="redan ett lokalpolisområde"):
        services.create_police_area(
            superuser, name="lpo mora", region="mitt", municipality_codes=["2062"]
        )


def test_duplicate_membership_is_refused(orsa: Any, actor_of: Any) -> None:
    admin = _actor(orsa, actor_of, "administrator")
    with nothing_saved(), pytest.raises(DomainError, match="har redan rollen Styrgrupp"):
        services.add_membership(
            admin, user=orsa.user("styrgrupp"), organisation=orsa.organisation, role="styrgrupp"
        )


def test_duplicate_names_are_refused_whatever_the_case(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    with nothing_saved(), pytest.raises(DomainError, match="redan ett delområde"):
        services.create_area(actor, name=f"centrum {orsa.marker.lower()}", geometry=SQUARE)
    with nothing_saved(), pytest.raises(DomainError, match="redan en plats"):
        services.create_place(
            actor, name=f"TORGET {orsa.marker}", type="torg", lat=61.15, lon=14.70
        )
    with nothing_saved(), pytest.raises(DomainError, match="redan en organisation"):
        services.create_organisation(actor, name=f"  Kommunen {orsa.marker}  ", type="skola")


def test_renaming_onto_an_existing_name_is_refused(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    other = services.create_place(actor, name="Parken", type="park", lat=61.15, lon=14.70)
    with nothing_saved(), pytest.raises(DomainError, match="redan en plats"):
        services.update_place(actor, other, name=orsa.place.name, type="park", lat=61.15, lon=14.70)
    assert Place.objects.get(pk=other.pk).name == "Parken"


def test_the_same_name_is_fine_in_another_partnership(
    orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    services.create_organisation(
        _actor(gislaved, actor_of), name=orsa.organisation.name, type="kommunforvaltning"
    )


@pytest.mark.parametrize(
    "name, message",
    [("", "måste fyllas i"), ("   ", "måste fyllas i"), ("x" * 201, "högst 200 tecken")],
)
def test_empty_or_long_names_are_refused(orsa: Any, actor_of: Any, name: str, message: str) -> None:
    with nothing_saved(), pytest.raises(DomainError, match=message):
        services.create_organisation(_actor(orsa, actor_of), name=name, type="skola")


def test_unknown_types_and_roles_are_refused(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    with nothing_saved(), pytest.raises(DomainError, match="Okänd platstyp"):
        services.create_place(actor, name="X", type="slott", lat=61.15, lon=14.70)
    with nothing_saved(), pytest.raises(DomainError, match="Okänd organisationstyp"):
        services.create_organisation(actor, name="X", type="sekt")
    with nothing_saved(), pytest.raises(DomainError, match="Okänd roll"):
        services.add_membership(
            _actor(orsa, actor_of, "administrator"),
            user=orsa.user("rapportor"),
            organisation=orsa.organisation,
            role="kung",
        )


def test_a_record_of_another_partnership_looks_missing(
    orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    actor = _actor(orsa, actor_of)
    with nothing_saved(), pytest.raises(NotFound):
        services.delete_place(actor, gislaved.place)
    with nothing_saved(), pytest.raises(NotFound):
        services.update_area(actor, gislaved.area, name="Kapad")


# --- Names never hold a personnummer ---------------------------------------------------------


def test_the_test_personnummer_is_luhn_valid_and_a_wrong_one_passes(
    orsa: Any, actor_of: Any
) -> None:
    assert PNR == "19811218-9876"
    wrong = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    place = services.create_place(
        _actor(orsa, actor_of), name=f"Torget {wrong}", type="torg", lat=61.15, lon=14.70
    )
    assert place.name.endswith(wrong)


@pytest.mark.parametrize(
    "kind", ["place", "area", "organisation", "place-update", "area-update", "organisation-update"]
)
def test_personnummer_in_a_name_is_refused_and_not_stored(
    orsa: Any, actor_of: Any, kind: str
) -> None:
    actor = _actor(orsa, actor_of)
    name = f"Torget {PNR}"
    calls = {
        "place": lambda: services.create_place(actor, name=name, type="torg", lat=61.15, lon=14.70),
        "area": lambda: services.create_area(actor, name=name, geometry=SQUARE),
        "organisation": lambda: services.create_organisation(actor, name=name, type="skola"),
        "place-update": lambda: services.update_place(
            actor, orsa.place, name=name, type="torg", lat=orsa.place.lat, lon=orsa.place.lon
        ),
        "area-update": lambda: services.update_area(actor, orsa.area, name=name),
        "organisation-update": lambda: services.update_organisation(
            actor,
            orsa.other_organisation,
            name=name,
            type="bostadsbolag",
            is_public_authority=False,
        ),
    }
    with nothing_saved(), pytest.raises(DomainError) as info:
        calls[kind]()
    assert "personnummer" in info.value.message
    assert not any(trace in info.value.message for trace in PNR_TRACES)
    assert database_contains(*PNR_TRACES) == []


def test_personnummer_in_a_partnership_name_is_refused(orsa: Any, superuser: Any) -> None:
    lpo = services.create_police_area(
        superuser, name="LPO Ny", region="bergslagen", municipality_codes=["2062"]
    )
    with nothing_saved(), pytest.raises(DomainError, match="personnummer"):
        services.create_partnership(
            superuser, municipality_code="2062", police_area=lpo, name=f"Samverkan {PNR}"
        )
    assert database_contains(*PNR_TRACES) == []


# --- The audit trail -------------------------------------------------------------------------


def _new_entries(since_id: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=since_id).order_by("id"))


def _last_id() -> int:
    last = AuditEntry.objects.order_by("-id").first()
    return last.id if last else 0


def test_create_update_delete_place_each_write_one_entry(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    user = orsa.user("samordnare")

    mark = _last_id()
    place = services.create_place(actor, name="Busstorget", type="hallplats", lat=61.15, lon=14.70)
    [created] = _new_entries(mark)
    assert (created.action, created.model, created.object_id) == (
        "create",
        "core.Place",
        str(place.pk),
    )
    assert created.actor == user and created.actor_label == str(user)
    assert created.partnership == orsa.partnership
    assert created.changes["after"]["name"] == "Busstorget"
    assert created.changes["after"]["type"] == "hallplats"

    mark = _last_id()
    services.update_place(actor, place, name="Resecentrum", type="hallplats", lat=61.15, lon=14.70)
    [updated] = _new_entries(mark)
    assert updated.action == "update" and updated.actor == user
    assert updated.changes == {"changed": {"name": ["Busstorget", "Resecentrum"]}}

    mark = _last_id()
    place_id = place.pk
    services.delete_place(actor, place)
    [deleted] = _new_entries(mark)
    assert deleted.action == "delete" and deleted.actor == user
    assert deleted.object_id == str(place_id)
    assert deleted.changes["before"]["name"] == "Resecentrum"


def test_area_and_organisation_writes_are_audited(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of, "kommunpolis")
    user = orsa.user("kommunpolis")

    mark = _last_id()
    area = services.create_area(actor, name="Norr", geometry=SQUARE, population=1200)
    [entry] = _new_entries(mark)
    assert (entry.action, entry.model, entry.actor) == ("create", "core.Area", user)
    assert entry.changes["after"]["population"] == 1200

    mark = _last_id()
    services.update_area(actor, area, name="Norr", population=1300)
    [entry] = _new_entries(mark)
    assert entry.action == "update"
    assert entry.changes["changed"]["population"] == [1200, 1300]
    assert "geometry" not in entry.changes["changed"]
    assert "name" not in entry.changes["changed"]

    mark = _last_id()
    services.delete_area(actor, area)
    [entry] = _new_entries(mark)
    assert entry.action == "delete" and entry.changes["before"]["name"] == "Norr"

    mark = _last_id()
    org = services.create_organisation(actor, name="Orsa skola", type="skola")
    services.update_organisation(
        actor, org, name="Orsa grundskola", type="skola", is_public_authority=False
    )
    services.delete_organisation(actor, org)
    create, update, delete = _new_entries(mark)
    assert [e.action for e in (create, update, delete)] == ["create", "update", "delete"]
    assert all(e.model == "core.Organisation" and e.actor == user for e in (create, update, delete))
    assert update.changes == {"changed": {"name": ["Orsa skola", "Orsa grundskola"]}}


def test_membership_and_settings_writes_are_audited(orsa: Any, actor_of: Any) -> None:
    admin = _actor(orsa, actor_of, "administrator")
    user = orsa.user("administrator")
    mark = _last_id()
    membership = services.add_membership(
        admin, user=orsa.user("rapportor"), organisation=orsa.organisation, role="styrgrupp"
    )
    services.remove_membership(admin, membership)
    services.update_partnership_settings(admin, min_public_count=7, requires_police_cosign=False)
    add, remove, settings_change = _new_entries(mark)
    assert (add.action, add.model, add.actor) == ("create", "core.Membership", user)
    assert (remove.action, remove.model) == ("delete", "core.Membership")
    assert settings_change.changes == {"changed": {"min_public_count": [5, 7]}}


def test_a_refused_write_leaves_no_audit_entry(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    mark = _last_id()
    with pytest.raises(DomainError):
        services.create_area(actor, name="Trasigt", geometry=BOWTIE)
    with pytest.raises(PermissionDenied):
        services.create_area(_actor(orsa, actor_of, "rapportor"), name="Obehörigt", geometry=SQUARE)
    assert _new_entries(mark) == []


# --- Roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["rapportor", "analytiker", "styrgrupp"])
def test_reading_roles_cannot_change_the_set_up(orsa: Any, actor_of: Any, role: str) -> None:
    actor = _actor(orsa, actor_of, role)
    attempts = [
        lambda: services.create_area(actor, name="Nytt", geometry=SQUARE),
        lambda: services.create_place(actor, name="Ny", type="torg", lat=61.15, lon=14.70),
        lambda: services.create_organisation(actor, name="Ny", type="skola"),
        lambda: services.delete_place(actor, orsa.place),
        lambda: services.invite(
            actor, email="ny@test.example", organisation=orsa.organisation, role="rapportor"
        ),
    ]
    for attempt in attempts:
        with nothing_saved(), pytest.raises(PermissionDenied, match="Din roll"):
            attempt()


@pytest.mark.parametrize("role", ["kommunpolis", "analytiker", "rapportor", "styrgrupp"])
def test_only_the_administrator_and_the_samordnare_invite(
    orsa: Any, actor_of: Any, role: str
) -> None:
    with nothing_saved(), pytest.raises(PermissionDenied):
        services.invite(
            _actor(orsa, actor_of, role),
            email="ny@test.example",
            organisation=orsa.organisation,
            role="rapportor",
        )
    for inviter in ("administrator", "samordnare"):
        invitation, raw = services.invite(
            _actor(orsa, actor_of, inviter),
            email=f"Ny.{inviter}@Test.example",
            organisation=orsa.organisation,
            role="rapportor",
        )
        assert invitation.email == f"ny.{inviter}@test.example"
        assert raw


def test_last_administrator_cannot_be_removed(orsa: Any, actor_of: Any) -> None:
    from samtrygg.core.dataio import system_actor

    admin = system_actor(orsa.partnership)  # nobody removes their own role
    membership = Membership.objects.get(user=orsa.user("administrator"), role="administrator")
    with nothing_saved(), pytest.raises(DomainError, match="minst en administratör"):
        services.remove_membership(admin, membership)


# --- Invitations and tokens: secrets stored only hashed --------------------------------------


def test_invitation_token_is_stored_only_hashed_and_mailed(
    orsa: Any, actor_of: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = services.invite(
            _actor(orsa, actor_of, "administrator"),
            email="ny@test.example",
            organisation=orsa.organisation,
            role="rapportor",
        )
    assert (
        Invitation.objects.get(pk=invitation.pk).token_hash
        == hashlib.sha256(raw.encode()).hexdigest()
    )
    assert database_contains(raw) == []
    [mail] = mailoutbox
    assert mail.to == ["ny@test.example"]
    assert f"/inbjudan/{raw}/" in mail.body
    assert "Inbjudan" in mail.subject


def test_invitation_cannot_be_used_twice_or_after_expiry(orsa: Any, actor_of: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    admin = _actor(orsa, actor_of, "administrator")
    _invitation, raw = services.invite(
        admin, email="ny@test.example", organisation=orsa.organisation, role="rapportor"
    )
    user = services.accept_invitation(
        raw, first_name="Nora", last_name="Nilsson", password="Trygg-test-lösen-1"
    )
    assert Membership.objects.filter(
        user=user, partnership=orsa.partnership, role="rapportor", organisation=orsa.organisation
    ).exists()
    with nothing_saved(), pytest.raises(NotFound, match="redan använts"):
        services.accept_invitation(
            raw, first_name="Nora", last_name="Nilsson", password="Trygg-test-lösen-1"
        )

    expired, raw2 = services.invite(
        admin, email="sen@test.example", organisation=orsa.organisation, role="styrgrupp"
    )
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with nothing_saved(), pytest.raises(DomainError, match="gått ut"):
        services.accept_invitation(
            raw2, first_name="Sven", last_name="Sen", password="Trygg-test-lösen-1"
        )


def test_api_token_is_stored_only_hashed(orsa: Any) -> None:
    user = orsa.user("analytiker")
    token, raw = services.create_api_token(user, name="Loggsystemet")
    assert raw.startswith("st_") and len(raw) > 40
    assert ApiToken.objects.get(pk=token.pk).key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert database_contains(raw) == []
    assert services.user_for_token(raw) == user
    services.revoke_api_token(user, token.pk)
    assert services.user_for_token(raw) is None
    with pytest.raises(NotFound):
        services.revoke_api_token(user, token.pk)
