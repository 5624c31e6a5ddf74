"""An integration writes with an API key alone: no session, no CSRF token.

Every write operation of the OpenAPI spec is called with a bearer key by a client that
enforces CSRF checks as a browser would; none may be refused for want of a CSRF token, and a
browser session without the token is told that the CSRF token is missing, not that the role
may not do it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from samtrygg.core import services
from samtrygg.core.dataio import system_actor
from samtrygg.core.models import Role
from tests import tenancy

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")


def _key_for_all_roles(tenant: Any) -> tuple[Any, str]:
    """The samordnare, also kommunpolis and administratör, with an API key."""
    user = tenant.user("samordnare")
    actor = system_actor(tenant.partnership)
    for role in (Role.KOMMUNPOLIS, Role.ADMINISTRATOR):
        services.add_membership(actor, user=user, organisation=tenant.organisation, role=role)
    _token, raw = services.create_api_token(user, name="Integration")
    return user, raw


def _write_operations() -> list[tuple[str, str]]:
    from samtrygg.api.urls import api

    spec = api.get_openapi_schema()
    operations = [
        (path, method) for path, ops in spec["paths"].items() for method in ops if method in WRITES
    ]
    # deletes last, so the records the other writes need are still there
    return sorted(operations, key=lambda op: op[1] == "delete")


def _fresh_for_write() -> dict[str, Any]:
    """Writes that need a record in a given state (a signed promise, an open tip), from the
    apps' tenancy entries: path ending -> function(tenant) giving a fresh record's id."""
    from tests.promises import tenancy_entries as promises
    from tests.residents import tenancy_entries as residents

    return {**promises.FRESH_FOR_WRITE, **residents.FRESH_FOR_WRITE}


_FRESH_FOR_WRITE = _fresh_for_write()


def _own_url(path: str, tenant: Any) -> str:
    url = path.replace("{code}", tenant.partnership.municipality.code)
    if "{pk}" in path:
        segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
        if segment == "memberships":  # someone else's membership, not the key holder's
            pk = tenant.partnership.memberships.get(user=tenant.user("styrgrupp")).pk
        else:
            pk = tenancy.API_IDS[segment](tenant)
        fresh = next((f for end, f in _FRESH_FOR_WRITE.items() if path.endswith(end)), None)
        if fresh is not None:
            pk = fresh(tenant)
        url = url.replace("{pk}", str(pk))
    return url


def test_every_write_operation_works_with_a_key_alone(orsa: Any, settings: Any) -> None:
    settings.POLICE_EVENTS_URL = "https://polisen.se/api/events"
    _user, raw = _key_for_all_roles(orsa)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    operations = _write_operations()
    assert len(operations) >= 20
    outcomes = {}
    for path, method in operations:
        collection = re.search(r"/([a-z-]+)(?:/\{pk\})?$", path).group(1)  # type: ignore[union-attr]
        body = tenancy.API_PAYLOADS[collection](orsa) if method != "delete" else None
        if method == "put" and body and "name" in body:  # not the name the POST just took
            body = body | {"name": f"{body['name']} ändrad"}
        if collection == "observation-imports":
            body = {
                "content": "datum,tidsband,kategori,lat,lon,beskrivning,bedomning\n"
                "2025-11-17,kvall,klotter,61.1205,14.6160,Klotter vid torget,2\n"
            }
        if collection == "memberships" and method == "post":
            body = {
                "email": orsa.user("analytiker").email,
                "organisation_id": orsa.organisation.pk,
                "role": "rapportor",
            }
        response = getattr(client, method)(
            _own_url(path, orsa), data=body, content_type="application/json"
        )
        outcomes[(method, path)] = response.status_code
        assert response.status_code < 300, (method, path, response.status_code, response.json())
    assert len(outcomes) == len(operations)


def test_a_session_without_csrf_token_is_told_so(orsa: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(orsa.user("samordnare"))
    response = client.post(
        "/api/v1/partnerships/2034/categories",
        data={"name": "Ny kategori"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert "Din roll" not in response.json()["detail"]


def test_a_session_with_its_csrf_token_writes(orsa: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(orsa.user("samordnare"))
    client.get("/konto/")  # sets the csrftoken cookie, as any page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/partnerships/2034/categories",
        data={"name": "Ny kategori"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


def test_a_wrong_key_is_401_even_for_a_write(orsa: Any) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer st_fel")
    response = client.post(
        "/api/v1/partnerships/2034/categories",
        data={"name": "Ny kategori"},
        content_type="application/json",
    )
    assert response.status_code == 401
