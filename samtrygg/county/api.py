"""The county level's API: a län (/counties/{länskod}/…) for its länssamordnare and a
lokalpolisområde (/police-areas/{id}/…) for the members of its partnerships. Aggregates,
dates and adopted levels only; anyone else gets 404, as for another partnership."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from samtrygg.county import queries
from samtrygg.county.scope import county_scope, lpo_scope

router = Router(tags=["län och lokalpolisområde"])


class ComplianceOut(Schema):
    kommunkod: str
    kommun: str
    in_samtrygg: bool
    statutory_lagesbild_adopted: dt.date | None
    action_plan_decided: dt.date | None
    action_plan_body: str
    coordination_function: bool | None
    plan_follow_up: dt.date | None
    next_review: dt.date | None
    agreement_valid_to: dt.date | None
    promise_valid_to: dt.date | None
    last_follow_up_published: dt.date | None
    est_reports_last_4_weeks: bool | None
    latest_adopted_picture: str
    overdue: list[str]


class CrimeRateOut(Schema):
    year: int
    category: str
    kommunkod: str
    kommun: str
    rate_per_100000: float | None
    count: int | None
    small_kommun: bool
    tourist_kommun: bool


class PoliceRateOut(Schema):
    kommunkod: str
    kommun: str
    year: int
    events: int
    per_100000: float | None
    complete_year: bool


class LevelsOut(Schema):
    kommunkod: str
    kommun: str
    in_samtrygg: bool
    period_label: str
    adopted_at: dt.date | None
    highest: str
    levels: dict[str, int]


def _compliance(rows: list[queries.ComplianceRow]) -> list[dict[str, Any]]:
    return [
        {
            "kommunkod": r.kommunkod,
            "kommun": r.kommun,
            "in_samtrygg": r.in_samtrygg,
            "statutory_lagesbild_adopted": r.statutory_lagesbild_adopted,
            "action_plan_decided": r.action_plan_decided,
            "action_plan_body": r.action_plan_body,
            "coordination_function": r.coordination_function,
            "plan_follow_up": r.plan_follow_up,
            "next_review": r.next_review,
            "agreement_valid_to": r.agreement_valid_to,
            "promise_valid_to": r.promise_valid_to,
            "last_follow_up_published": r.last_follow_up_published,
            "est_reports_last_4_weeks": r.est_reports_last_4_weeks,
            "latest_adopted_picture": r.latest_adopted_picture,
            "overdue": r.overdue,
        }
        for r in rows
    ]


@router.get(
    "/counties/{code}/compliance",
    response=list[ComplianceOut],
    summary="Länets efterlevnad av lag 2023:196, per kommun",
)
def county_compliance(request: HttpRequest, code: str) -> Any:
    return _compliance(queries.compliance(county_scope(request.user, code)))


@router.get(
    "/counties/{code}/crime-rates",
    response=list[CrimeRateOut],
    summary="Brås anmälda brott per 100 000 för länets kommuner",
)
def county_crime_rates(request: HttpRequest, code: str) -> Any:
    scope = county_scope(request.user, code)
    places = {k.code: k for k in queries.kommuner(scope)}
    return [
        {
            "year": block.year,
            "category": block.category,
            "kommunkod": kommunkod,
            "kommun": places[kommunkod].name,
            "rate_per_100000": rate.rate,
            "count": rate.count,
            "small_kommun": places[kommunkod].small,
            "tourist_kommun": places[kommunkod].tourist,
        }
        for block in queries.crime_rates(scope)
        for kommunkod, rate in sorted(block.kommuner.items())
        if kommunkod in places
    ]


@router.get(
    "/counties/{code}/police-rates",
    response=list[PoliceRateOut],
    summary="Polisens händelser per 100 000 för länets kommuner, per år",
)
def county_police_rates(request: HttpRequest, code: str) -> Any:
    rates = queries.police_rates(county_scope(request.user, code))
    return [
        {
            "kommunkod": row.kommunkod,
            "kommun": row.kommun,
            "year": year,
            "events": row.counts[year],
            "per_100000": row.rates[year],
            "complete_year": year in rates.complete_years,
        }
        for row in rates.rows
        for year in rates.years
    ]


@router.get(
    "/police-areas/{pk}/levels",
    response=list[LevelsOut],
    summary="Lokalpolisområdets kommuner med nivåerna i deras senast antagna lägesbild",
)
def police_area_levels(request: HttpRequest, pk: int) -> Any:
    return [
        {
            "kommunkod": entry.kommunkod,
            "kommun": entry.kommun,
            "in_samtrygg": entry.in_samtrygg,
            "period_label": entry.period_label,
            "adopted_at": entry.adopted_at,
            "highest": entry.highest,
            "levels": dict(entry.levels),
        }
        for entry in queries.adopted_levels(lpo_scope(request.user, pk))
    ]
