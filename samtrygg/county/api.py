"""The county level's API: a län (/counties/{länskod}/…) for its länssamordnare and a
lokalpolisområde (/police-areas/{id}/…) for the members of its partnerships. Aggregates,
dates and adopted levels only; anyone else gets 404, as for another partnership. The län's
template (/counties/{länskod}/template) is its länssamordnare's; a partnership reads what it
adopted under /partnerships/{kommunkod}/county-template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from samtrygg.core.api import actor_in
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
    template_version: int | None


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

    @staticmethod
    def resolve_levels(entry: queries.PictureLevels) -> dict[str, int]:
        return dict(entry.levels)


@router.get(
    "/counties/{code}/compliance",
    response=list[ComplianceOut],
    summary="Länets efterlevnad av lag 2023:196, per kommun",
)
def county_compliance(request: HttpRequest, code: str) -> Any:
    return queries.compliance(county_scope(request.user, code))


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
    return queries.adopted_levels(lpo_scope(request.user, pk))


# --- The county template ------------------------------------------------------------------


class TemplateCategoryOut(Schema):
    code: str
    name: str
    group: str
    description: str


class ProblemFieldOut(Schema):
    required: bool
    guidance: str


class TemplateQuestionOut(Schema):
    code: str
    text: str
    answers: list[str]
    positive: list[int]


class TemplateVersionOut(Schema):
    number: int
    status: str
    published_at: dt.datetime | None
    note: str
    categories: list[TemplateCategoryOut]
    problem_fields: dict[str, ProblemFieldOut]
    survey_items: list[str]
    questions: list[TemplateQuestionOut]
    kommuner: list[str]


def _content(version: Any) -> dict[str, Any]:
    from samtrygg.statutory.extensions import SECTION_KEYS

    fields = version.problem_fields or {}
    return {
        "number": version.number,
        "status": version.status,
        "published_at": version.published_at,
        "note": version.note,
        "categories": [
            {"code": c.code, "name": c.name, "group": c.group, "description": c.description}
            for c in version.categories.all()
        ],
        "problem_fields": {
            key: {
                "required": bool((fields.get(key) or {}).get("required")),
                "guidance": str((fields.get(key) or {}).get("guidance") or ""),
            }
            for key in SECTION_KEYS
        },
        "survey_items": list(version.survey_items or []),
        "questions": [
            {"code": q.code, "text": q.text, "answers": q.answers, "positive": q.positive}
            for q in version.questions.all()
        ],
    }


@router.get(
    "/counties/{code}/template",
    response=list[TemplateVersionOut],
    summary="Länets mall: varje version med innehåll och kommunerna som använder den",
)
def county_template(request: HttpRequest, code: str) -> Any:
    scope = county_scope(request.user, code)
    current = queries.current_versions(scope)
    out = []
    for row in queries.template_versions(scope):
        version = queries.template_version(scope, row.version.number)
        out.append(
            _content(version)
            | {
                "kommuner": sorted(k for k, c in current.items() if c.number == version.number),
            }
        )
    return out


class MappingOut(Schema):
    category_id: int | None
    category_name: str
    template_code: str | None
    created: bool


class AdoptionOut(Schema):
    version: int
    adopted_at: dt.datetime
    decision: str
    current: bool
    mapping: list[MappingOut]
    question_codes: list[str]


@router.get(
    "/partnerships/{code}/county-template",
    response=list[AdoptionOut],
    summary="Samverkans antaganden av länets mall, det gällande först, med kopplingen av "
    "kategorierna",
)
def partnership_template(request: HttpRequest, code: str) -> Any:
    state = queries.adoption_state(actor_in(request, code))
    return [
        {
            "version": adoption.version.number,
            "adopted_at": adoption.adopted_at,
            "decision": adoption.decision,
            "current": index == 0,
            "mapping": [
                {
                    "category_id": m.category_id,
                    "category_name": m.category_name,
                    "template_code": m.template_category.code if m.template_category else None,
                    "created": m.created,
                }
                for m in adoption.mappings.all()
            ],
            "question_codes": sorted(q.code for q in adoption.own_questions.all()),
        }
        for index, adoption in enumerate(state.history)
    ]
