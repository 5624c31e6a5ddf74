"""Test data for lägesbilder: observations written in bulk (fast), in known weeks and places."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def week_monday(year: int, week: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisocalendar(year, week, 1), dt.time(12), STOCKHOLM)


def add_observations(
    tenant: Any,
    when: list[dt.datetime],
    *,
    organisation: Any = None,
    category_slug: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    source: str = "egen_iakttagelse",
    seed: int = 1,
) -> list[Any]:
    """One observation per moment in ``when`` near the tenant's place (or at lat/lon)."""
    from samtrygg.core import geo
    from samtrygg.observations.models import Category, Observation, Report
    from samtrygg.observations.services import ensure_defaults

    partnership = tenant.partnership
    ensure_defaults(partnership)
    categories = list(Category.objects.filter(partnership=partnership).order_by("sort_order"))
    category = (
        next(c for c in categories if c.slug == category_slug) if category_slug else categories[0]
    )
    org = organisation or tenant.organisation
    report = Report.objects.create(partnership=partnership, organisation=org, channel="import")
    rng = random.Random(seed)
    rows = []
    for moment in when:
        la = lat if lat is not None else tenant.place.lat + rng.uniform(-0.0015, 0.0015)
        lo = lon if lon is not None else tenant.place.lon + rng.uniform(-0.003, 0.003)
        located = geo.locate_point(partnership, la, lo)
        utc = moment.astimezone(dt.UTC)
        rows.append(
            Observation(
                report=report,
                partnership=partnership,
                organisation=org,
                category=category,
                occurred_on=moment.astimezone(STOCKHOLM).date(),
                time_exact=True,
                occurred_at=utc,
                occurred_start=utc,
                occurred_end=utc,
                lat=la,
                lon=lo,
                area_id=located.area_id,
                h3_cell=located.h3_cell,
                location_precision="punkt",
                description="Klotter på väggen",
                assessment=2,
                source=source,
            )
        )
    return Observation.objects.bulk_create(rows)


def busy_weeks(tenant: Any, year: int, week: int) -> None:
    """A quiet baseline for ten weeks, then a burst in ``week`` at the tenant's place."""
    moments = []
    for back in range(1, 11):
        monday = week_monday(year, week) - dt.timedelta(weeks=back)
        moments += [monday + dt.timedelta(hours=h) for h in (1, 30)]
    add_observations(tenant, moments, seed=2)
    burst = [week_monday(year, week) + dt.timedelta(hours=3 * i) for i in range(14)]
    add_observations(tenant, burst, lat=tenant.place.lat, lon=tenant.place.lon, seed=3)


def adopted_picture(tenant: Any, actor_of: Any, year: int, week: int, assessment: str) -> Any:
    """A week picture of busy weeks, drafted, assessed and adopted by the coordinator."""
    from samtrygg.analysis.picture import Period
    from samtrygg.situation import services

    busy_weeks(tenant, year, week)
    actor = actor_of(tenant.user("samordnare"), tenant.partnership)
    picture = services.draft(actor, Period.week(year, week))
    services.set_assessment(actor, picture, assessment)
    return services.adopt(actor, picture)


def export_document(client: Any, picture: Any, fmt: str, capture: Any) -> Any:
    """Press "Skapa PDF/XLSX" with the job run at once; the document it made."""
    from django.urls import reverse

    from samtrygg.situation.models import GeneratedDocument

    with capture(execute=True):
        response = client.post(reverse("situation-export", args=[picture.pk, fmt]))
    assert response.status_code == 302
    return GeneratedDocument.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
