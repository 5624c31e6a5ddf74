"""No raw record of any kommun is reachable above the partnership.

As a länssamordnare (no partnership of their own) and as an LPO reader (a kommunpolis whose
lokalpolisområde serves two kommuner with partnerships), every page of the project and every
GET of the API spec is walked with each partnership's records in place; the text of no
report, action, meeting, walk, finding, draft or job of the kommuner appears anywhere, and
the partnership pages keep refusing the länssamordnare.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests import tenancy
from tests.conftest import build_tenant
from tests.test_tenancy import _api_operations, _own_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def mora(db: Any) -> Any:
    # Mora shares LPO Mora with Orsa, in Dalarna too.
    return build_tenant("2062", "LPO Mora", 61.0049, 14.5372, "MORA-MARK")


def _urls(client: Any, tenants: list[Any]) -> list[str]:
    """Every page (each page with an id, for each tenant's record) and every API read."""
    urls = [
        reverse(name)
        for route, name in _own_pages()
        if "<" not in route and name not in ("logout", "switch-partnership")
    ]
    for tenant in tenants:
        for name, kwargs in tenancy.PAGES_WITH_ID.items():
            urls.append(reverse(name, kwargs=kwargs(tenant)))
    for path, method in _api_operations(client):
        if method != "get":
            continue
        for tenant in tenants:
            url = path.replace("{code}", tenant.partnership.municipality.code)
            if path.startswith("/api/v1/counties/"):
                url = path.replace("{code}", tenant.partnership.municipality.county_id)
            if "{pk}" in path:
                segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
                url = url.replace("{pk}", str(tenancy.API_IDS[segment](tenant)))
            urls.append(url)
    return sorted(set(urls))


def _markers(tenants: list[Any]) -> list[str]:
    found = []
    for tenant in tenants:
        found += [marker for marker, _read in tenancy.restricted_records(tenant)]
    return found


def test_a_lansamordnare_reaches_no_raw_record(
    county_user: Any, orsa: Any, mora: Any, login: Any
) -> None:
    tenants = [orsa, mora]
    markers = _markers(tenants)
    client = login(county_user)
    seen_county = False
    for url in _urls(client, tenants):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        text = tenancy.readable_text(response)
        leaked = [m for m in markers if m in text]
        assert not leaked, f"länssamordnaren ser {leaked} på {url}"
        if "/api/v1/partnerships/" in url and "/public/" not in url:
            # a partnership's working API refuses (its public site answers anyone)
            assert response.status_code == 404, url
        if url.startswith(("/lan/20/", "/api/v1/counties/20/")):
            assert response.status_code == 200, url
            seen_county = seen_county or ("Orsa" in text and "Mora" in text)
    # the walk reached the county pages, and they name both kommuner
    assert seen_county


def test_an_lpo_reader_sees_no_raw_record_of_the_other_kommun(
    orsa: Any, mora: Any, login: Any
) -> None:
    tenants = [orsa, mora]
    mora_markers = [m for m, _read in tenancy.restricted_records(mora)]
    tenancy.restricted_records(orsa)
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    lpo = reverse("lpo-overview", args=[orsa.partnership.police_area_id])
    page = client.get(lpo)
    assert page.status_code == 200
    assert "Orsa" in page.content.decode() and "Mora" in page.content.decode()
    for url in _urls(client, tenants):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        text = tenancy.readable_text(response)
        leaked = [m for m in mora_markers if m in text]
        assert not leaked, f"kommunpolisen i Orsa ser Moras {leaked} på {url}"


def test_the_lpo_view_is_for_reading_roles_only(orsa: Any, mora: Any, login: Any) -> None:
    lpo = reverse("lpo-overview", args=[orsa.partnership.police_area_id])
    for role, status in (
        ("samordnare", 200),
        ("kommunpolis", 200),
        ("analytiker", 200),
        ("styrgrupp", 200),
        ("rapportor", 404),
        ("administrator", 404),
    ):
        client = login(orsa.user(role), orsa.partnership)
        assert client.get(lpo).status_code == status, role
        api = client.get(f"/api/v1/police-areas/{orsa.partnership.police_area_id}/levels")
        assert api.status_code == status, role


def test_an_lpo_of_one_kommun_has_no_view(orsa: Any, login: Any) -> None:
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    assert (
        client.get(reverse("lpo-overview", args=[orsa.partnership.police_area_id])).status_code
        == 404
    )
    assert client.get(reverse("county-home")).status_code == 403
