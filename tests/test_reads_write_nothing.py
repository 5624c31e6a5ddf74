"""A read never writes: every page and every API GET of the tenancy matrix, for every role,
leaves the row count of every table as it was (audit entries of the kind "viewed" aside:
viewing sensitive records is logged on purpose)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samtrygg.core.models import AuditAction, AuditEntry
from tests import tenancy

pytestmark = pytest.mark.django_db

ROLES = ("samordnare", "kommunpolis", "analytiker", "administrator", "rapportor", "styrgrupp")
# Pages that are actions rather than reads, even when fetched with GET.
NOT_READS = {"logout", "switch-partnership"}
# Tables a signed-in GET may touch without writing content: the session.
IGNORED_TABLES = {"django_session"}


def _patterns(resolver: Any = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    out: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            out += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            out.append((prefix + str(entry.pattern), entry))
    return out


def _page_urls(own: Any) -> list[str]:
    urls = []
    for route, pattern in _patterns():
        if route.startswith(("admin/", "i18n/", "api/")) or pattern.name in NOT_READS:
            continue
        if "<" not in route:
            urls.append(reverse(pattern.name))
    urls += [reverse(name, kwargs=kwargs(own)) for name, kwargs in tenancy.PAGES_WITH_ID.items()]
    return urls


def _api_urls(client: Any, own: Any) -> list[str]:
    spec = client.get("/api/v1/openapi.json").json()
    code = own.partnership.municipality.code
    urls = []
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = path.replace("{code}", code)
        if "{pk}" in path:
            segment = re.search(r"/([a-z-]+)/\{pk\}", path).group(1)  # type: ignore[union-attr]
            url = url.replace("{pk}", str(tenancy.API_IDS[segment](own)))
        urls.append(url)
    return urls


def row_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    counts[AuditEntry._meta.db_table] = AuditEntry.objects.exclude(action=AuditAction.VIEW).count()
    return counts


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {t: (before.get(t, 0), n) for t, n in after.items() if before.get(t, 0) != n}


@pytest.mark.parametrize("role", ROLES)
def test_every_read_leaves_every_table_as_it_was(
    role: str, orsa: Any, gislaved: Any, login: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    # Every record the matrix names exists before anything is counted.
    urls = _page_urls(orsa) + _api_urls(client, orsa)
    client.get(reverse("home"))  # the session is made before counting
    for url in urls:
        before = row_counts()
        client.get(url)
        after = row_counts()
        assert not changed(before, after), f"GET {url} as {role} wrote: {changed(before, after)}"


def test_the_count_sees_a_write(orsa: Any) -> None:
    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor

    before = row_counts()
    services.create_organisation(system_actor(orsa.partnership), name="Ny", type="forening")
    assert set(changed(before, row_counts())) == {"core_organisation", "core_auditentry"}


def test_a_read_does_not_make_missing_defaults(orsa: Any, login: Any) -> None:
    """Defaults are made with the partnership (and by writes), never by a page or API read."""
    from samtrygg.observations.models import ReportingSettings

    client = login(orsa.user("samordnare"), orsa.partnership)
    urls = _page_urls(orsa) + _api_urls(client, orsa)
    ReportingSettings.objects.filter(partnership=orsa.partnership).delete()
    client.get(reverse("home"))
    for url in urls:
        before = row_counts()
        client.get(url)
        assert not changed(before, row_counts()), f"GET {url} wrote"
