"""A user of one partnership can never see, list, export or reach by id anything of another.

One generic test over every page and every API path, on whichever database the run uses.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import tenancy

pytestmark = pytest.mark.django_db

ALL_ROLES_USER_ROLES = (
    "samordnare",
    "kommunpolis",
    "analytiker",
    "administrator",
    "rapportor",
    "styrgrupp",
)


def _patterns(resolver: Any = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    out: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            out += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            out.append((prefix + str(entry.pattern), entry))
    return out


def _own_pages() -> list[tuple[str, str]]:
    """(route, name) of the project's own pages (not admin, i18n or the API)."""
    pages = []
    for route, pattern in _patterns():
        if route.startswith(("admin/", "i18n/", "api/")):
            continue
        pages.append((route, pattern.name))
    return pages


def test_every_page_with_an_id_is_registered() -> None:
    for route, name in _own_pages():
        if "<" in route:
            assert name in tenancy.PAGES_WITH_ID or name in tenancy.PAGES_EXEMPT, (
                f"Sidan {name} ({route}) tar ett id men finns inte i tests/tenancy.py"
            )


@pytest.mark.parametrize("role", ALL_ROLES_USER_ROLES)
def test_pages_never_show_another_partnership(
    role: str, orsa: Any, gislaved: Any, login: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    for route, name in _own_pages():
        if "<" in route or name in ("logout", "switch-partnership"):
            continue
        response = client.get(reverse(name))
        assert response.status_code in (200, 302, 403), (name, response.status_code)
        assert gislaved.marker not in response.content.decode(), f"{name} visar Gislaveds data"
    for name, kwargs in tenancy.PAGES_WITH_ID.items():
        url = reverse(name, kwargs=kwargs(gislaved))
        assert client.get(url).status_code == 404, f"{name} nådde Gislaveds post"
        assert client.post(url, {"name": "x", "action": "delete"}).status_code == 404, name


def test_switching_to_a_partnership_without_a_role_is_refused(
    orsa: Any, gislaved: Any, login: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    client.post(reverse("switch-partnership"), {"partnership": gislaved.partnership.pk})
    response = client.get(reverse("area-list"))
    assert gislaved.marker not in response.content.decode()
    assert orsa.marker in response.content.decode()


def _api_operations(client: Any) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json()
    return [(path, method) for path, ops in spec["paths"].items() for method in ops]


@pytest.mark.parametrize("role", ALL_ROLES_USER_ROLES)
def test_api_never_reaches_another_partnership(
    role: str, orsa: Any, gislaved: Any, login: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    own_code = orsa.partnership.municipality.code
    other_code = gislaved.partnership.municipality.code
    for path, method in _api_operations(client):
        if path in tenancy.API_EXEMPT:
            continue
        assert "{code}" in path, f"API-vägen {path} är inte per samverkan och inte undantagen"
        call = getattr(client, method)
        collection = re.search(r"/([a-z-]+)(?:/\{pk\})?$", path).group(1)  # type: ignore[union-attr]
        body: dict[str, Any] = {}
        if method in ("post", "put", "patch"):
            assert collection in tenancy.API_PAYLOADS, (
                f"{path}: lägg till en giltig kropp för '{collection}' i tests/tenancy.py"
            )
            body = tenancy.API_PAYLOADS[collection](orsa)
        # 1. Another partnership's collection or record: 404, whatever the method.
        url = path.replace("{code}", other_code)
        if "{pk}" in path:
            segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
            assert segment in tenancy.API_IDS, f"{path}: lägg till '{segment}' i tests/tenancy.py"
            url = url.replace("{pk}", str(tenancy.API_IDS[segment](gislaved)))
        response = call(url, data=body, content_type="application/json")
        assert response.status_code == 404, (method, url, response.status_code)
        # 2. Own partnership, another's record id: 404 too (or 403 for the role).
        if "{pk}" in path:
            url = path.replace("{code}", own_code).replace(
                "{pk}", str(tenancy.API_IDS[segment](gislaved))
            )
            response = call(url, data=body, content_type="application/json")
            assert response.status_code in (403, 404), (method, url, response.status_code)
            if method == "get":
                assert response.status_code in (403, 404), (url, response.status_code)
        # 3. Own lists never carry another partnership's data.
        if method == "get" and "{pk}" not in path:
            response = client.get(path.replace("{code}", own_code))
            assert gislaved.marker not in response.content.decode(), path


def test_partnership_list_shows_only_own(orsa: Any, gislaved: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    body = client.get("/api/v1/partnerships").json()
    assert [p["kommunkod"] for p in body] == ["2034"]


def test_api_without_login_is_refused(orsa: Any, client: Any) -> None:
    response = client.get("/api/v1/partnerships/2034/areas")
    assert response.status_code == 401
    assert "Inloggning krävs" in response.json()["detail"]
