"""Sources API: police events of the partnership's kommun and län, crime statistics with rates
per 100 000 inhabitants, and the status of every source.

Everything is read-only for every member; a samordnare may also ask for a fetch of the police
feed now (the job still keeps the police's rules of use). An event outside the partnership's
län answers 404, like a missing one.

No ``from __future__ import annotations`` here: django-ninja reads the query schema from the
evaluated signature.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.sources import queries, services

router = Router(tags=["källor"])

POINT_NOTE = "kommunens eller länets mittpunkt enligt polisen, inte platsen för händelsen"


class PoliceEventOut(Schema):
    id: int
    published: dt.datetime
    occurred: dt.datetime | None
    title: str
    summary: str
    type: str
    category: str | None
    is_summary: bool
    kommunkod: str | None
    kommun: str | None
    lan_kod: str
    lan: str
    precision: str
    location_name: str
    url: str
    lat: float | None
    lon: float | None
    point_note: str
    source: str


class PoliceEventVersionOut(Schema):
    seen_at: dt.datetime
    title: str
    type: str
    location_name: str
    url: str


class PoliceEventDetailOut(PoliceEventOut):
    earlier_versions: list[PoliceEventVersionOut]


class TypeCountOut(Schema):
    type: str
    category: str | None
    count: int


class EventCountsOut(Schema):
    kommunkod: str
    lan_kod: str
    kommun: int
    lan: int
    summaries: int
    summaries_included: bool
    by_type: list[TypeCountOut]
    source: str


class CrimeRateOut(Schema):
    year: int
    category: str
    published_rate: bool
    count: int | None
    rate_per_100000: float | None
    population: int | None
    population_year: int | None
    lan_count: int | None
    lan_rate_per_100000: float | None
    lan_population: int | None
    lan_population_years: list[int]
    lan_kommuner: int
    lan_total: int
    source: str


class RunOut(Schema):
    kind: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    ok: bool
    created: int
    updated: int
    unchanged: int
    skipped: int
    detail: str


class SourceStatusOut(Schema):
    police_kommun: int
    police_lan: int
    police_summaries: int
    police_national: int
    police_latest: dt.datetime | None
    last_import: RunOut | None
    last_fetch: RunOut | None
    fetch_enabled: bool
    calls_last_hour: int
    calls_last_day: int
    backoff_until: dt.datetime | None
    next_fetch: dt.datetime | None
    unmapped_types: list[TypeCountOut]
    bra_last_import: RunOut | None
    bra_years: list[int]
    bra_categories: list[str]
    population_years: list[int]


class FetchRequestOut(Schema):
    run_id: int
    detail: str


def _event_out(event: Any, category: str | None) -> dict[str, Any]:
    return {
        "id": event.pk,
        "published": event.published,
        "occurred": event.occurred,
        "title": event.title,
        "summary": event.summary,
        "type": event.type,
        "category": category,
        "is_summary": event.is_summary,
        "kommunkod": event.municipality_id,
        "kommun": event.municipality.name if event.municipality else None,
        "lan_kod": event.county_id,
        "lan": event.county.name,
        "precision": event.precision,
        "location_name": event.location_name,
        "url": event.url,
        "lat": event.lat,
        "lon": event.lon,
        "point_note": POINT_NOTE,
        "source": "Polisen",
    }


class _EventPage(Pages):
    """Page through the events, then turn only the page's events into output."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_event_out(e, getattr(e, "category", None)) for e in page["items"]]
        return page


def _run_out(run: Any) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "kind": run.kind,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "ok": run.ok,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "skipped": run.skipped,
        "detail": run.detail[:4000],
    }


@router.get(
    "/partnerships/{code}/police-events",
    response=list[PoliceEventOut],
    summary="Polisens händelser i kommunen och länet",
    description=(
        "Händelser som polisen har placerat i samverkans kommun, och de som bara är placerade "
        "i länet (kommunkod tom, precision `lan`). Sammanfattningar ingår bara med "
        "`include_summaries=true`. `level=kommun` eller `level=lan` väljer det ena. Punkten är "
        "kommunens eller länets mittpunkt, aldrig platsen. Källa: Polisen."
    ),
)
@paginate(_EventPage)
def list_police_events(
    request: HttpRequest, code: str, filters: Query[queries.EventFilterParams]
) -> Any:
    actor = actor_in(request, code)
    categories = queries.type_categories(actor)
    qs = queries.police_events(actor, filters.parsed(), categories=categories)
    return queries.with_categories(qs, categories)


@router.get(
    "/partnerships/{code}/police-events/{pk}",
    response=PoliceEventDetailOut,
    summary="En polishändelse (inom samverkans län)",
)
def get_police_event(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    event = queries.police_event(actor, pk)
    out = _event_out(event, queries.type_categories(actor).get(event.type))
    out["earlier_versions"] = [
        {
            "seen_at": v.seen_at,
            "title": str(v.raw.get("name", "")),
            "type": str(v.raw.get("type", "")),
            "location_name": str((v.raw.get("location") or {}).get("name", "")),
            "url": str(v.raw.get("url", "")),
        }
        for v in queries.police_event_versions(event)
    ]
    return out


@router.get(
    "/partnerships/{code}/police-event-counts",
    response=EventCountsOut,
    summary="Antal polishändelser i kommunen och i länet utan kommun, per typ",
)
def count_police_events(
    request: HttpRequest, code: str, filters: Query[queries.EventFilterParams]
) -> Any:
    actor = actor_in(request, code)
    categories = queries.type_categories(actor)
    wanted = filters.parsed()
    counts = queries.police_event_counts(actor, wanted, categories=categories)
    by_type = (
        queries.police_events(actor, wanted, categories=categories).order_by().values_list("type")
    )
    from django.db.models import Count

    rows = by_type.annotate(n=Count("id")).order_by("type")
    municipality = actor.partnership.municipality
    return {
        "kommunkod": municipality.code,
        "lan_kod": municipality.county_id,
        "kommun": counts.kommun,
        "lan": counts.lan,
        "summaries": counts.summaries,
        "summaries_included": wanted.include_summaries,
        "by_type": [{"type": t, "category": categories.get(t), "count": n} for t, n in rows],
        "source": "Polisen",
    }


@router.get(
    "/partnerships/{code}/crime-statistics",
    response=list[CrimeRateOut],
    summary="Anmälda brott per 100 000 invånare i kommunen och länet",
    description=(
        "Takten räknas fram ur antalet och SCB:s folkmängd för samma år eller närmaste år "
        "(`population_year`). Källa: Brå; folkmängd: SCB."
    ),
)
def list_crime_statistics(request: HttpRequest, code: str) -> Any:
    return [
        {
            "year": r.year,
            "category": r.category,
            "published_rate": r.published_rate,
            "count": r.count,
            "rate_per_100000": r.rate,
            "population": r.population,
            "population_year": r.population_year,
            "lan_count": r.lan_count,
            "lan_rate_per_100000": r.lan_rate,
            "lan_population": r.lan_population,
            "lan_population_years": list(r.lan_population_years),
            "lan_kommuner": r.lan_kommuner,
            "lan_total": r.lan_total,
            "source": "Brå",
        }
        for r in queries.crime_rates(actor_in(request, code))
    ]


@router.get(
    "/partnerships/{code}/sources",
    response=SourceStatusOut,
    summary="Status för externa källor",
)
def get_source_status(request: HttpRequest, code: str) -> Any:
    status = queries.source_status(actor_in(request, code))
    return {
        "police_kommun": status.police_kommun,
        "police_lan": status.police_lan,
        "police_summaries": status.police_summaries,
        "police_national": status.police_national,
        "police_latest": status.police_latest,
        "last_import": _run_out(status.last_import),
        "last_fetch": _run_out(status.last_fetch),
        "fetch_enabled": status.fetch_enabled and status.fetch_https,
        "calls_last_hour": status.calls_last_hour,
        "calls_last_day": status.calls_last_day,
        "backoff_until": status.backoff_until,
        "next_fetch": status.next_fetch,
        "unmapped_types": [
            {"type": t, "category": None, "count": n} for t, n in status.unmapped_types
        ],
        "bra_last_import": _run_out(status.bra_last_import),
        "bra_years": status.bra_years,
        "bra_categories": status.bra_categories,
        "population_years": [year for year, _n in status.population_years],
    }


@router.post(
    "/partnerships/{code}/sources/police-events/fetch",
    response={202: FetchRequestOut},
    summary="Begär en hämtning av polisens händelser nu (samordnare)",
)
def request_fetch(request: HttpRequest, code: str) -> Any:
    run = services.request_police_fetch(actor_in(request, code))
    return Status(
        202,
        {
            "run_id": run.pk,
            "detail": _("Hämtningen är begärd och körs så snart polisens regler tillåter."),
        },
    )
