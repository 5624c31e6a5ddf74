"""Residents API: tips, claims and fact answers.

Public, without login, under /partnerships/{code}/public/…: the categories residents may tip
about, sending a tip (the same privacy screen and throttle as the form), and the published
fact answers. For the samordnare and the kommunpolis: the queue of tips and what to do with
each, claims with their data check, answers and their approval.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.core.public import public_partnership
from samtrygg.residents import guard, queries, services
from samtrygg.residents.models import Claim, Tip, TipChannel

router = Router(tags=["invånare"])


class PublicCategoryOut(Schema):
    code: str
    name: str
    description: str
    group: str
    open311: bool


class TipIn(Schema):
    category: str
    place_kind: str = ""
    place: str = ""
    lat: float | None = None
    lon: float | None = None
    description: str
    contact_email: str = ""
    seen_on: dt.date | None = None


class TipReceived(Schema):
    id: int
    detail: str


class TipOut(Schema):
    id: int
    category: str
    created_at: dt.datetime
    seen_on: dt.date | None
    place_kind: str
    place_id: int | None
    area_id: int | None
    lat: float
    lon: float
    description: str
    has_contact: bool
    channel: str
    status: str
    is_stale: bool
    outcome: str
    forwarded_to: str
    observation_id: int | None

    @staticmethod
    def resolve_category(tip: Tip) -> str:
        return tip.category.slug

    @staticmethod
    def resolve_has_contact(tip: Tip) -> bool:
        return bool(tip.contact_email)

    @staticmethod
    def resolve_is_stale(tip: Tip) -> bool:
        return queries.is_stale(tip)


class ConvertIn(Schema):
    category: str
    occurred_on: dt.date
    time_band: str
    assessment: int = 2
    description: str


class ForwardIn(Schema):
    note: str = ""


class CloseIn(Schema):
    reason: str


class ClaimIn(Schema):
    channel: str
    seen_on: dt.date
    area_id: int | None = None
    period: str
    category_ids: list[int]
    wording: str


class AnswerIn(Schema):
    verdict: str
    text: str
    sources: str


class AnswerOut(Schema):
    id: int
    version: int
    verdict: str
    text: str
    sources: str
    uses_police_data: bool
    written_at: dt.datetime
    approved_at: dt.datetime | None


class ClaimOut(Schema):
    id: int
    channel: str
    seen_on: dt.date
    area_id: int | None
    period: str
    category_ids: list[int]
    wording: str
    data_check: dict[str, Any]
    published_at: dt.datetime | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_category_ids(claim: Claim) -> list[int]:
        return [c.pk for c in claim.categories.all()]


class PublishedOut(Schema):
    id: int
    wording: str
    seen_on: dt.date
    published_at: dt.datetime
    days_to_publication: int
    verdict: str
    answer: str
    sources: str
    version: int
    data_check: dict[str, Any]


def _published_out(claim: Claim) -> dict[str, Any]:
    answer = queries.published_answer(claim)
    assert answer is not None and claim.published_at is not None
    published = claim.published_at
    return {
        "id": claim.pk,
        "wording": claim.wording,
        "seen_on": claim.seen_on,
        "published_at": published,
        "days_to_publication": max((published.date() - claim.seen_on).days, 0),
        "verdict": answer.verdict,
        "answer": answer.text,
        "sources": answer.sources,
        "version": answer.version,
        "data_check": answer.data_check,
    }


# --- Public, without login ---------------------------------------------------------------------


@router.get(
    "/partnerships/{code}/public/categories",
    response=list[PublicCategoryOut],
    auth=None,
    summary="Kategorier för invånartips (publikt)",
)
def public_categories(request: HttpRequest, code: str) -> Any:
    return queries.public_services(public_partnership(code))


@router.post(
    "/partnerships/{code}/public/tips",
    response={201: TipReceived},
    auth=None,
    summary="Skicka ett tips om en plats (publikt, utan inloggning)",
)
def send_tip(request: HttpRequest, code: str, payload: TipIn) -> Any:
    partnership = public_partnership(code)
    try:
        guard.throttle(request)
    except guard.Refused as refused:
        # The project's error shape ({"detail": …}, documented as every operation's 429).
        response = JsonResponse({"detail": refused.message}, status=refused.status)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    tip = services.submit_tip(
        partnership, services.TipInput.of(payload.dict()), channel=TipChannel.API
    )
    return Status(201, {"id": tip.pk, "detail": _("Tack! Tipset har kommit in.")})


@router.get(
    "/partnerships/{code}/public/facts",
    response=list[PublishedOut],
    auth=None,
    summary="Publicerade faktasvar (publikt)",
)
@paginate(Pages)
def public_facts(request: HttpRequest, code: str) -> Any:
    return [_published_out(c) for c in queries.published_claims(public_partnership(code))]


@router.get(
    "/partnerships/{code}/public/facts/{pk}",
    response=PublishedOut,
    auth=None,
    summary="Ett publicerat faktasvar (publikt)",
)
def public_fact(request: HttpRequest, code: str, pk: int) -> Any:
    return _published_out(queries.published_claim(public_partnership(code), pk))


# --- The queue ---------------------------------------------------------------------------------


@router.get("/partnerships/{code}/tips", response=list[TipOut], summary="Invånartips")
@paginate(Pages)
def list_tips(request: HttpRequest, code: str, status: str = "") -> Any:
    return queries.tips(actor_in(request, code), status)


@router.get("/partnerships/{code}/tips/{pk}", response=TipOut)
def get_tip(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.tip(actor_in(request, code), pk)


@router.post("/partnerships/{code}/tips/{pk}/convert", response=TipOut)
def convert_tip(request: HttpRequest, code: str, pk: int, payload: ConvertIn) -> Any:
    actor = actor_in(request, code)
    return services.convert_tip(actor, queries.tip(actor, pk), **payload.dict())


@router.post("/partnerships/{code}/tips/{pk}/forward", response=TipOut)
def forward_tip(request: HttpRequest, code: str, pk: int, payload: ForwardIn) -> Any:
    actor = actor_in(request, code)
    return services.forward_tip(actor, queries.tip(actor, pk), note=payload.note)


@router.post("/partnerships/{code}/tips/{pk}/close", response=TipOut)
def close_tip(request: HttpRequest, code: str, pk: int, payload: CloseIn) -> Any:
    actor = actor_in(request, code)
    return services.close_tip(actor, queries.tip(actor, pk), reason=payload.reason)


# --- Claims and answers ----------------------------------------------------------------------


@router.get("/partnerships/{code}/claims", response=list[ClaimOut], summary="Påståenden")
@paginate(Pages)
def list_claims(request: HttpRequest, code: str) -> Any:
    return queries.claims(actor_in(request, code))


@router.post("/partnerships/{code}/claims", response={201: ClaimOut})
def record_claim(request: HttpRequest, code: str, payload: ClaimIn) -> Any:
    actor = actor_in(request, code)
    claim = services.record_claim(
        actor,
        services.ClaimInput(
            channel=payload.channel,
            seen_on=payload.seen_on,
            area=payload.area_id,
            period=payload.period,
            categories=list(payload.category_ids),
            wording=payload.wording,
        ),
    )
    return Status(201, queries.claim(actor, claim.pk))


@router.get("/partnerships/{code}/claims/{pk}", response=ClaimOut)
def get_claim(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.claim(actor_in(request, code), pk)


@router.post("/partnerships/{code}/claims/{pk}/answers", response={201: AnswerOut})
def write_answer(request: HttpRequest, code: str, pk: int, payload: AnswerIn) -> Any:
    actor = actor_in(request, code)
    answer = services.write_answer(actor, queries.claim(actor, pk), **payload.dict())
    return Status(201, answer)


@router.post("/partnerships/{code}/answers/{pk}/approve", response=AnswerOut)
def approve_answer(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    return services.approve_answer(actor, queries.answer(actor, pk))
