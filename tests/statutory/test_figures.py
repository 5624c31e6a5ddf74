"""Every number of the draft is the engine's: the kartläggning's EST figures equal the
lägesbild page's picture of the same year, and a problem's figures equal that picture with the
problem's categories as the page's category filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period
from samtrygg.situation.compute import Filters
from samtrygg.situation.pictures import compute_snapshot
from samtrygg.statutory import document, services
from tests.situation.data import add_observations
from tests.statutory.conftest import make_problem

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


def _year_of_reports(orsa: Any) -> None:
    tz = dt.timezone(dt.timedelta(hours=1))
    start = dt.datetime(YEAR, 1, 6, 21, tzinfo=tz)
    add_observations(orsa, [start + dt.timedelta(days=7 * i) for i in range(40)], seed=4)
    add_observations(
        orsa,
        [start + dt.timedelta(days=9 * i, hours=2) for i in range(25)],
        category_slug="narkotika",
        seed=5,
    )
    add_observations(
        orsa,
        [dt.datetime(YEAR - 1, 3, 1, 20, tzinfo=tz) + dt.timedelta(days=30 * i) for i in range(8)],
        category_slug="narkotika",
        seed=6,
    )


def test_the_draft_holds_the_engines_numbers(orsa: Any, coordinator: Any, login: Any) -> None:
    from samtrygg.observations.models import Category

    _year_of_reports(orsa)
    drugs = Category.objects.get(partnership=orsa.partnership, slug="narkotika")
    problem = make_problem(coordinator, categories=[drugs.pk], areas=[orsa.area.pk])
    report = services.draft_report(coordinator, year=YEAR)
    doc = document.document(report)

    page = compute_snapshot(orsa.partnership, Period.year(YEAR))
    est = doc["kartlaggning"]["est"]
    assert est["totals"] == page["totals"]
    assert [(a["name"], a["count"], a["by_category"]) for a in est["areas"]] == [
        (a["name"], a["count"], a["by_category"]) for a in page["areas"]
    ]
    assert est["totals"]["all"] == 65

    filtered = compute_snapshot(
        orsa.partnership, Period.year(YEAR), Filters(categories=(drugs.pk,))
    )
    figures = doc["analys"]["problems"][0]["figures"]
    assert doc["analys"]["problems"][0]["id"] == problem.pk
    area = next(a for a in filtered["areas"] if a["name"] == orsa.area.name)
    assert figures["count"] == area["count"] == 25
    assert [h["observed"] for h in figures["hot_times"]] == [
        h["observed"] for h in filtered["hot_times"]["top"][:3]
    ]
    assert figures["previous_count"] == 8

    # the lägesbild page for the same year and filter shows the same count
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("situation-current"), {"period": str(YEAR)})
    assert response.status_code == 200
    assert f'data-area="{orsa.area.name}"' in response.content.decode()
