"""A bad period never gives a 500: the live map's GeoJSON answers 400 with a Swedish JSON
error, the pages say so; a period that has not begun says so. A refused assessment comes
back in the textarea, and is neither stored nor logged."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period
from samtrygg.situation import services
from samtrygg.situation.models import SituationPicture
from tests.stored import database_contains

pytestmark = pytest.mark.django_db

BAD = ["abc", "2025-W99", "2025-13", "2025-W53", "2025-00", "0000", "9999", "9999-W52"]
PNR = "19811218-9876"  # Luhn-valid personnummer


@pytest.mark.parametrize("period", BAD)
def test_the_live_map_answers_a_bad_period_with_a_json_error(
    orsa: Any, login: Any, period: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("situation-points"), {"period": period})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["field"] == "period"
    assert body["detail"].startswith("Okänd period. Skriv t.ex. 2025-W47")


@pytest.mark.parametrize("period", BAD)
def test_the_live_page_says_a_period_is_unknown_and_shows_this_week(
    orsa: Any, login: Any, period: str
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("situation-current"), {"period": period})
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    assert "Okänd period. Skriv t.ex. 2025-W47" in response.content.decode()


@pytest.mark.parametrize("period", ["abc", "2025-W99", "0000"])
def test_a_draft_of_a_bad_period_is_refused(orsa: Any, login: Any, period: str) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("situation-list"), {"period": period})
    assert response.status_code == 400
    assert "Okänd period. Skriv t.ex. 2025-W47" in response.content.decode()
    assert not SituationPicture.objects.exists()


def test_good_periods_still_work(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    for period in ("2025-W47", "2025-11", "2025-T3", "2025", ""):
        response = client.get(reverse("situation-points"), {"period": period})
        assert response.status_code == 200 and response.json()["type"] == "FeatureCollection"
        page = client.get(reverse("situation-current"), {"period": period}).content.decode()
        assert "Okänd period" not in page and 'id="future-period"' not in page


def test_a_period_that_has_not_begun_says_so(orsa: Any, actor_of: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-current"), {"period": "2030"}).content.decode()
    assert 'id="future-period"' in page and "Perioden har inte börjat än" in page
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    draft = services.draft(actor, Period.year(2030))
    page = client.get(reverse("situation-detail", args=[draft.pk])).content.decode()
    assert "Perioden har inte börjat än" in page


def test_a_refused_assessment_stays_in_the_textarea_and_nothing_is_saved(
    orsa: Any, actor_of: Any, login: Any, caplog: Any
) -> None:
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    draft = services.draft(actor, Period.week(2025, 20))
    services.set_assessment(actor, draft, "Lugnt.")
    row = draft.levels.get()
    client = login(orsa.user("samordnare"), orsa.partnership)
    typed = f"Oroligt vid torget, anmälaren har personnummer {PNR}."
    other = (row.suggested_level + 1) % 4  # a changed level with its reason: shown, not saved
    post = {
        "action": "levels",
        "assessment": typed,
        f"level-{row.pk}": str(other),
        f"trend-{row.pk}": str(row.trend),
        f"reason-{row.pk}": "Polisens bedömning",
    }
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("situation-detail", args=[draft.pk]), post)
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f">{typed}</textarea>" in page
    assert '<p class="field-error" id="id_assessment-error">' in page and "personnummer" in page
    assert "Ingenting är sparat. Rätta det som är markerat." in page
    draft.refresh_from_db()
    assert draft.assessment == "Lugnt."
    assert database_contains(PNR) == [] and database_contains(PNR[2:]) == []
    assert PNR not in caplog.text and PNR[2:] not in caplog.text
    assert 'value="Polisens bedömning"' in page
    assert f'<option value="{other}" selected>' in page
    saved = draft.levels.get(pk=row.pk)
    assert saved.level == row.level and saved.reason == row.reason
    # The next visit shows what is saved.
    page = client.get(reverse("situation-detail", args=[draft.pk])).content.decode()
    assert ">Lugnt.</textarea>" in page and PNR not in page
