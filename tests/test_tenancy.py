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


# --- Inside the partnership: what each role may read, in every response ------------------------


def _own_urls(client: Any, tenant: Any) -> list[str]:
    """Every page and API read of the tenant: lists, and each record by its own id."""
    code = tenant.partnership.municipality.code
    urls = [
        reverse(name)
        for route, name in _own_pages()
        if "<" not in route and name not in ("logout", "switch-partnership")
    ]
    for name, kwargs in tenancy.PAGES_WITH_ID.items():
        urls.append(reverse(name, kwargs=kwargs(tenant)))
    for path, method in _api_operations(client):
        if method != "get" or path in tenancy.API_EXEMPT:
            continue
        url = path.replace("{code}", code)
        if "{pk}" in path:
            segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
            url = url.replace("{pk}", str(tenancy.API_IDS[segment](tenant)))
        urls.append(url)
    return urls


@pytest.mark.parametrize("role", ALL_ROLES_USER_ROLES)
def test_no_response_shows_a_role_what_it_may_not_read(
    role: str, orsa: Any, login: Any, actor_of: Any
) -> None:
    """Pages, API, audit trail, jobs, exports and documents: a record the role may not read
    (by the app's own read rules) leaves no trace of its text in anything the role gets."""
    records = tenancy.restricted_records(orsa)
    actor = actor_of(orsa.user(role), orsa.partnership)
    hidden = [marker for marker, read in records if not tenancy.may_read(actor, read)]
    visible = [marker for marker, read in records if tenancy.may_read(actor, read)]
    client = login(orsa.user(role), orsa.partnership)
    seen = ""
    for url in _own_urls(client, orsa):
        for query in ("", "?page_size=100"):
            response = client.get(url + query)
            assert response.status_code < 500, (url, response.status_code)
            text = tenancy.readable_text(response)
            leaked = [marker for marker in hidden if marker in text]
            assert not leaked, f"{role} får se {leaked} på {url}"
            seen += text
    # the walk finds what the role may read, so it would find a leak
    if role == "samordnare":
        assert hidden == []
        missing = [marker for marker in visible if marker not in seen]
        assert not missing, f"samordnaren ser inte {missing}: testet når inte posterna"
    if role == "administrator":
        assert len(hidden) >= 5


def _rows_of(tenant: Any) -> dict[str, list[dict[str, Any]]]:
    """Every row of every model that belongs to the tenant's partnership."""
    from django.apps import apps

    rows = {}
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        if "partnership" in fields:
            rows[model._meta.label] = list(
                model.objects.filter(partnership=tenant.partnership).order_by("pk").values()
            )
    return rows


def _cross_tenant_references() -> list[str]:
    """Rows that point at a record of another partnership than their own."""
    from django.apps import apps
    from django.db.models import F

    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "partnership" not in names:
            continue
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is None or field.name == "partnership":
                continue
            if "partnership" not in {f.name for f in target._meta.concrete_fields}:
                continue
            wrong = model.objects.exclude(**{f"{field.name}__isnull": True}).exclude(
                **{f"{field.name}__partnership": F("partnership")}
            )
            found += [f"{model._meta.label}.{field.name} #{row.pk}" for row in wrong]
    return found


@pytest.mark.parametrize("role", ALL_ROLES_USER_ROLES)
def test_another_partnerships_ids_in_query_strings_and_bodies_are_refused(
    role: str, orsa: Any, gislaved: Any, login: Any
) -> None:
    """The other partnership's ids in filters, API bodies and page forms: never a 500,
    never its data in the answer, never a write that reaches or points at its records."""
    ids = tenancy.other_ids(gislaved)
    theirs = _rows_of(gislaved)
    client = login(orsa.user(role), orsa.partnership)
    code = orsa.partnership.municipality.code
    for path, method in _api_operations(client):
        if path in tenancy.API_EXEMPT:
            continue
        url = path.replace("{code}", code)
        if "{pk}" in path:
            segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
            url = url.replace("{pk}", str(tenancy.API_IDS[segment](orsa)))
        if method == "get":
            response = client.get(url, {key: ids[key] for key in ids if "_" not in key})
        elif method in ("post", "put"):
            collection = re.search(r"/([a-z-]+)(?:/\{pk\})?$", path).group(1)  # type: ignore[union-attr]
            body = tenancy.API_PAYLOADS[collection](orsa)
            pointed = tenancy.with_other_ids(body, ids)
            if pointed == body:
                continue  # names no record: the tests above cover it
            response = getattr(client, method)(url, pointed, content_type="application/json")
            assert response.status_code >= 400, (method, url, response.status_code, pointed)
        else:
            continue
        assert response.status_code < 500, (method, url, response.status_code)
        assert gislaved.marker not in response.content.decode(), (method, url)
    for route, name in _own_pages():
        if "<" in route or name in ("logout", "switch-partnership", "login"):
            continue
        for action in ("", "delete"):
            response = client.post(reverse(name), {**ids, "name": "x", "action": action})
            assert response.status_code < 500, (name, action, response.status_code)
            assert gislaved.marker not in tenancy.readable_text(response), (name, action)
    assert _rows_of(gislaved) == theirs, "en skrivning ändrade Gislaveds poster"
    assert _cross_tenant_references() == []
