"""Who may grant which role: nobody grants a role above their own, nobody changes their own
roles, and the roles that read every report (samordnare, kommunpolis, analytiker) are granted
by a samordnare or a system administrator only. The rules live in the service, so the pages,
the API and invitations all obey them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from samtrygg.core import services
from samtrygg.core.dataio import system_actor
from samtrygg.core.errors import PermissionDenied
from samtrygg.core.models import Invitation, Membership, Role
from samtrygg.core.permissions import actor_for, grantable_roles

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/2034"


def _counts() -> tuple[int, int]:
    return Membership.objects.count(), Invitation.objects.count()


def test_administrator_cannot_make_themselves_samordnare_through_the_api(
    orsa: Any, login: Any
) -> None:
    admin = orsa.user("administrator")
    client = login(admin, orsa.partnership)
    before = _counts()
    response = client.post(
        f"{BASE}/memberships",
        {"email": admin.email, "organisation_id": orsa.organisation.pk, "role": "samordnare"},
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert _counts() == before
    assert client.get(f"{BASE}/observations").status_code == 403


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "analytiker"])
def test_administrator_cannot_grant_a_reading_role_to_anyone(
    role: str, orsa: Any, login: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    before = _counts()
    response = client.post(
        f"{BASE}/memberships",
        {
            "email": orsa.user("styrgrupp").email,
            "organisation_id": orsa.organisation.pk,
            "role": role,
        },
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert str(Role(role).label) in response.json()["detail"]
    admin = actor_for(orsa.user("administrator"), orsa.partnership)
    with pytest.raises(PermissionDenied):
        services.invite(admin, email="ny@test.example", organisation=orsa.organisation, role=role)
    assert _counts() == before


@pytest.mark.parametrize("role", ["administrator", "styrgrupp", "rapportor"])
def test_administrator_grants_the_roles_at_or_below_their_own(
    role: str, orsa: Any, login: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    response = client.post(
        f"{BASE}/memberships",
        {
            "email": orsa.user("analytiker").email,
            "organisation_id": orsa.organisation.pk,
            "role": role,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_nobody_changes_their_own_roles(orsa: Any) -> None:
    user = orsa.user("samordnare")
    actor = system_actor(orsa.partnership)
    services.add_membership(actor, user=user, organisation=orsa.organisation, role="administrator")
    me = actor_for(user, orsa.partnership)
    before = _counts()
    with pytest.raises(PermissionDenied, match="egna roller"):
        services.add_membership(me, user=user, organisation=orsa.organisation, role="kommunpolis")
    with pytest.raises(PermissionDenied, match="egna roller"):
        services.invite(
            me, email=user.email.upper(), organisation=orsa.organisation, role="kommunpolis"
        )
    own = Membership.objects.get(user=user, partnership=orsa.partnership, role="samordnare")
    with pytest.raises(PermissionDenied, match="egna roller"):
        services.remove_membership(me, own)
    assert _counts() == before


def test_samordnare_grants_samordnare_and_kommunpolis(orsa: Any) -> None:
    coordinator = orsa.user("samordnare")
    services.add_membership(
        system_actor(orsa.partnership),
        user=coordinator,
        organisation=orsa.organisation,
        role="administrator",
    )
    me = actor_for(coordinator, orsa.partnership)
    for role in ("samordnare", "kommunpolis", "analytiker"):
        services.add_membership(
            me, user=orsa.user("styrgrupp"), organisation=orsa.organisation, role=role
        )
    assert grantable_roles(me) == frozenset(Role.values)


def test_administrator_cannot_remove_a_samordnare(orsa: Any) -> None:
    admin = actor_for(orsa.user("administrator"), orsa.partnership)
    membership = Membership.objects.get(user=orsa.user("samordnare"), role="samordnare")
    with pytest.raises(PermissionDenied):
        services.remove_membership(admin, membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_system_administrator_grants_every_role(orsa: Any) -> None:
    root = get_user_model().objects.create_superuser(
        username="root@test.example", email="root@test.example", password="Trygg-test-lösen-1"
    )
    actor = actor_for(root, orsa.partnership)
    services.add_membership(
        actor, user=orsa.user("styrgrupp"), organisation=orsa.organisation, role="samordnare"
    )
    with pytest.raises(PermissionDenied, match="egna roller"):
        services.add_membership(actor, user=root, organisation=orsa.organisation, role="samordnare")


@pytest.mark.parametrize("role", ["rapportor", "styrgrupp", "analytiker"])
def test_known_and_unknown_addresses_get_the_same_answer(role: str, orsa: Any, login: Any) -> None:
    """A role that may not add members learns nothing of who has an account."""
    client = login(orsa.user(role), orsa.partnership)
    answers = []
    for email in (orsa.user("samordnare").email, "finns-inte@test.example"):
        response = client.post(
            f"{BASE}/memberships",
            {"email": email, "organisation_id": orsa.organisation.pk, "role": "rapportor"},
            content_type="application/json",
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 403
