"""List filters are Django forms: a filter that cannot be read is refused in Swedish beside its
field, with 400, the filters as they were typed, and an empty list (never everything, never a
500); a good filter still filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"organisation": "²"}, "f-org", "Välj en post i listan."),
        ({"area": "1" * 25}, "f-area", "Välj en post i listan."),
        ({"status": "okänd"}, "f-status", "Välj ett av alternativen i listan."),
    ],
)
def test_a_bad_action_filter_is_refused_beside_its_field(
    orsa: Any, login: Any, query: dict[str, str], field: str, message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("action-list"), query | {"forsenade": "1"})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in page
    assert 'name="forsenade" value="1" checked' in page  # the other filters as typed


def test_a_good_action_filter_filters(orsa: Any, login: Any, actor_of: Any) -> None:
    from tests.actions.conftest import make_action

    make_action(actor_of(orsa.user("samordnare"), orsa.partnership), orsa.organisation)
    client = login(orsa.user("samordnare"), orsa.partnership)
    shown = client.get(reverse("action-list"), {"organisation": str(orsa.organisation.pk)})
    assert shown.status_code == 200 and "data-action-id=" in shown.content.decode()
    other = client.get(reverse("action-list"), {"status": "installd"})
    assert other.status_code == 200 and "data-action-id=" not in other.content.decode()


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"fran": "2025-13-01"}, "fran", "Från: skriv datumet som ÅÅÅÅ-MM-DD."),
        ({"fran": "2025-03-02", "till": "2025-03-01"}, "till", "Till-datumet ligger före"),
        ({"action": "sprängd"}, "action", "Välj ett av alternativen i listan."),
        ({"q": "x" * 201}, "q", "Söktexten får vara högst 200 tecken."),
    ],
)
def test_a_bad_audit_filter_is_refused_and_shows_nothing(
    orsa: Any, login: Any, query: dict[str, str], field: str, message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    assert "<tbody>" in client.get(reverse("audit-list")).content.decode()
    response = client.get(reverse("audit-list"), query | {"model": "core.Area"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="field-error" id="{field}-error">{message}' in page
    assert f'aria-describedby="{field}-error"' in page
    assert "<tbody>" not in page  # nothing listed rather than everything
    for name in ("fran", "till"):  # typed dates come back as typed
        if name in query:
            assert f'value="{query[name]}"' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ({"kategori": "abc"}, "Ange nummer som heltal"),
        ({"kalla": "rykte"}, "Välj bland källorna i listan."),
        ({"organisation": "1" * 25}, "Ange nummer som heltal"),
    ],
)
def test_a_bad_picture_filter_is_refused(
    orsa: Any, login: Any, query: dict[str, str], message: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("situation-current"), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    points = client.get(reverse("situation-points"), query)
    assert points.status_code == 400 and points.json()["detail"].startswith(message)


def test_a_good_picture_filter_is_kept_in_the_map_link(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    query = {"period": "2025-W20", "kalla": "polis", "organisation": str(orsa.organisation.pk)}
    response = client.get(reverse("situation-current"), query)
    assert response.status_code == 200
    points_url = response.context["points_url"]
    assert "period=2025-W20" in points_url and "kalla=polis" in points_url
    assert f"organisation={orsa.organisation.pk}" in points_url
    assert client.get(points_url).status_code == 200
