"""A report with only a time band enters the hot times spread over the band's hours, and the
lägesbild says how many reports had only a band."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period
from samtrygg.situation import compute
from samtrygg.situation.pictures import compute_snapshot
from tests.situation.data import STOCKHOLM, add_observations

pytestmark = pytest.mark.django_db


def test_band_reports_are_spread_and_counted(orsa: Any, login: Any) -> None:
    from samtrygg.observations.models import Observation

    start = dt.datetime(2025, 11, 22, 17, tzinfo=STOCKHOLM)
    band = add_observations(orsa, [start + dt.timedelta(hours=2, minutes=30)] * 10)
    Observation.objects.filter(pk__in=[o.pk for o in band]).update(
        time_exact=False, occurred_start=start, occurred_end=start + dt.timedelta(hours=5)
    )
    add_observations(orsa, [dt.datetime(2025, 11, 22, 2, 10, tzinfo=STOCKHOLM)], seed=4)

    period = Period.week(2025, 47)
    loaded = compute.load(orsa.partnership, period, compute.Filters())
    assert sorted(loaded.bands.tolist()) == [0] + [5 * 3600] * 10
    data = compute_snapshot(orsa.partnership, period)
    saturday = 5 * 24
    total = data["hot_times"]["total"]
    assert total[saturday + 19] == 2  # 10 reports × one fifth, not 10 at the midpoint
    assert sum(total[saturday + 17 : saturday + 22]) == 10
    assert data["hot_times"]["band_only"] == 10

    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-current") + "?period=2025-W47").content.decode()
    assert "10 händelser hade bara ett tidsband" in page
