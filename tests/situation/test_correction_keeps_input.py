"""Correcting an adopted lägesbild: a refused "skäl till rättelse" (empty, too long, or with
personal data) comes back with status 400, the typed text in the field and the Swedish reason
beside it. No new version is made, and the refused text is never stored or logged."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from samtrygg.analysis.picture import Period
from samtrygg.core.models import AuditEntry
from samtrygg.core.privacy import screen
from samtrygg.situation import services
from samtrygg.situation.models import PictureStatus, SituationPicture
from tests.situation.data import busy_weeks
from tests.stored import database_contains

pytestmark = pytest.mark.django_db
YEAR, WEEK = 2025, 20
PNR = "19811218-9876"  # a personnummer with a valid check digit
PHONE = "070-123 45 67"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def adopted(orsa: Any, actor_of: Any) -> SituationPicture:
    busy_weeks(orsa, YEAR, WEEK)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    picture = services.draft(actor, Period.week(YEAR, WEEK))
    services.set_assessment(actor, picture, "Oroligt vid torget, lugnt i övrigt.")
    picture = services.adopt(actor, picture)
    assert picture.status == PictureStatus.ADOPTED
    return picture


def test_the_test_data_is_refused_by_the_privacy_screen() -> None:
    assert [f.kind for f in screen(PNR)] == ["personnummer"]
    assert [f.kind for f in screen(PHONE)] == ["phone"]


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Ange skälet till rättelsen."),
        ("   ", "Ange skälet till rättelsen."),
        (
            f"Fem rapporter om {PNR} kom in sent.",
            "Texten kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person",
        ),
        (f"Polisen ringde från {PHONE} med fler händelser.", "telefonnummer"),
        ("x" * 2001, "Texten får vara högst 2000 tecken."),
    ],
)
def test_a_refused_correction_reason_keeps_the_typed_text(
    orsa: Any, adopted: Any, login: Any, caplog: Any, reason: str, message: str
) -> None:
    caplog.set_level(logging.DEBUG)
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("situation-detail", args=[adopted.pk])
    audit_before = AuditEntry.objects.count()
    response = client.post(url, {"action": "correct", "reason": reason})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Ingenting är sparat. Rätta det som är markerat." in page
    form = page.split('id="correction-form"')[1].split("</form>")[0]
    assert f'name="reason" required maxlength="2000" value="{escape(reason)}"' in form
    assert 'aria-invalid="true" aria-describedby="id_reason-error"' in form
    error = form.split('<p class="field-error" id="id_reason-error">')[1].split("</p>")[0]
    assert message in error
    assert list(SituationPicture.objects.all()) == [adopted]
    adopted.refresh_from_db()
    assert adopted.status == PictureStatus.ADOPTED
    assert AuditEntry.objects.count() == audit_before
    assert database_contains(PNR) == [] and database_contains(PHONE) == []
    assert PNR not in caplog.text and PHONE not in caplog.text
    # The next visit shows an empty field again: the refused text was never kept.
    page = client.get(url).content.decode()
    assert 'name="reason" required maxlength="2000" value=""' in page
    assert "id_reason-error" not in page


def test_a_good_correction_reason_still_makes_a_new_version(
    orsa: Any, adopted: Any, login: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("situation-detail", args=[adopted.pk]),
        {"action": "correct", "reason": "Fem rapporter kom in sent."},
    )
    correction = SituationPicture.objects.get(supersedes=adopted)
    assert response.status_code == 302
    assert response["Location"] == reverse("situation-detail", args=[correction.pk])
    assert correction.correction_reason == "Fem rapporter kom in sent."
