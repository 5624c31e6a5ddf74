"""Pages of external facts: the police events of the partnership's kommun (list and map), one
event, Brå's crime statistics per 100 000 inhabitants, and the status of every source."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.core.errors import DomainError
from samtrygg.core.pagekit import feature, feature_collection, kommun_features, point
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import paginate, report_error, success, with_actor
from samtrygg.sources import queries, services

MAP_LABEL = gettext_lazy("Händelser i kommunen (placerade på kommunnivå, inte på platsen)")


def _filters(request: HttpRequest, *, report: bool = True) -> queries.EventFilter:
    try:
        return queries.EventFilter.from_params(request.GET)
    except DomainError as exc:
        if report:
            report_error(request, exc)
        return queries.EventFilter()


def _query(filters: queries.EventFilter) -> str:
    """The filters as the page's query string (Swedish names), for the page's other links."""
    fields = {"typ": "type", "kategori": "category", "fran": "date_from", "till": "date_to"}
    pairs = {key: getattr(filters, name) for key, name in fields.items()}
    pairs["sammanfattningar"] = "1" if filters.include_summaries else ""
    return urlencode({key: str(value) for key, value in pairs.items() if value})


@with_actor()
def police_event_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    filters = _filters(request)
    categories = queries.type_categories(actor)
    municipality = actor.partnership.municipality
    events = queries.with_categories(
        queries.police_events(actor, filters, categories=categories), categories
    )
    counts = queries.police_event_counts(actor, filters, categories=categories)
    in_kommun = paginate(request, events.filter(municipality_id=municipality.code))
    in_lan = paginate(request, events.filter(municipality__isnull=True), 25, param="sida_lan")
    types = queries.police_event_types(actor)
    category_names = sorted({c for c in categories.values() if c})
    return render(
        request,
        "sources/police_event_list.html",
        {
            "filters": filters,
            "in_kommun": in_kommun,
            "in_lan": in_lan,
            "counts": counts,
            "types": types,
            "categories": category_names,
            "unmapped": queries.UNMAPPED,
            "municipality": municipality,
            "county": municipality.county,
            "query": _query(filters),
            "map_label": MAP_LABEL,
        },
    )


@lru_cache(maxsize=512)
def _centroid(code: str, boundary_json: str) -> tuple[float, float] | None:
    """A point inside the kommun for its label: the centroid, or a point surely inside."""
    import json

    from shapely.geometry import shape

    try:
        geometry = shape(json.loads(boundary_json))
    except (ValueError, TypeError, AttributeError):
        return None
    point = geometry.centroid
    if not geometry.contains(point):
        point = geometry.representative_point()
    return point.y, point.x


@with_actor()
def police_event_map(request: HttpRequest, actor: Actor) -> JsonResponse:
    """GeoJSON for the map: the kommun boundary and one label at its centre with the count
    of events in the filter. Events are never drawn at a point of their own."""
    import json

    filters = _filters(request, report=False)  # the page itself reports a bad filter
    counts = queries.police_event_counts(actor, filters)
    municipality = actor.partnership.municipality
    features = kommun_features(municipality)
    if municipality.boundary:
        centre = _centroid(municipality.code, json.dumps(municipality.boundary, sort_keys=True))
        if centre is not None:
            properties = {
                "kind": "kommun-count",
                "name": municipality.name,
                "count": counts.kommun,
                "label": str(MAP_LABEL),
                "precision": "kommun",
            }
            features.append(feature(point(centre[1], centre[0]), properties))
    return feature_collection(
        features, properties={"lan_count": counts.lan, "source": _("Källa: Polisen")}
    )


@with_actor()
def police_event_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    event = queries.police_event(actor, pk)
    versions = queries.police_event_versions(event)
    category = queries.type_categories(actor).get(event.type)
    return render(
        request,
        "sources/police_event_detail.html",
        {
            "event": event,
            "versions": versions,
            "category": category,
            "in_own_kommun": event.municipality_id == actor.partnership.municipality.code,
        },
    )


@with_actor()
def crime_statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    municipality = actor.partnership.municipality
    return render(
        request,
        "sources/crime_statistics.html",
        {
            "rates": queries.crime_rates(actor),
            "municipality": municipality,
            "county": municipality.county,
        },
    )


@with_actor()
def source_status(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_fetch = actor.has(services.FETCH_ROLES)
    if request.method == "POST":
        if not can_fetch:
            raise Http404
        try:
            services.request_police_fetch(actor)
            success(
                request,
                _("Hämtningen är begärd. Den körs så snart polisens regler tillåter ett anrop."),
            )
        except DomainError as exc:
            report_error(request, exc)
        return redirect("source-status")
    return render(
        request,
        "sources/source_status.html",
        {"status": queries.source_status(actor), "can_fetch": can_fetch},
    )
