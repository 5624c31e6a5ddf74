"""Pages above the partnership: a län for its länssamordnare, a lokalpolisområde for the
members of its partnerships. They show aggregates, metadata and adopted documents only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.errors import NotFound
from samtrygg.county import exports, maps, queries
from samtrygg.county.forms import MapForm, SortForm
from samtrygg.county.scope import Scope, county_scope, lpo_scope, scopes_of

# The matrix's sortable columns: the query-string key and how a row sorts under it.
SORT_KEYS: dict[str, Callable[[queries.ComplianceRow], Any]] = {
    "kommun": lambda r: r.kommun,
    "lagesbild": lambda r: r.statutory_lagesbild_adopted or dt.date.min,
    "atgardsplan": lambda r: r.action_plan_decided or dt.date.min,
    "samordning": lambda r: -1 if r.coordination_function is None else int(r.coordination_function),
    "overenskommelse": lambda r: r.agreement_valid_to or dt.date.min,
    "lofte": lambda r: r.promise_valid_to or dt.date.min,
    "uppfoljning": lambda r: r.last_follow_up_published or dt.date.min,
    "est": lambda r: -1 if r.est_reports_last_4_weeks is None else int(r.est_reports_last_4_weeks),
    "forsenat": lambda r: len(r.overdue),
}


def _scoped(find: Callable[[Any, Any], Scope]) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Resolve the scope first (404 when the user does not read it, whatever the method),
    then accept only GET: these pages read."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, key: Any, *args: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                scope = find(request.user, key)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            return view(request, scope, *args)

        return wrapper

    return decorate


def home(request: HttpRequest) -> HttpResponse:
    """The län and lokalpolisområden the user reads."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scopes = scopes_of(request.user)
    return render(request, "county/home.html", {"scopes": scopes}, status=200 if scopes else 403)


def _sorted(request: HttpRequest, rows: list[queries.ComplianceRow]) -> tuple[list[Any], str, bool]:
    key, descending = SortForm(request.GET).order()
    by_name = sorted(rows, key=lambda r: r.kommun)
    # Kommuner outside Samtrygg ("ingen uppgift") stay last whichever way a column sorts.
    known = [r for r in by_name if r.in_samtrygg]
    unknown = [r for r in by_name if not r.in_samtrygg]
    if key == "kommun":
        return sorted(rows, key=SORT_KEYS[key], reverse=descending), key, descending
    known.sort(key=SORT_KEYS[key], reverse=descending)
    return known + unknown, key, descending


@_scoped(county_scope)
def county_compliance(request: HttpRequest, scope: Scope) -> HttpResponse:
    rows, key, descending = _sorted(request, queries.compliance(scope))
    return render(
        request,
        "county/compliance.html",
        {
            "scope": scope,
            "rows": rows,
            "sort": key,
            "descending": descending,
            "columns": _columns(),
            "summary": _summary(rows),
            "today": timezone.localdate(),
        },
    )


@_scoped(county_scope)
def county_compliance_xlsx(request: HttpRequest, scope: Scope) -> HttpResponse:
    today = timezone.localdate()
    content = exports.compliance_xlsx(scope, queries.compliance(scope, today=today), today)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"efterlevnad-lan-{scope.key}-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _comparisons(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    places = queries.kommuner(scope)
    crime = queries.crime_rates(scope)
    police = queries.police_rates(scope, places=places)
    choices = maps.measures(crime, police)
    wanted = MapForm(request.GET).key()
    chosen = next((c for c in choices if c.key == wanted), choices[0] if choices else None)
    crime_rows = [(place, [block.kommuner.get(place.code) for block in crime]) for place in places]
    return {
        "scope": scope,
        "kommuner": places,
        "crime": crime,
        "crime_rows": crime_rows,
        "police": police,
        "themes": queries.themes(scope, places=places),
        "measures": choices,
        "measure": chosen,
        "map_svg": maps.choropleth(scope, places, chosen) if chosen else "",
        "caveats": [k for k in places if k.small or k.tourist],
    }


@_scoped(county_scope)
def county_comparisons(request: HttpRequest, scope: Scope) -> HttpResponse:
    return render(request, "county/comparisons.html", _comparisons(request, scope))


@_scoped(lpo_scope)
def lpo_overview(request: HttpRequest, scope: Scope) -> HttpResponse:
    context = _comparisons(request, scope)
    rows = queries.compliance(scope)
    context |= {
        "levels": queries.adopted_levels(scope),
        "rows": rows,
        "columns": _columns(),
        "summary": _summary(rows),
    }
    return render(request, "county/lpo.html", context)


def _columns() -> list[tuple[str, str]]:
    return [
        ("kommun", _("Kommun")),
        ("lagesbild", _("Lägesbild antagen")),
        ("atgardsplan", _("Åtgärdsplan beslutad")),
        ("samordning", _("Samordnings­funktion")),
        ("overenskommelse", _("Överens­kommelse giltig till")),
        ("lofte", _("Medborgarlöfte giltigt till")),
        ("uppfoljning", _("Senaste uppföljning publicerad")),
        ("est", _("EST-rapporter senaste 4 veckorna")),
        ("forsenat", _("Försenat")),
    ]


def _summary(rows: list[queries.ComplianceRow]) -> dict[str, int]:
    return {
        "kommuner": len(rows),
        "in_samtrygg": sum(1 for r in rows if r.in_samtrygg),
        "lagesbild": sum(1 for r in rows if r.statutory_lagesbild_adopted),
        "action_plan": sum(1 for r in rows if r.action_plan_decided),
        "coordination": sum(1 for r in rows if r.coordination_function),
        "est": sum(1 for r in rows if r.est_reports_last_4_weeks),
        "overdue": sum(1 for r in rows if r.overdue),
    }
