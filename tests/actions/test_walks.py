"""Safety walks: the route, findings with photos stripped of metadata, findings → actions,
and the feedback report (page and PDF)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from samtrygg.actions import photos, services
from samtrygg.core.errors import DomainError
from tests.actions.conftest import jpeg_with_exif

pytestmark = pytest.mark.django_db

ROUTE = {
    "type": "LineString",
    "coordinates": [[14.6140, 61.1195], [14.6160, 61.1205], [14.6185, 61.1210]],
}


def _walk(actor: Any, orsa: Any, **extra: Any) -> Any:
    fields = {
        "title": "Kvällsvandring i centrum",
        "planned_for": "2025-11-20T19:00",
        "light": "morker",
        "route": ROUTE,
        "invited": [orsa.organisation.pk, orsa.other_organisation.pk],
        "residents": 12,
        "area": orsa.area.pk,
    }
    fields.update(extra)
    return services.create_walk(actor, **fields)


def test_plan_a_walk_with_a_route(orsa: Any, coordinator: Any) -> None:
    walk = _walk(coordinator, orsa)
    assert walk.route["type"] == "LineString"
    assert {o.pk for o in walk.invited.all()} == {orsa.organisation.pk, orsa.other_organisation.pk}
    assert walk.residents == 12


def test_a_time_with_any_offset_is_kept_as_the_same_moment(orsa: Any, coordinator: Any) -> None:
    # -20:28 is valid ISO 8601 but beyond what PostgreSQL stores as a displacement.
    walk = _walk(coordinator, orsa, planned_for="2025-11-20T19:00-20:28")
    walk.refresh_from_db()
    assert walk.planned_for == dt.datetime(2025, 11, 21, 15, 28, tzinfo=dt.UTC)


def test_a_walk_in_a_year_long_gone_is_refused(orsa: Any, coordinator: Any) -> None:
    with pytest.raises(DomainError) as err:
        _walk(coordinator, orsa, planned_for="0204-01-07T21:42:38-20:28")
    assert err.value.field == "planned_for" and "2000" in err.value.message


def test_a_route_far_outside_the_kommun_is_refused(orsa: Any, coordinator: Any) -> None:
    far = {"type": "LineString", "coordinates": [[14.61, 61.12], [13.54, 57.30]]}
    with pytest.raises(DomainError) as err:
        _walk(coordinator, orsa, route=far)
    assert err.value.field == "route" and "utanför" in err.value.message
    with pytest.raises(DomainError):
        _walk(coordinator, orsa, route={"type": "Point", "coordinates": [14.61, 61.12]})


def test_photo_is_stored_without_any_metadata(orsa: Any, coordinator: Any) -> None:
    raw = jpeg_with_exif()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif()  # the fixture really carries EXIF
    walk = _walk(coordinator, orsa)
    finding = services.add_finding(
        coordinator,
        walk,
        type="belysning",
        lat=61.1203,
        lon=14.6150,
        description="Trasig gatlykta vid gången",
        proposal="Byt armatur",
        responsible=orsa.organisation.pk,
        photo=raw,
    )
    assert finding.area == orsa.area and finding.h3_cell
    stored = photos.open_photo(finding.photo)
    assert b"Exif" not in stored and b"KameraTillverkare" not in stored
    assert b"hemlig kommentar" not in stored
    with Image.open(io.BytesIO(stored)) as clean:
        assert not clean.getexif()
        assert "exif" not in clean.info and "comment" not in clean.info
        assert clean.size == (64, 48)


def test_a_file_that_is_not_an_image_is_refused(orsa: Any, coordinator: Any) -> None:
    walk = _walk(coordinator, orsa)
    with pytest.raises(DomainError) as err:
        services.add_finding(
            coordinator, walk, type="klotter", lat=61.12, lon=14.616, photo=b"%PDF-1.4 nope"
        )
    assert err.value.field == "photo"
    assert not walk.findings.exists()


def test_finding_becomes_an_action_once(orsa: Any, coordinator: Any) -> None:
    walk = _walk(coordinator, orsa)
    finding = services.add_finding(
        coordinator,
        walk,
        type="sikt",
        lat=61.1203,
        lon=14.6150,
        proposal="Beskär buskaget",
        responsible=orsa.other_organisation.pk,
    )
    end = dt.date.today() + dt.timedelta(days=14)
    item = services.finding_to_action(coordinator, finding, end_date=end)
    assert item.owner == orsa.other_organisation and item.area == orsa.area
    assert item.title.startswith("Skymd sikt")
    finding.refresh_from_db()
    assert finding.action == item
    with pytest.raises(DomainError):
        services.finding_to_action(coordinator, finding, end_date=end)


def test_feedback_page_and_pdf(orsa: Any, coordinator: Any, login: Any) -> None:
    from pypdf import PdfReader

    walk = _walk(coordinator, orsa)
    finding = services.add_finding(
        coordinator,
        walk,
        type="belysning",
        lat=61.1203,
        lon=14.6150,
        proposal="Byt armatur vid gångvägen",
        responsible=orsa.organisation.pk,
        photo=jpeg_with_exif(),
    )
    services.finding_to_action(
        coordinator, finding, end_date=dt.date.today() + dt.timedelta(days=10)
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("walk-feedback", args=[walk.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Byt armatur vid gångvägen" in body and "<svg" in body
    response = client.get(reverse("walk-feedback-pdf", args=[walk.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Byt armatur vid gångvägen" in text
    assert "Kvällsvandring i centrum" in text
    photo = client.get(reverse("finding-photo", args=[finding.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_a_reporter_sees_only_walks_their_organisation_was_invited_to(
    orsa: Any, coordinator: Any, actor_of: Any
) -> None:
    from samtrygg.actions import queries

    invited = _walk(coordinator, orsa)
    _walk(coordinator, orsa, title="Bara kommunen", invited=[orsa.organisation.pk])
    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    assert list(queries.walks(reporter)) == [invited]
