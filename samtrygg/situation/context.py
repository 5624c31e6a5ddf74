"""Context beside the picture: the police's events in the kommun in the period, and reported
crime (Brå) per 100 000 inhabitants for the kommun beside its län."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
from django.db.models import Max, Sum

from samtrygg.analysis.picture import Period
from samtrygg.analysis.rates import rates_per_100k
from samtrygg.core.models import Partnership, Population


def police_events(partnership: Partnership, period: Period, limit: int = 50) -> dict[str, Any]:
    from samtrygg.sources.models import PoliceEvent

    start = dt.datetime.fromtimestamp(period.start, tz=dt.UTC)
    end = dt.datetime.fromtimestamp(period.end, tz=dt.UTC)
    qs = PoliceEvent.objects.filter(
        municipality_id=partnership.municipality_id, published__gte=start, published__lt=end
    ).order_by("-published")
    by_type = Counter(qs.values_list("type", flat=True))
    return {
        "count": sum(by_type.values()),
        "by_type": [{"type": t, "count": n} for t, n in by_type.most_common()],
        "events": [
            {
                "id": e.pk,
                "type": e.type,
                "title": e.title,
                "published": e.published.isoformat(),
                "url": e.url,
                "precision": e.precision,
            }
            for e in qs[:limit]
        ],
    }


def crime_statistics(partnership: Partnership) -> dict[str, Any]:
    """The latest year's counts per category: the kommun's rate and the län's, per 100 000."""
    from samtrygg.sources.models import CrimeStatistic, CrimeUnit

    municipality = partnership.municipality
    own = CrimeStatistic.objects.filter(municipality=municipality, unit=CrimeUnit.COUNT)
    year = own.aggregate(y=Max("year"))["y"]
    if year is None:
        return {"year": None, "rows": []}
    county_codes = list(municipality.county.municipalities.values_list("code", flat=True))
    populations = dict(
        Population.objects.filter(municipality_id__in=county_codes, year=year).values_list(
            "municipality_id", "population"
        )
    )
    if not populations:
        latest = Population.objects.filter(municipality_id__in=county_codes).aggregate(
            y=Max("year")
        )["y"]
        populations = dict(
            Population.objects.filter(municipality_id__in=county_codes, year=latest).values_list(
                "municipality_id", "population"
            )
        )
    own_pop = populations.get(municipality.code)
    rows = []
    for stat in own.filter(year=year, value__isnull=False).order_by("category"):
        county = CrimeStatistic.objects.filter(
            municipality_id__in=list(populations),
            year=year,
            category=stat.category,
            unit=CrimeUnit.COUNT,
            value__isnull=False,
        )
        county_count = county.aggregate(s=Sum("value"))["s"] or 0
        county_pop = sum(populations[c] for c in county.values_list("municipality_id", flat=True))
        kommun_rate = (
            rates_per_100k(np.asarray([int(stat.value or 0)]), np.asarray([own_pop]))
            if own_pop
            else None
        )
        county_rate = (
            rates_per_100k(np.asarray([int(county_count)]), np.asarray([county_pop]))
            if county_pop
            else None
        )
        rows.append(
            {
                "category": stat.category,
                "count": int(stat.value or 0),
                "rate": round(float(kommun_rate.rate[0]), 1) if kommun_rate else None,
                "county_rate": round(float(county_rate.rate[0]), 1) if county_rate else None,
            }
        )
    return {"year": year, "county": municipality.county.name, "rows": rows}
