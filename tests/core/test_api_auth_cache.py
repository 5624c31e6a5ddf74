"""The API keeps what a key and a caller's memberships say in the shared cache
(``core.authcache``), and every change to them counts from the very next request: a revoked
key, a removed role, a deactivated user, a new membership. The cache never stands in for
another partnership or another user."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samtrygg.core import authcache, services
from samtrygg.core.dataio import system_actor
from samtrygg.core.generations import ALL
from samtrygg.core.models import Membership, Role

pytestmark = pytest.mark.django_db

AREAS = "/api/v1/partnerships/{code}/areas"
AUDIT = "/api/v1/partnerships/2034/audit"


def _client(user: Any) -> tuple[Any, Client]:
    token, raw = services.create_api_token(user, name="Integration")
    return token, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _names(client: Client, code: str) -> set[str]:
    response = client.get(AREAS.format(code=code))
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_a_known_key_asks_the_database_only_for_the_page(orsa: Any) -> None:
    _token, client = _client(orsa.user("samordnare"))
    with CaptureQueriesContext(connection) as first:
        _names(client, "2034")
    with CaptureQueriesContext(connection) as again:
        _names(client, "2034")
    sql = [q["sql"] for q in again.captured_queries]
    assert len(sql) == 1 and '"core_area"' in sql[0], sql
    # the first request asked for the key and the roles as well
    assert len(first.captured_queries) > len(sql)


def test_a_revoked_key_is_refused_at_once(orsa: Any) -> None:
    user = orsa.user("samordnare")
    token, client = _client(user)
    _names(client, "2034")
    services.revoke_api_token(user, token.pk)
    assert client.get(AREAS.format(code="2034")).status_code == 401


def test_a_deactivated_user_is_refused_at_once(orsa: Any) -> None:
    user = orsa.user("samordnare")
    _token, client = _client(user)
    _names(client, "2034")
    user.is_active = False
    user.save()  # as the admin site does it
    assert client.get(AREAS.format(code="2034")).status_code == 401


def test_a_role_taken_away_is_refused_at_once(orsa: Any) -> None:
    user = orsa.user("kommunpolis")
    _token, client = _client(user)
    assert client.get(AUDIT).status_code == 200
    operator = system_actor(orsa.partnership)
    membership = Membership.objects.get(user=user, partnership=orsa.partnership)
    rapportor = services.change_membership_role(operator, membership, Role.RAPPORTOR)
    assert client.get(AUDIT).status_code == 403
    # without any role there, the partnership is not there for the key
    services.remove_membership(operator, rapportor)
    assert client.get(AREAS.format(code="2034")).status_code == 404


def test_a_role_given_counts_at_once_and_only_where_it_is_given(orsa: Any, gislaved: Any) -> None:
    user = orsa.user("samordnare")
    _token, client = _client(user)
    own = _names(client, "2034")
    assert any("ORSA-MARK" in name for name in own)
    assert client.get(AREAS.format(code="0662")).status_code == 404
    services.add_membership(
        system_actor(gislaved.partnership),
        user=user,
        organisation=gislaved.organisation,
        role=Role.ANALYTIKER,
    )
    other = _names(client, "0662")
    assert other and all("GISLAVED-MARK" in name for name in other)
    assert _names(client, "2034") == own


def test_each_key_gets_its_own_users_roles(orsa: Any) -> None:
    _a, coordinator = _client(orsa.user("samordnare"))
    _b, reporter = _client(orsa.user("rapportor"))
    for _ in range(2):
        assert coordinator.get(AUDIT).status_code == 200
        assert reporter.get(AUDIT).status_code == 403


def test_a_login_elsewhere_keeps_the_entries(orsa: Any) -> None:
    from django.contrib.auth.models import update_last_login

    user = orsa.user("samordnare")
    _token, client = _client(user)
    _names(client, "2034")
    update_last_login(None, user)  # what every login saves
    with CaptureQueriesContext(connection) as queries:
        _names(client, "2034")
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_an_entry_filled_in_while_a_change_committed_is_never_used(db: Any) -> None:
    generation, found = authcache.get("test")
    assert found is authcache.MISS
    authcache.forget_all()  # a revocation commits while the request reads the database
    authcache.put(generation, "test", "what the database said before")
    assert authcache.get("test")[1] is authcache.MISS


def test_a_lost_generation_does_not_bring_old_entries_back(db: Any) -> None:
    generation, _found = authcache.get("test")
    authcache.put(generation, "test", "old")
    assert authcache.get("test")[1] == "old"
    caches["default"].delete(
        authcache.ENTRIES.generation_key(ALL)
    )  # culled, or the cache restarted
    assert authcache.get("test")[1] is authcache.MISS


def test_the_cache_holds_no_password_hash(orsa: Any) -> None:
    user = orsa.user("samordnare")
    _token, client = _client(user)
    _names(client, "2034")
    stored = caches["default"]._cache  # type: ignore[attr-defined]  # locmem: pickled values
    assert stored
    hashed = user.password.encode()
    assert not any(hashed in value for value in stored.values())
