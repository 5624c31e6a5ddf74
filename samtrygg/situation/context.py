"""Context beside the picture: the police's events in the kommun in the period, and reported
crime (Brå) per 100 000 inhabitants for the kommun beside its län."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.core.models import Partnership


def _date(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def police_events(partnership: Partnership, period: Period, limit: int = 50) -> dict[str, Any]:
    from samtrygg.sources.models import PoliceEvent

    start = dt.datetime.fromtimestamp(period.start, tz=dt.UTC)
    end = dt.datetime.fromtimestamp(period.end, tz=dt.UTC)
    qs = PoliceEvent.objects.filter(
        municipality_id=partnership.municipality_id, published__gte=start, published__lt=end
    ).order_by("-published")
    by_type = Counter(qs.values_list("type", flat=True))
    # Where the loaded events begin and end, so that an empty period can say why.
    loaded = PoliceEvent.objects.filter(municipality_id=partnership.municipality_id).aggregate(
        first=Min("published"), last=Max("published")
    )
    return {
        "loaded_from": _date(loaded["first"]),
        "loaded_until": _date(loaded["last"]),
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
    """The latest year's figures per category: the kommun's rate per 100 000 beside the län's
    (Brå's published rate where there is one; see :func:`sources.queries.kommun_crime_rates`)."""
    from samtrygg.sources.queries import kommun_crime_rates

    rates = kommun_crime_rates(partnership.municipality)
    if not rates:
        return {"year": None, "rows": []}
    year = rates[0].year
    rows = [
        {
            "category": r.category,
            "count": r.count,
            "rate": round(r.rate, 1) if r.rate is not None else None,
            "county_rate": round(r.lan_rate, 1) if r.lan_rate is not None else None,
            "published": r.published_rate,
        }
        for r in rates
        if r.year == year and (r.count is not None or r.rate is not None)
    ]
    return {"year": year, "county": partnership.municipality.county.name, "rows": rows}
