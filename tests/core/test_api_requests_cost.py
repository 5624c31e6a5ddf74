"""A read through the API writes nothing and asks the database only what it must: the page
(its rows, and its count when the page does not tell it). The key and the caller's roles come
from the shared cache after the first request (tests/core/test_api_auth_cache.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samtrygg.core import services
from samtrygg.core.models import ApiToken

pytestmark = pytest.mark.django_db

AREAS = "/api/v1/partnerships/2034/areas"


def _writes(queries: Any) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_a_key_records_its_use_at_most_once_a_minute(orsa: Any, monkeypatch: Any) -> None:
    token, raw = services.create_api_token(orsa.user("samordnare"), name="Integration")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(AREAS).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get(AREAS).status_code == 200
    assert _writes(queries.captured_queries) == []
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # a minute later the use is recorded again
    later = timezone.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client.get(AREAS)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_a_list_with_a_known_key_costs_one_query(orsa: Any) -> None:
    _token, raw = services.create_api_token(orsa.user("samordnare"), name="Integration")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get(AREAS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(AREAS).status_code == 200
    # the page alone: the key and the roles are in the cache, and a page that is not full
    # ends the list, so it tells the count without a COUNT query
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 1 and not any("COUNT(" in q.upper() for q in sql), sql


def test_the_count_is_exact_on_every_page(orsa: Any, actor_of: Any) -> None:
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    from samtrygg.core.models import Area

    inside = Area.objects.filter(partnership=orsa.partnership).first()
    assert inside is not None
    square = inside.geometry  # a shape known to lie inside the kommun
    for name in ("Norr", "Söder"):
        services.create_area(actor, name=name, geometry=square)
    _token, raw = services.create_api_token(orsa.user("samordnare"), name="Integration")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    total = client.get(AREAS).json()["count"]
    assert total >= 3
    seen = []
    for page in range(1, total + 2):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(AREAS, {"page": page, "page_size": 2}).json()
        assert body["count"] == total, (page, body)
        seen += [item["name"] for item in body["items"]]
        counted = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        assert counted == (len(body["items"]) == 2 or not body["items"]), page
    assert len(seen) == total and {"Norr", "Söder"} <= set(seen)


def test_a_list_in_the_browser_session_asks_for_the_roles_once(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    client.get(AREAS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(AREAS).status_code == 200
    roles = [q for q in queries.captured_queries if 'FROM "core_membership"' in q["sql"]]
    assert len(roles) == 1, [q["sql"] for q in roles]
