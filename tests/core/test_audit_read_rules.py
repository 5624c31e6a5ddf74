"""The audit trail applies the read rules of the records it describes.

An administratör reads the audit trail (who changed the set-up) but may not read reports,
actions or draft pictures: what the trail says of those records (text, coordinates, the
reporter, the changes) is withheld from them, on the page and in the API alike, while the
coordinating roles see it all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.dataio import system_actor

pytestmark = pytest.mark.django_db

BASE = "/api/v1/partnerships/2034"
SECRET = "HEMLIG-TEXT-7731"


@pytest.fixture
def secrets(orsa: Any, actor_of: Any) -> dict[str, Any]:
    """A report, an action and a draft picture whose text carries SECRET."""
    from samtrygg.actions import services as actions
    from samtrygg.analysis.picture import Period
    from samtrygg.observations import services as observations
    from samtrygg.situation import services as situation

    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    result = observations.submit_report(
        reporter,
        [
            observations.IncidentInput(
                category="klotter",
                occurred_on="2025-11-17",
                time_band="kvall",
                place=orsa.place.pk,
                description=f"Klotter på skolan {SECRET}.",
                assessment=2,
            )
        ],
        organisation=orsa.other_organisation,
    )
    coordinator = system_actor(orsa.partnership)
    today = dt.date.today()
    action = actions.create_action(
        coordinator,
        actions.ActionSpec(
            title=f"Insats {SECRET}",
            type="rondering",
            owner=orsa.organisation.pk,
            start_date=today,
            end_date=today,
        ),
    )
    picture = situation.draft(coordinator, Period.week(2025, 20))
    situation.set_assessment(coordinator, picture, f"Bedömning {SECRET}")
    return {"observation": result.observations[0], "action": action, "picture": picture}


def test_administrator_reads_no_report_text_in_the_audit_api(
    orsa: Any, login: Any, secrets: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    response = client.get(
        f"{BASE}/audit", {"model": "observations.Observation", "action": "create"}
    )
    assert response.status_code == 200
    entries = response.json()["items"]
    assert entries, "the entry itself is listed: who made a report, and when"
    assert SECRET not in response.content.decode()
    assert all(entry["changes"] == {} for entry in entries)
    # nor through the whole list, one entry, or a text search for it
    whole = client.get(f"{BASE}/audit", {"page_size": 100})
    assert SECRET not in whole.content.decode()
    for entry in whole.json()["items"]:
        single = client.get(f"{BASE}/audit/{entry['id']}")
        assert SECRET not in single.content.decode(), entry["model"]
    assert client.get(f"{BASE}/audit", {"q": SECRET}).json()["items"] == []
    # the set-up stays readable for the administratör
    organisations = client.get(f"{BASE}/audit", {"model": "core.Organisation"}).json()["items"]
    assert any(orsa.organisation.name in e["object_repr"] for e in organisations)
    assert all(e["changes"] for e in organisations)


def test_administrator_reads_no_report_text_on_the_audit_page(
    orsa: Any, login: Any, secrets: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    response = client.get(reverse("audit-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body
    assert "observations.Observation" in body
    assert orsa.organisation.name in body
    searched = client.get(reverse("audit-list"), {"q": SECRET}).content.decode()
    assert "<tbody>" not in searched, "a search finds nothing by text the role may not read"


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis"])
def test_coordinators_read_everything_in_the_audit_trail(
    role: str, orsa: Any, login: Any, secrets: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    body = client.get(
        f"{BASE}/audit", {"model": "observations.Observation", "action": "create"}
    ).json()
    assert any(SECRET in str(e["changes"]) for e in body["items"])
    for model in ("actions.Action", "situation.SituationPicture"):
        found = client.get(f"{BASE}/audit", {"model": model}).content.decode()
        assert SECRET in found, model
    assert SECRET in client.get(reverse("audit-list")).content.decode()
    assert client.get(f"{BASE}/audit", {"q": SECRET}).json()["items"]


def test_every_audited_model_declares_who_reads_it(orsa: Any, secrets: Any, actor_of: Any) -> None:
    """A model audited in the partnership's trail without a declared read rule is shown only
    to the coordinating roles; the demo's models are all declared."""
    from samtrygg.core.models import AuditEntry
    from samtrygg.core.permissions import audit_readers

    declared = audit_readers()
    audited = set(AuditEntry.objects.values_list("model", flat=True))
    assert audited - set(declared) <= {"sources.SourceRun"}, audited - set(declared)
