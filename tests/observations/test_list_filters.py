"""The list filters say what is wrong with a period: a från-datum after the till-datum is
refused (never an unexplained empty list) and the dates stay in the form; a week that does not
exist is called so (ISO years have 52 or 53 weeks), not a format error. The map points, the
exports and the API read the same filter and refuse the same way."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from samtrygg.core.weeks import iso_week
from samtrygg.observations import queries
from tests.observations.conftest import actor, file_report

pytestmark = pytest.mark.django_db

REVERSED = {"fran": "2026-12-10", "till": "2026-11-01"}
REVERSED_SV = "Från-datumet 2026-12-10 ligger efter till-datumet 2026-11-01."


@pytest.fixture(autouse=True)
def _swedish() -> Iterator[None]:
    """Swedish, whatever an earlier test's request left active in this thread."""
    with translation.override("sv"):
        yield


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- från after till -----------------------------------------------------------------------


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    flt = queries.filter_from(REVERSED)
    assert flt.period_error.startswith(REVERSED_SV)
    assert flt.problems == [flt.period_error]
    # The dates are kept (the form shows them again) and go on to the export links.
    assert (flt.since, flt.until) == (dt.date(2026, 12, 10), dt.date(2026, 11, 1))
    assert flt.as_params() == REVERSED
    # One day, and an open end, are fine.
    assert not queries.filter_from({"fran": "2026-11-01", "till": "2026-11-01"}).problems
    assert not queries.filter_from({"fran": "2026-12-10"}).problems
    with translation.override("en"):
        english = queries.filter_from(REVERSED).period_error
    assert english.startswith("The from date 2026-12-10 is after the to date 2026-11-01.")


def test_a_refused_period_lists_nothing(orsa: Any) -> None:
    obs = file_report(orsa, "rapportor").observations[0]
    samordnare = actor(orsa.user("samordnare"), orsa)
    day = obs.occurred_on.isoformat()
    assert list(queries.observations(samordnare, queries.filter_from({"till": day}))) == [obs]
    # Even with a week that holds the report: the dates typed contradict each other.
    flt = queries.filter_from({"vecka": iso_week(obs.occurred_on), **REVERSED})
    assert flt.period_error and not queries.observations(samordnare, flt).exists()


def test_the_list_page_explains_a_reversed_period_and_keeps_the_dates(
    orsa: Any, login: Any
) -> None:
    file_report(orsa, "rapportor")
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("observation-list"), REVERSED)
    assert response.status_code == 400
    page = _page(response)
    assert REVERSED_SV in page
    assert page.count(REVERSED_SV) == 1  # beside the dates, not again among the messages
    assert 'id="f_period_error" role="alert"' in page
    for name, value in REVERSED.items():
        assert (
            f'name="{name}" value="{value}" aria-invalid="true" '
            'aria-describedby="f_period_error"' in page
        )
    # No "0 händelser" and no map of nothing: the page says why nothing is shown.
    assert "0 händelser" not in page and "data-points=" not in page
    assert "Inga rapporter visas" in page
    assert "Rätta datumen ovan, eller töm dem, och filtrera igen." in page


def test_the_list_page_in_english(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = _page(client.get(reverse("observation-list"), REVERSED))
    assert "The from date 2026-12-10 is after the to date 2026-11-01." in page
    assert "No reports shown" in page and "Correct the dates above" in page


def test_map_points_export_and_api_refuse_a_reversed_period(orsa: Any, login: Any) -> None:
    file_report(orsa, "rapportor")
    client = login(orsa.user("samordnare"), orsa.partnership)
    points = client.get(reverse("observation-map-data"), REVERSED)
    assert points.status_code == 400
    assert points.json()["detail"].startswith(REVERSED_SV)
    assert points.json()["field"] == "fran"
    export = client.get(reverse("observation-export"), {**REVERSED, "format": "csv"}, follow=True)
    assert export.redirect_chain and REVERSED_SV in _page(export)
    api = client.get("/api/v1/partnerships/2034/observations", REVERSED)
    assert api.status_code == 400 and api.json()["detail"].startswith(REVERSED_SV)


# --- weeks that do not exist ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-W99", "Vecka 99 finns inte år 2026: det året har veckorna 1–53."),
        ("2025-W53", "Vecka 53 finns inte år 2025: det året har veckorna 1–52."),
        ("2025-W00", "Vecka 0 finns inte år 2025: det året har veckorna 1–52."),
        ("2026W54", "Vecka 54 finns inte år 2026: det året har veckorna 1–53."),
        ("förra veckan", "Veckan ska skrivas som 2025-W47."),
        ("2025-47", "Veckan ska skrivas som 2025-W47."),
        ("0000-W01", "Veckan ska skrivas som 2025-W47."),
        ("9999-W52", "Veckan ska skrivas som 2025-W47."),  # its Sunday is past year 9999
    ],
)
def test_a_week_that_does_not_exist_is_called_so(week: str, message: str) -> None:
    flt = queries.filter_from({"vecka": week})
    assert flt.problems == [message]
    assert flt.week == "" and flt.period == (None, None)  # the filter is left out, as before


def test_weeks_that_exist_are_taken() -> None:
    assert queries.week_problem("2026-W53") is None
    assert queries.week_problem("2020-W53") is None
    assert queries.parse_week("2026-W53") == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    assert [queries.weeks_in(y) for y in (2020, 2021, 2025, 2026, 2027)] == [53, 52, 52, 53, 52]
    assert not queries.filter_from({"vecka": "2026-W01"}).problems


def test_the_list_page_says_the_week_does_not_exist(orsa: Any, login: Any) -> None:
    file_report(orsa, "rapportor")
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("observation-list"), {"vecka": "2026-W99"})
    # refused, like reversed dates: a list of everything would pass for the week's
    assert response.status_code == 400
    page = _page(response)
    assert "Vecka 99 finns inte år 2026: det året har veckorna 1–53." in page
    assert "Veckan ska skrivas som" not in page
    assert "Inga rapporter visas" in page and "1 händelse" not in page
    with translation.override("en"):
        assert queries.week_problem("2026-W99") == (
            "Week 99 does not exist in 2026: that year has weeks 1–53."
        )
    api = client.get("/api/v1/partnerships/2034/observations", {"vecka": "2026-W99"})
    assert api.status_code == 400 and "Vecka 99 finns inte år 2026" in api.json()["detail"]
