"""Who sees what: a rapportör only their own organisation's reports, samordnare and
kommunpolis all of the partnership's, analytiker read and export, styrgrupp no raw reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.errors import PermissionDenied
from samtrygg.observations import queries, services
from tests.observations.conftest import actor, incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(orsa: Any, second_reporter: Any) -> dict[str, Any]:
    own = services.submit_report(
        actor(orsa.user("rapportor"), orsa),
        [incident(orsa, description="Bostadsbolagets iakttagelse vid torget.")],
    ).observations[0]
    school = services.submit_report(
        actor(second_reporter, orsa),
        [incident(orsa, description="Skolans iakttagelse vid torget.")],
    ).observations[0]
    return {"own": own, "school": school}


def test_a_rapportor_sees_only_their_organisations_reports(
    orsa: Any, second_reporter: Any, reports: dict[str, Any], login: Any
) -> None:
    rapportor = actor(orsa.user("rapportor"), orsa)
    assert list(queries.observations(rapportor)) == [reports["own"]]
    client = login(orsa.user("rapportor"), orsa.partnership)
    page = client.get(reverse("observation-list")).content.decode()
    assert "Bostadsbolagets iakttagelse" in page and "Skolans iakttagelse" not in page
    assert client.get(reverse("observation-detail", args=[reports["school"].pk])).status_code == 404
    assert client.get(reverse("observation-detail", args=[reports["own"].pk])).status_code == 200
    points = client.get(reverse("observation-map-data")).json()
    assert [f["id"] for f in points["features"]] == [reports["own"].pk]
    api = client.get("/api/v1/partnerships/2034/observations").json()
    assert [o["id"] for o in api["items"]] == [reports["own"].pk]
    school_url = f"/api/v1/partnerships/2034/observations/{reports['school'].pk}"
    assert client.get(school_url).status_code == 404
    # No export for a rapportör.
    assert client.get(reverse("observation-export") + "?format=csv").status_code == 403


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "analytiker"])
def test_coordinators_and_analysts_see_the_whole_partnership(
    role: str, orsa: Any, reports: dict[str, Any], login: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    page = client.get(reverse("observation-list")).content.decode()
    assert "Bostadsbolagets iakttagelse" in page and "Skolans iakttagelse" in page
    export = client.get(reverse("observation-export") + "?format=csv")
    assert export.status_code == 200
    assert "Skolans iakttagelse" in export.content.decode("utf-8-sig")
    for obs in reports.values():
        assert client.get(reverse("observation-detail", args=[obs.pk])).status_code == 200


def test_an_analyst_reads_but_does_not_write(
    orsa: Any, reports: dict[str, Any], login: Any
) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    assert client.get(reverse("report-create")).status_code == 403
    detail = client.get(reverse("observation-detail", args=[reports["own"].pk])).content.decode()
    assert "Markera som granskad" not in detail and "Ändra" not in detail
    response = client.post(
        reverse("observation-detail", args=[reports["own"].pk]), {"action": "review"}
    )
    assert response.status_code == 403
    assert client.get(reverse("observation-edit", args=[reports["own"].pk])).status_code == 403
    response = client.put(
        f"/api/v1/partnerships/2034/observations/{reports['own'].pk}",
        {
            "category": "klotter",
            "occurred_on": "2025-01-01",
            "time_band": "dag",
            "place_id": orsa.place.pk,
            "description": "x",
            "assessment": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["styrgrupp", "administrator"])
def test_no_raw_reports_without_a_reading_role(
    role: str, orsa: Any, reports: dict[str, Any], login: Any
) -> None:
    with pytest.raises(PermissionDenied):
        queries.observations(actor(orsa.user(role), orsa))
    client = login(orsa.user(role), orsa.partnership)
    response = client.get(reverse("observation-list"))
    assert response.status_code == 302 and response.url == reverse("observation-summary")
    summary = client.get(reverse("observation-summary")).content.decode()
    assert "iakttagelse" not in summary
    assert "<td>färre än 5</td>" in summary  # two reports: suppressed
    for obs in reports.values():
        assert client.get(reverse("observation-detail", args=[obs.pk])).status_code == 403
    assert client.get(reverse("observation-map-data")).status_code == 403
    assert client.get(reverse("observation-export")).status_code == 403
    assert client.get("/api/v1/partnerships/2034/observations").status_code == 403
    assert client.get(
        f"/api/v1/partnerships/2034/observations/{reports['own'].pk}"
    ).status_code in (
        403,
        404,
    )


def test_the_nav_links_follow_the_role(orsa: Any, login: Any) -> None:
    rapportor = login(orsa.user("rapportor"), orsa.partnership).get(reverse("home"))
    html = rapportor.content.decode()
    assert f'href="{reverse("report-create")}"' in html
    assert f'href="{reverse("observation-list")}"' in html
    styrgrupp = login(orsa.user("styrgrupp"), orsa.partnership).get(reverse("home"))
    assert f'href="{reverse("report-create")}"' not in styrgrupp.content.decode()


def test_viewing_a_report_is_logged(orsa: Any, reports: dict[str, Any], login: Any) -> None:
    from samtrygg.core.models import AuditEntry

    client = login(orsa.user("kommunpolis"), orsa.partnership)
    client.get(reverse("observation-detail", args=[reports["school"].pk]))
    entry = AuditEntry.objects.filter(action="view", object_id=str(reports["school"].pk)).get()
    assert entry.actor == orsa.user("kommunpolis")
    client.get(reverse("observation-export") + "?format=csv")
    assert AuditEntry.objects.filter(action="view", object_repr__startswith="Export av 2").exists()
