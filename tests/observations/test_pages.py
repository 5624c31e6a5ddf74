"""The pages without JavaScript: the report form (add, remove, send, errors beside their
fields), the detail with review and merge, editing, categories, police types, time bands."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samtrygg.observations.models import Category, Observation, PoliceTypeMapping, Report
from tests.observations.conftest import actor, file_report, incident, yesterday

pytestmark = pytest.mark.django_db


def _incident_fields(i: int, tenant: Any, **overrides: str) -> dict[str, str]:
    fields = {
        f"category-{i}": "klotter",
        f"occurred_on-{i}": yesterday().isoformat(),
        f"time_band-{i}": "kvall",
        f"place-{i}": str(tenant.place.pk),
        f"description-{i}": "Klotter på väggen.",
        f"assessment-{i}": "2",
        f"source-{i}": "egen_iakttagelse",
    }
    fields.update({f"{k}-{i}": v for k, v in overrides.items()})
    return fields


def test_the_form_renders_for_a_phone(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    page = client.get(reverse("report-create")).content.decode()
    assert 'name="viewport" content="width=device-width' in page
    assert 'id="report-form"' in page and 'data-api-url="/api/v1/partnerships/2034/reports"' in page
    assert 'name="client_uuid" value="' in page
    assert page.count('class="incident"') == 2  # the first incident and the template
    assert "Morgon <small>06–10</small>" in page and "Natt <small>22–06</small>" in page
    assert "4 – påverkar tryggheten allvarligt" in page
    assert f'data-lat="{orsa.place.lat}"' in page  # not localised with a decimal comma
    assert "/static/observations/report.js" in page
    assert "<script>" not in page  # no inline script (content security policy)


def test_without_js_incidents_are_added_removed_and_sent(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    url = reverse("report-create")
    key = "3f1c4a52-6d0e-4f55-9d6c-0a9b8e4b1c11"
    post = {"client_uuid": key, **_incident_fields(0, orsa)}
    page = client.post(url, {**post, "action": "add"}).content.decode()
    assert 'name="description-1"' in page and "Klotter på väggen." in page
    assert not Observation.objects.exists()
    three = {
        **post,
        **_incident_fields(1, orsa, description="Två"),
        **_incident_fields(
            2, orsa, description="Tre", lat="61.1206", lon="14.616", place="", precision="punkt"
        ),
    }
    page = client.post(url, {**three, "action": "remove-1"}).content.decode()
    assert 'name="description-2"' not in page and ">Tre</textarea>" in page
    response = client.post(url, {**three, "action": "send"})
    assert response.status_code == 302
    assert Observation.objects.count() == 3
    report = Report.objects.get()
    assert str(report.client_uuid) == key and report.channel == "formular"
    point = Observation.objects.get(description="Tre")
    assert point.location_precision == "punkt" and point.area == orsa.area
    # A double submit (back button, slow network): still one report.
    client.post(url, {**three, "action": "send"})
    assert Report.objects.count() == 1
    follow = client.get(url).content.decode()
    assert "Tack! Rapporten med 3 händelser är skickad." in follow


def test_errors_are_shown_beside_their_fields(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    post = {
        "action": "send",
        **_incident_fields(0, orsa),
        **_incident_fields(1, orsa, description="", assessment=""),
    }
    response = client.post(reverse("report-create"), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rapporten är inte skickad. Rätta det som är markerat." in page
    assert (
        '<p class="field-error" id="description-1-error">Beskriv kort vad som hände och var.'
        in page
    )
    assert 'id="assessment-1-error">Välj en bedömning mellan 1 och 4.' in page
    assert 'id="description-0-error"' not in page
    assert not Observation.objects.exists()


def test_detail_review_merge_and_undo(orsa: Any, login: Any) -> None:
    a, b = file_report(orsa, "rapportor", incident(orsa), incident(orsa)).observations
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("observation-detail", args=[b.pk])
    page = client.get(url).content.decode()
    assert "Möjliga dubbletter" in page and f"markera som dubblett av {a.pk}" in page
    assert "Fler händelser i samma rapport" in page
    assert orsa.user("rapportor").get_full_name() in page  # coordinators see who reported
    client.post(url, {"action": "review"})
    b.refresh_from_db()
    assert b.reviewed_at is not None
    response = client.post(url, {"action": "merge", "into": str(a.pk)}, follow=True)
    assert f"dubblett av händelse {a.pk}" in response.content.decode()
    b.refresh_from_db()
    assert b.merged_into == a
    list_page = client.get(reverse("observation-list")).content.decode()
    assert f'href="{url}"' not in list_page
    response = client.post(url, {"action": "merge", "into": "999999"}, follow=True)
    assert "Det finns ingen händelse med det numret" in response.content.decode()
    response = client.post(url, {"action": "unmerge"}, follow=True)
    assert "Sammanslagningen är ångrad." in response.content.decode()
    history = response.content.decode()
    assert history.count("Ändrad") >= 3  # reviewed, merged, unmerged


def test_edit_page(orsa: Any, login: Any) -> None:
    obs = file_report(orsa, "rapportor", incident(orsa)).observations[0]
    client = login(orsa.user("rapportor"), orsa.partnership)
    url = reverse("observation-edit", args=[obs.pk])
    page = client.get(url).content.decode()
    assert "Nytt klotter på busskuren vid torget." in page
    response = client.post(url, _incident_fields(0, orsa, description="Ändrad text."))
    assert response.status_code == 302
    obs.refresh_from_db()
    assert obs.description == "Ändrad text."


def test_categories_page(orsa: Any, login: Any) -> None:
    file_report(orsa, "rapportor", incident(orsa))
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("category-list")
    client.post(url, {"action": "create", "name": "Fyrverkerier"})
    new = Category.objects.get(partnership=orsa.partnership, name="Fyrverkerier")
    client.post(url, {"action": "rename", "category": new.pk, "name": "Smällare"})
    client.post(url, {"action": "retire", "category": new.pk})
    new.refresh_from_db()
    assert new.name == "Smällare" and new.is_retired
    klotter = Category.objects.get(partnership=orsa.partnership, slug="klotter")
    response = client.post(url, {"action": "delete", "category": klotter.pk}, follow=True)
    assert "används av 1 händelse " in response.content.decode()
    client.post(url, {"action": "delete", "category": new.pk})
    assert not Category.objects.filter(pk=new.pk).exists()
    page = client.get(url).content.decode()
    assert "typer utan kategori" in page
    rapportor = login(orsa.user("rapportor"), orsa.partnership)
    assert rapportor.post(url, {"action": "create", "name": "X"}).status_code == 404
    assert "Byt namn" not in rapportor.get(url).content.decode()


def test_police_types_page_lists_unmapped_first_and_saves(orsa: Any, login: Any) -> None:
    from samtrygg.observations import services

    services.note_police_types(orsa.partnership, {"Drönarlarm"})
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    url = reverse("police-type-list")
    page = client.get(url).content.decode()
    assert page.index("Drönarlarm") < page.index("Skadegörelse</label>")
    row = PoliceTypeMapping.objects.get(partnership=orsa.partnership, police_type="Drönarlarm")
    other = Category.objects.get(partnership=orsa.partnership, slug="ovrigt")
    response = client.post(url, {f"mapping-{row.pk}": str(other.pk)}, follow=True)
    assert "1 ändrade" in response.content.decode()
    row.refresh_from_db()
    assert row.category == other and not row.needs_review


def test_time_bands_page(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("time-band-settings")
    post = {
        "label-0": "Dag",
        "start-0": "06:00",
        "end-0": "18:00",
        "label-1": "Natt",
        "start-1": "18:00",
        "end-1": "06:00",
    }
    assert client.post(url, post).status_code == 302
    page = client.get(reverse("report-create")).content.decode()
    assert "Dag <small>06–18</small>" in page and "Morgon" not in page
    response = client.post(url, {"label-0": "Dag", "start-0": "06:00", "end-0": "06:00"})
    assert "start och slut kan inte vara samma" in response.content.decode()


def test_a_reader_sees_the_time_bands_as_text(orsa: Any, login: Any) -> None:
    # Disabled inputs looked editable; a reader gets the bands and who changes them.
    client = login(orsa.user("rapportor"), orsa.partnership)
    page = client.get(reverse("time-band-settings")).content.decode()
    main = page.split("<main", 1)[1]
    assert "<input" not in main and "Spara tidsbanden" not in main
    assert "<td>Natt</td><td>22:00</td><td>06:00</td>" in main
    assert "Samordnaren, kommunpolisen och administratören ändrar tidsbanden." in main


def test_summary_suppresses_small_counts(orsa: Any, login: Any) -> None:
    file_report(orsa, "rapportor", *[incident(orsa) for _ in range(6)])
    file_report(orsa, "rapportor", incident(orsa, place=None, lat=61.2, lon=14.7))
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    page = client.get(reverse("observation-summary")).content.decode()
    assert f'<th scope="row">{orsa.area.name}</th>' in page
    assert "<td>7</td>" in page  # the whole kommun
    # Outside the delområden: one report, suppressed; so is the centre's 6 (secondary
    # suppression), else 7 − 6 would give the hidden count away.
    assert "<td>färre än 5</td>" in page and "<td>6</td>" not in page
    assert "klotter" not in page.lower().split("<main", 1)[1]


def test_rapportor_map_data_and_actor_scope(orsa: Any, login: Any) -> None:
    file_report(orsa, "rapportor", incident(orsa))
    client = login(orsa.user("rapportor"), orsa.partnership)
    data = client.get(reverse("observation-map-data")).json()
    assert data["total"] == 1 and data["features"][0]["properties"]["category"] == "Klotter"
    assert actor(orsa.user("rapportor"), orsa).organisation_id == orsa.other_organisation.pk
