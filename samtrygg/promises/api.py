"""Agreements, citizen promises and follow-ups in the API, under /partnerships/{kommunkod}/…;
and the public page's JSON twin at /public/{kommunkod}/promise (no login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.core.public import public_partnership
from samtrygg.promises import links, published, queries, services
from samtrygg.promises.models import Commitment, Responsible
from samtrygg.promises.state import is_signed, signed_on, status_of
from samtrygg.statutory.forms import DecisionForm

router = Router(tags=["medborgarlöften"])


class SignatureOut(Schema):
    id: int
    party: str
    name: str
    title: str
    signed_on: dt.date


class ItemIn(Schema):
    text: str
    responsible: str = Responsible.GEMENSAMT
    organisation_id: int | None = None
    commitment: str = Commitment.ANTAL
    condition: str = ""
    target: int | None = None
    unit: str = ""
    rule_types: list[str] = []
    rule_area_ids: list[int] = []
    rule_from: dt.date | None = None
    rule_to: dt.date | None = None
    focus_area_id: int | None = None
    plan_item_id: int | None = None
    problem_id: int | None = None


class ItemOut(Schema):
    id: int
    number: int
    text: str
    focus_area_id: int | None
    responsible: str
    organisation_id: int | None
    commitment: str
    condition: str
    target: int | None
    unit: str
    rule_types: list[str]
    rule_area_ids: list[int]
    rule_from: dt.date | None
    rule_to: dt.date | None
    plan_item_id: int | None
    problem_id: int | None

    @staticmethod
    def resolve_rule_area_ids(item: Any) -> list[int]:
        return sorted(a.pk for a in item.rule_areas.all())


class FocusAreaIn(Schema):
    title: str
    description: str = ""


class FocusAreaOut(Schema):
    id: int
    number: int
    title: str
    description: str


class PromiseIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    intro: str = ""
    basis_tags: list[str] = []
    basis_text: str = ""
    other_parties: str = ""
    agreement_id: int | None = None


class PromiseOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    intro: str
    basis_tags: list[str]
    basis_text: str
    other_parties: str
    agreement_id: int | None
    version: int
    supersedes_id: int | None
    change_reason: str
    status: str
    signed: bool
    signed_on: dt.date | None
    signatures: list[SignatureOut]
    focus_areas: list[FocusAreaOut]
    items: list[ItemOut]


class AgreementIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    goals: str = ""
    follow_up_method: str = ""
    other_parties: str = ""
    problem_ids: list[int] = []


class AgreementOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    goals: str
    follow_up_method: str
    other_parties: str
    problem_ids: list[int]
    version: int
    supersedes_id: int | None
    change_reason: str
    status: str
    signed: bool
    signed_on: dt.date | None
    signatures: list[SignatureOut]


class SignIn(Schema):
    party: str
    name: str
    title: str
    signed_on: dt.date


class ReasonIn(Schema):
    reason: str


class FollowUpIn(Schema):
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class AssessmentIn(Schema):
    assessment: str
    comment: str = ""


class FollowUpEntryOut(Schema):
    id: int
    item_id: int
    assessment: str
    comment: str


class FollowUpOut(Schema):
    id: int
    promise_id: int
    period_start: dt.date
    period_end: dt.date
    summary: str
    adopted: bool
    entries: list[FollowUpEntryOut]
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_adopted(follow_up: Any) -> bool:
        return bool(follow_up.is_adopted)


class DecisionIn(Schema):
    body_id: int
    date: dt.date
    reference: str
    outcome: str
    note: str = ""


class DecisionOut(Schema):
    id: int
    body: str
    date: dt.date
    reference: str
    outcome: str
    note: str

    @staticmethod
    def resolve_body(decision: Any) -> str:
        return str(decision.body.name)


def _common(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "starts_on": document.starts_on,
        "ends_on": document.ends_on,
        "other_parties": document.other_parties,
        "version": document.version,
        "supersedes_id": document.supersedes_id,
        "change_reason": document.change_reason,
        "status": status_of(document),
        "signed": is_signed(document),
        "signed_on": signed_on(document),
        "signatures": document.signatures.all(),
    }


def _promise_out(document: Any) -> dict[str, Any]:
    document = queries.refreshed(document)
    return {
        **_common(document),
        "intro": document.intro,
        "basis_tags": document.basis_tags,
        "basis_text": document.basis_text,
        "agreement_id": document.agreement_id,
        "focus_areas": queries.focus_areas_of(document),
        "items": queries.items_of(document),
    }


def _agreement_out(document: Any) -> dict[str, Any]:
    document = queries.refreshed(document)
    return {
        **_common(document),
        "goals": document.goals,
        "follow_up_method": document.follow_up_method,
        "problem_ids": sorted(p.pk for p in document.problems.all()),
    }


def _promise_spec(payload: PromiseIn) -> services.PromiseSpec:
    return services.PromiseSpec(
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        intro=payload.intro,
        basis_tags=payload.basis_tags,
        basis_text=payload.basis_text,
        other_parties=payload.other_parties,
        agreement=payload.agreement_id,
    )


def _item_spec(payload: ItemIn) -> services.ItemSpec:
    return services.ItemSpec(
        text=payload.text,
        responsible=payload.responsible,
        organisation=payload.organisation_id,
        commitment=payload.commitment,
        condition=payload.condition,
        target=payload.target,
        unit=payload.unit,
        rule_types=payload.rule_types,
        rule_areas=payload.rule_area_ids,
        rule_from=payload.rule_from,
        rule_to=payload.rule_to,
        focus_area=payload.focus_area_id,
        plan_item=payload.plan_item_id,
        problem=payload.problem_id,
    )


def _agreement_spec(payload: AgreementIn) -> services.AgreementSpec:
    data = payload.dict()
    data["problems"] = data.pop("problem_ids")
    return services.AgreementSpec(**data)


# --- Promises ---------------------------------------------------------------------------------


@router.get("/partnerships/{code}/promises", response=list[PromiseOut], summary="Medborgarlöften")
@paginate(Pages)
def list_promises(request: HttpRequest, code: str) -> Any:
    return [_promise_out(p) for p in queries.promises(actor_in(request, code))]


@router.post("/partnerships/{code}/promises", response={201: PromiseOut})
def create_promise(request: HttpRequest, code: str, payload: PromiseIn) -> Any:
    created = services.create_promise(actor_in(request, code), _promise_spec(payload))
    return Status(201, _promise_out(created))


@router.get("/partnerships/{code}/promises/{pk}", response=PromiseOut)
def get_promise(request: HttpRequest, code: str, pk: int) -> Any:
    return _promise_out(queries.promise(actor_in(request, code), pk))


@router.put("/partnerships/{code}/promises/{pk}", response=PromiseOut)
def update_promise(request: HttpRequest, code: str, pk: int, payload: PromiseIn) -> Any:
    actor = actor_in(request, code)
    document = queries.promise(actor, pk)
    return _promise_out(services.update_promise(actor, document, _promise_spec(payload)))


@router.post("/partnerships/{code}/promises/{pk}/focus-areas", response={201: PromiseOut})
def add_focus_area(request: HttpRequest, code: str, pk: int, payload: FocusAreaIn) -> Any:
    actor = actor_in(request, code)
    document = queries.promise(actor, pk)
    services.add_focus_area(actor, document, title=payload.title, description=payload.description)
    return Status(201, _promise_out(document))


@router.post("/partnerships/{code}/promises/{pk}/items", response={201: ItemOut})
def add_item(request: HttpRequest, code: str, pk: int, payload: ItemIn) -> Any:
    actor = actor_in(request, code)
    created = services.add_item(actor, queries.promise(actor, pk), _item_spec(payload))
    return Status(201, created)


@router.put("/partnerships/{code}/promise-items/{pk}", response=ItemOut)
def update_item(request: HttpRequest, code: str, pk: int, payload: ItemIn) -> Any:
    actor = actor_in(request, code)
    return services.update_item(actor, queries.item(actor, pk), _item_spec(payload))


@router.delete("/partnerships/{code}/promise-items/{pk}", response={204: None})
def delete_item(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    services.delete_item(actor, queries.item(actor, pk))
    return Status(204, None)


@router.post("/partnerships/{code}/promises/{pk}/signatures", response={201: PromiseOut})
def sign_promise(request: HttpRequest, code: str, pk: int, payload: SignIn) -> Any:
    actor = actor_in(request, code)
    document = queries.promise(actor, pk)
    services.sign(actor, document, **payload.dict())
    return Status(201, _promise_out(document))


@router.post("/partnerships/{code}/promises/{pk}/versions", response={201: PromiseOut})
def new_promise_version(request: HttpRequest, code: str, pk: int, payload: ReasonIn) -> Any:
    actor = actor_in(request, code)
    copy = services.new_version(actor, queries.promise(actor, pk), reason=payload.reason)
    return Status(201, _promise_out(copy))


@router.post("/partnerships/{code}/promises/{pk}/renewal", response={201: PromiseOut})
def renew_promise(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    return Status(201, _promise_out(services.renew(actor, queries.promise(actor, pk))))


@router.post("/partnerships/{code}/promises/{pk}/follow-ups", response={201: FollowUpOut})
def start_follow_up(request: HttpRequest, code: str, pk: int, payload: FollowUpIn) -> Any:
    actor = actor_in(request, code)
    created = services.start_follow_up(
        actor,
        queries.promise(actor, pk),
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, created)


def _decide(actor: Any, document: Any, payload: DecisionIn) -> Any:
    data = payload.dict()
    data["body"] = data.pop("body_id")
    return Status(201, links.record_decision(actor, document, DecisionForm(data)))


@router.get(
    "/partnerships/{code}/promises/{pk}/decision-trail",
    response=list[DecisionOut],
    summary="Löftets beslutsgång",
)
def promise_decisions(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    return links.decisions_of(actor, queries.promise(actor, pk))


@router.post("/partnerships/{code}/promises/{pk}/decision-trail", response={201: DecisionOut})
def record_promise_decision(request: HttpRequest, code: str, pk: int, payload: DecisionIn) -> Any:
    actor = actor_in(request, code)
    return _decide(actor, queries.promise(actor, pk), payload)


# --- Follow-ups -------------------------------------------------------------------------------


@router.get("/partnerships/{code}/follow-ups/{pk}", response=FollowUpOut)
def get_follow_up(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.follow_up(actor_in(request, code), pk)


@router.put("/partnerships/{code}/follow-up-entries/{pk}", response=FollowUpEntryOut)
def assess_entry(request: HttpRequest, code: str, pk: int, payload: AssessmentIn) -> Any:
    actor = actor_in(request, code)
    return services.assess(
        actor,
        queries.follow_up_entry(actor, pk),
        assessment=payload.assessment,
        comment=payload.comment,
    )


@router.post("/partnerships/{code}/follow-ups/{pk}/adoption", response={201: FollowUpOut})
def adopt_follow_up(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    adopted = services.adopt_follow_up(actor, queries.follow_up(actor, pk))
    return Status(201, adopted)


# --- Agreements -------------------------------------------------------------------------------


@router.get(
    "/partnerships/{code}/agreements",
    response=list[AgreementOut],
    summary="Samverkansöverenskommelser",
)
@paginate(Pages)
def list_agreements(request: HttpRequest, code: str) -> Any:
    return [_agreement_out(a) for a in queries.agreements(actor_in(request, code))]


@router.post("/partnerships/{code}/agreements", response={201: AgreementOut})
def create_agreement(request: HttpRequest, code: str, payload: AgreementIn) -> Any:
    created = services.create_agreement(actor_in(request, code), _agreement_spec(payload))
    return Status(201, _agreement_out(created))


@router.get("/partnerships/{code}/agreements/{pk}", response=AgreementOut)
def get_agreement(request: HttpRequest, code: str, pk: int) -> Any:
    return _agreement_out(queries.agreement(actor_in(request, code), pk))


@router.put("/partnerships/{code}/agreements/{pk}", response=AgreementOut)
def update_agreement(request: HttpRequest, code: str, pk: int, payload: AgreementIn) -> Any:
    actor = actor_in(request, code)
    document = queries.agreement(actor, pk)
    return _agreement_out(services.update_agreement(actor, document, _agreement_spec(payload)))


@router.post("/partnerships/{code}/agreements/{pk}/signatures", response={201: AgreementOut})
def sign_agreement(request: HttpRequest, code: str, pk: int, payload: SignIn) -> Any:
    actor = actor_in(request, code)
    document = queries.agreement(actor, pk)
    services.sign(actor, document, **payload.dict())
    return Status(201, _agreement_out(document))


@router.post("/partnerships/{code}/agreements/{pk}/versions", response={201: AgreementOut})
def new_agreement_version(request: HttpRequest, code: str, pk: int, payload: ReasonIn) -> Any:
    actor = actor_in(request, code)
    copy = services.new_version(actor, queries.agreement(actor, pk), reason=payload.reason)
    return Status(201, _agreement_out(copy))


@router.get(
    "/partnerships/{code}/agreements/{pk}/decision-trail",
    response=list[DecisionOut],
    summary="Överenskommelsens beslutsgång",
)
def agreement_decisions(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    return links.decisions_of(actor, queries.agreement(actor, pk))


@router.post("/partnerships/{code}/agreements/{pk}/decision-trail", response={201: DecisionOut})
def record_agreement_decision(request: HttpRequest, code: str, pk: int, payload: DecisionIn) -> Any:
    actor = actor_in(request, code)
    return _decide(actor, queries.agreement(actor, pk), payload)


# --- The public page's JSON -------------------------------------------------------------------


@router.get("/public/{kommunkod}/promise", auth=None, summary="Medborgarlöftet (publikt)")
def public_promise(request: HttpRequest, kommunkod: str) -> Any:
    """The same as the public page /p/{kommunkod}/: the promise in force as written, who
    signed and when, each item's progress (published counts), earlier promises with their
    follow-ups, the samordningsfunktion's contact and where to turn."""
    return _jsonable(published.public_data(public_partnership(kommunkod)))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
