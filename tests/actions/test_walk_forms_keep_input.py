"""A refused safety-walk form (plan a walk, a finding with its photo, a finding made into an
action, the walk's edit form with the summary for the feedback report) comes back with status
400, what was typed and the Swedish reason beside the field. Nothing is saved, and a text the
privacy screen refused is only echoed back in that one, uncached response."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from samtrygg.actions import services
from samtrygg.actions.models import Action, SafetyWalk, WalkFinding
from samtrygg.core.models import AuditEntry
from samtrygg.core.privacy import screen
from tests.actions.conftest import jpeg_with_exif
from tests.stored import database_contains

pytestmark = pytest.mark.django_db

PNR = "19811218-9876"  # a personnummer with a valid check digit
PHONE = "070-123 45 67"
NOTHING_SAVED = "Ingenting är sparat. Rätta det som är markerat."
PHOTO_AGAIN = "Fotot sparades inte. En webbläsare kan inte fylla i en fil åt dig, så välj"
ROUTE = {
    "type": "LineString",
    "coordinates": [[14.6140, 61.1195], [14.6160, 61.1205], [14.6185, 61.1210]],
}
FAR_ROUTE = {"type": "LineString", "coordinates": [[14.61, 61.12], [13.54, 57.30]]}
TODAY = dt.date.today()


def test_the_test_data_is_refused_by_the_privacy_screen() -> None:
    assert [f.kind for f in screen(f"Kontakt {PNR}")] == ["personnummer"]
    assert [f.kind for f in screen(f"Ring {PHONE}")] == ["phone"]


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _field_error(page: str, id_: str, message: str) -> bool:
    """The page shows ``message`` in the error paragraph of field ``id_``."""
    start = f'<p class="field-error" id="{id_}-error">'
    return start in page and message in page.split(start, 1)[1].split("</p>", 1)[0]


def _refused(response: Any) -> str:
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert NOTHING_SAVED in page
    return page


def _walk(orsa: Any, coordinator: Any, **extra: Any) -> SafetyWalk:
    fields = {
        "title": "Kvällsvandring i centrum",
        "planned_for": "2025-11-20T19:00",
        "light": "morker",
        "route": ROUTE,
        "invited": [orsa.organisation.pk],
        "residents": 12,
        "area": orsa.area.pk,
        "summary": "",
    }
    fields.update(extra)
    summary = fields.pop("summary")
    walk = services.create_walk(coordinator, **fields)
    if summary:
        walk.summary = summary
        walk.save()
    return walk


# --- Plan a walk -------------------------------------------------------------------------


def _new_walk(orsa: Any, **overrides: str) -> dict[str, Any]:
    return {
        "title": "Vårvandring vid Älvbron",
        "planned_for": "2026-04-20T20:30",
        "light": "dagsljus",
        "route": json.dumps(ROUTE),
        "area": str(orsa.area.pk),
        "residents": "14",
        "invited": [str(orsa.other_organisation.pk)],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Rubrik måste fyllas i."),
        (
            {"title": f"Vandring med {PNR}"},
            "title",
            "Texten kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person",
        ),
        ({"planned_for": "2026-02-30T20:30"}, "planned_for", "Ange dag och tid för vandringen"),
        ({"planned_for": ""}, "planned_for", "Ange dag och tid för vandringen"),
        ({"residents": "fjorton"}, "residents", "Antal boende ska vara ett heltal."),
        ({"route": json.dumps(FAR_ROUTE)}, "route", "utanför"),
    ],
)
def test_a_refused_new_walk_comes_back_with_what_was_typed(
    orsa: Any, login: Any, caplog: Any, overrides: dict[str, str], field: str, message: str
) -> None:
    caplog.set_level(logging.DEBUG)
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _new_walk(orsa, **overrides)
    page = _refused(client.post(reverse("walk-list"), typed))
    assert _field_error(page, f"id_{field}", message), page
    if field != "route":
        assert f'aria-invalid="true" aria-describedby="id_{field}-error"' in page
    assert f'name="title" required maxlength="200" value="{escape(typed["title"])}"' in page
    assert f'name="planned_for" required value="{typed["planned_for"]}"' in page
    assert f'name="residents" inputmode="numeric" value="{typed["residents"]}"' in page
    assert f'name="route" value="{escape(typed["route"])}"' in page
    assert '<option value="dagsljus" selected>' in page
    assert f'<option value="{orsa.area.pk}" selected>' in page
    assert f'name="invited" value="{orsa.other_organisation.pk}" checked>' in page
    assert f'name="invited" value="{orsa.organisation.pk}" >' in page
    assert not SafetyWalk.objects.exists()
    assert not AuditEntry.objects.filter(model="actions.SafetyWalk").exists()
    assert database_contains(PNR) == [] and PNR not in caplog.text


def test_a_good_new_walk_is_still_saved(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("walk-list"), _new_walk(orsa))
    walk = SafetyWalk.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "walk-detail", args=[walk.pk]
    )
    assert walk.residents == 14 and walk.light == "dagsljus" and walk.route
    assert list(walk.invited.all()) == [orsa.other_organisation]


# --- A finding, with its photo -------------------------------------------------------------


def _finding(orsa: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "action": "finding",
        "type": "sikt",
        "lat": "61.1203",
        "lon": "14.6150",
        "description": "Buskaget skymmer gångvägen mot skolan.",
        "proposal": "Beskär buskaget längs gångvägen.",
        "responsible": str(orsa.other_organisation.pk),
        **overrides,
    }


def _photo(data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile("plats.jpg", data or jpeg_with_exif(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("overrides", "error_id", "message"),
    [
        (
            {"description": f"Ägaren har personnummer {PNR}."},
            "id_description",
            "Texten kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person",
        ),
        ({"proposal": f"Ring fastighetsskötaren på {PHONE}."}, "id_proposal", "telefonnummer"),
        ({"lat": "norr om torget"}, "id_lat", "Välj en punkt på kartan."),
        ({"lat": "57.30", "lon": "13.54"}, "id_lat", "km utanför"),
        ({"photo": _photo(b"%PDF-1.4 inte en bild")}, "id_photo", "kunde inte läsas som en bild"),
    ],
)
def test_a_refused_finding_keeps_its_text_and_asks_for_the_photo_again(
    orsa: Any,
    coordinator: Any,
    login: Any,
    caplog: Any,
    overrides: dict[str, Any],
    error_id: str,
    message: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    walk = _walk(orsa, coordinator)
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = {"photo": _photo(), **_finding(orsa, **overrides)}
    page = _refused(client.post(reverse("walk-detail", args=[walk.pk]), typed))
    assert _field_error(page, error_id, message), page
    assert f'aria-invalid="true" aria-describedby="{error_id}-error' in page
    assert '<option value="sikt" selected>' in page
    assert f'name="lat" inputmode="decimal" required value="{escape(typed["lat"])}"' in page
    assert f'name="lon" inputmode="decimal" required value="{typed["lon"]}"' in page
    assert f">{escape(typed['description'])}</textarea>" in page
    assert f">{escape(typed['proposal'])}</textarea>" in page
    assert f'<option value="{orsa.other_organisation.pk}" selected>' in page
    # A file input cannot be refilled: the user is told to choose the photo again.
    assert f'<p class="field-error" id="id_photo-again">{PHOTO_AGAIN}' in page
    assert "id_photo-again" in page.split('id="id_photo"')[1].split(">")[0]
    assert not WalkFinding.objects.exists() and _stored_files() == []
    assert not AuditEntry.objects.filter(model="actions.WalkFinding").exists()
    assert database_contains(PNR) == [] and database_contains(PHONE) == []
    assert PNR not in caplog.text and PHONE not in caplog.text


def test_a_refused_finding_without_a_photo_does_not_mention_one(
    orsa: Any, coordinator: Any, login: Any
) -> None:
    walk = _walk(orsa, coordinator)
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _finding(orsa, description=f"Ring {PHONE}")
    page = _refused(client.post(reverse("walk-detail", args=[walk.pk]), typed))
    assert f">Ring {PHONE}</textarea>" in page
    assert "id_photo-again" not in page and PHOTO_AGAIN not in page


def test_a_good_finding_with_a_photo_is_still_saved(
    orsa: Any, coordinator: Any, login: Any
) -> None:
    walk = _walk(orsa, coordinator)
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = {"photo": _photo(), **_finding(orsa)}
    response = client.post(reverse("walk-detail", args=[walk.pk]), typed)
    assert response.status_code == 302
    finding = WalkFinding.objects.get()
    assert finding.photo and finding.proposal == typed["proposal"]
    assert len(_stored_files()) == 1
    # The next visit shows an empty form again.
    page = client.get(response["Location"]).content.decode()
    assert "Fyndet sparades." in page and "</textarea>" in page
    assert '<textarea id="id_description" name="description" rows="2"></textarea>' in page


# --- A finding made into an action -------------------------------------------------------


@pytest.mark.parametrize(
    ("end_date", "message"),
    [
        ((TODAY - dt.timedelta(days=3)).isoformat(), "Slutdatum kan inte ligga före startdatum."),
        ("2026-02-30", "Slutdatum ska vara ett datum (ÅÅÅÅ-MM-DD)."),
        ("", "Slutdatum ska vara ett datum (ÅÅÅÅ-MM-DD)."),
    ],
)
def test_a_refused_finding_to_action_keeps_the_date_and_owner(
    orsa: Any, coordinator: Any, login: Any, end_date: str, message: str
) -> None:
    walk = _walk(orsa, coordinator)
    finding = services.add_finding(
        coordinator,
        walk,
        type="belysning",
        lat=61.1203,
        lon=14.6150,
        proposal="Byt armatur",
        responsible=orsa.organisation.pk,
    )
    other = services.add_finding(coordinator, walk, type="klotter", lat=61.1203, lon=14.6150)
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("walk-detail", args=[walk.pk]),
        {
            "action": "to-action",
            "finding": str(finding.pk),
            "end_date": end_date,
            "owner": str(orsa.other_organisation.pk),
        },
    )
    page = _refused(response)
    form = page.split(f'id="to-action-{finding.pk}"')[1].split("</form>")[0]
    assert _field_error(form, f"end-{finding.pk}", message), form
    assert f'name="end_date" required value="{end_date}" aria-invalid="true"' in form
    assert f'<option value="{orsa.other_organisation.pk}" selected>' in form
    assert f'<option value="{orsa.organisation.pk}" >' in form
    # The other finding's form is as it was.
    other_form = page.split(f'id="to-action-{other.pk}"')[1].split("</form>")[0]
    assert 'name="end_date" required>' in other_form and "field-error" not in other_form
    assert not Action.objects.exists()
    finding.refresh_from_db()
    assert finding.action is None


def test_a_good_finding_to_action_is_still_saved(orsa: Any, coordinator: Any, login: Any) -> None:
    walk = _walk(orsa, coordinator)
    finding = services.add_finding(
        coordinator, walk, type="sikt", lat=61.1203, lon=14.6150, proposal="Beskär buskaget"
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    end = (TODAY + dt.timedelta(days=14)).isoformat()
    response = client.post(
        reverse("walk-detail", args=[walk.pk]),
        {
            "action": "to-action",
            "finding": str(finding.pk),
            "end_date": end,
            "owner": str(orsa.other_organisation.pk),
        },
    )
    assert response.status_code == 302
    item = Action.objects.get()
    assert item.owner == orsa.other_organisation and item.end_date.isoformat() == end


# --- Edit the walk: status and the summary for the feedback report -----------------------


def _edit(orsa: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "action": "update",
        "title": "Kvällsvandring i centrum och vid Älvbron",
        "planned_for": "2025-11-21T19:30",
        "light": "dagsljus",
        "status": "genomford",
        "area": "",
        "residents": "15",
        "invited": [str(orsa.other_organisation.pk)],
        "summary": "Belysningen vid gångtunneln var det största problemet.",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"summary": f"Tack till alla! Frågor till samordnaren på {PHONE}."},
            "summary",
            "telefonnummer",
        ),
        (
            {"summary": f"Boende med personnummer {PNR} deltog."},
            "summary",
            "personnummer",
        ),
        ({"title": ""}, "title", "Rubrik måste fyllas i."),
        ({"planned_for": "2025-11-31T19:30"}, "planned_for", "Ange dag och tid för vandringen"),
        ({"residents": "-3"}, "residents", "Antal boende ska vara mellan 0 och 10 000."),
    ],
)
def test_a_refused_walk_edit_keeps_what_was_typed(
    orsa: Any,
    coordinator: Any,
    login: Any,
    caplog: Any,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    walk = _walk(orsa, coordinator, summary="Som förut.")
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = _edit(orsa, **overrides)
    page = _refused(client.post(reverse("walk-detail", args=[walk.pk]), typed))
    assert '<details class="card" open>' in page
    assert _field_error(page, f"u_{field}", message), page
    assert f'aria-invalid="true" aria-describedby="u_{field}-error"' in page
    assert f'id="u_title" name="title" maxlength="200" value="{escape(typed["title"])}"' in page
    assert f'name="planned_for" value="{typed["planned_for"]}"' in page
    assert f'name="residents" inputmode="numeric" value="{typed["residents"]}"' in page
    assert f">{escape(typed['summary'])}</textarea>" in page
    assert '<option value="dagsljus" selected>' in page
    assert '<option value="genomford" selected>' in page
    assert f'name="invited" value="{orsa.other_organisation.pk}" checked>' in page
    assert f'name="invited" value="{orsa.organisation.pk}" >' in page
    walk.refresh_from_db()
    assert walk.title == "Kvällsvandring i centrum" and walk.summary == "Som förut."
    assert walk.status == "planerad" and walk.residents == 12 and walk.light == "morker"
    assert [o.pk for o in walk.invited.all()] == [orsa.organisation.pk]
    assert not AuditEntry.objects.filter(model="actions.SafetyWalk", action="update").exists()
    assert database_contains(PNR) == [] and database_contains(PHONE) == []
    assert PNR not in caplog.text and PHONE not in caplog.text
    # The next visit shows what is saved.
    page = client.get(reverse("walk-detail", args=[walk.pk])).content.decode()
    assert ">Som förut.</textarea>" in page and '<details class="card">' in page


def test_a_good_walk_edit_is_still_saved(orsa: Any, coordinator: Any, login: Any) -> None:
    walk = _walk(orsa, coordinator)
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("walk-detail", args=[walk.pk]), _edit(orsa))
    assert response.status_code == 302
    walk.refresh_from_db()
    assert walk.status == "genomford" and walk.residents == 15 and walk.route == ROUTE
    assert walk.summary.startswith("Belysningen")
    assert [o.pk for o in walk.invited.all()] == [orsa.other_organisation.pk]
