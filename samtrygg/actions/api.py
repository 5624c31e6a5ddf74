"""Actions API: actions (insatser), meetings with attendance and decisions, safety walks with
findings. Everything under /partnerships/{kommunkod}/…; another partnership's record is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.actions import queries, services
from samtrygg.actions.models import Action, ActionStatus, MeetingType, WalkLight
from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages

router = Router(tags=["insatser"])


class ActionIn(Schema):
    title: str
    type: str
    owner_id: int
    start_date: dt.date
    end_date: dt.date
    planned_count: int = 1
    area_id: int | None = None
    place_id: int | None = None
    description: str = ""
    not_for_publication: bool = False


class ActionOut(Schema):
    id: int
    title: str
    type: str
    owner_id: int
    area_id: int | None
    place_id: int | None
    start_date: dt.date
    end_date: dt.date
    planned_count: int
    done_count: int
    status: str
    outcome: str
    not_for_publication: bool
    decision_id: int | None
    is_overdue: bool


class ProgressIn(Schema):
    status: str = ActionStatus.PAGAR
    done_count: int = 0
    outcome: str = ""


class AttendanceOut(Schema):
    organisation_id: int
    people: int


class AttendanceIn(Schema):
    attendance: list[AttendanceOut]


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    action_ids: list[int]


class MeetingIn(Schema):
    held_on: dt.date
    type: str = MeetingType.EST
    title: str = ""
    location: str = ""


class MeetingOut(Schema):
    id: int
    type: str
    title: str
    held_on: dt.date
    location: str
    agenda: list[dict[str, Any]]
    notes: str
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]


class DecisionActionIn(Schema):
    title: str
    type: str
    owner_id: int
    end_date: dt.date
    start_date: dt.date | None = None
    planned_count: int = 1
    area_id: int | None = None
    place_id: int | None = None
    description: str = ""
    not_for_publication: bool = False


class DecisionIn(Schema):
    text: str
    actions: list[DecisionActionIn]


class WalkIn(Schema):
    title: str
    planned_for: dt.datetime
    light: str = WalkLight.MORKER
    route: dict[str, Any] | None = None
    invited: list[int] = []
    residents: int = 0
    area_id: int | None = None


class FindingOut(Schema):
    id: int
    type: str
    lat: float
    lon: float
    area_id: int | None
    description: str
    proposal: str
    responsible_id: int | None
    has_photo: bool
    action_id: int | None


class WalkOut(Schema):
    id: int
    title: str
    planned_for: dt.datetime
    light: str
    route: dict[str, Any] | None
    invited: list[int]
    residents: int
    area_id: int | None
    status: str
    findings: list[FindingOut]


class FindingIn(Schema):
    type: str
    lat: float
    lon: float
    description: str = ""
    proposal: str = ""
    responsible_id: int | None = None


def _spec(
    payload: ActionIn | DecisionActionIn, default_start: dt.date | None = None
) -> services.ActionSpec:
    return services.ActionSpec(
        title=payload.title,
        type=payload.type,
        owner=payload.owner_id,
        start_date=payload.start_date or default_start,
        end_date=payload.end_date,
        planned_count=payload.planned_count,
        area=payload.area_id,
        place=payload.place_id,
        description=payload.description,
        not_for_publication=payload.not_for_publication,
    )


def _action_out(item: Action) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "type": item.type,
        "owner_id": item.owner_id,
        "area_id": item.area_id,
        "place_id": item.place_id,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "planned_count": item.planned_count,
        "done_count": item.done_count,
        "status": item.status,
        "outcome": item.outcome,
        "not_for_publication": item.not_for_publication,
        "decision_id": item.decision_id,
        "is_overdue": item.is_overdue,
    }


def _meeting_out(meeting: Any) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "type": meeting.type,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "location": meeting.location,
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        "attendance": [
            {"organisation_id": a.organisation_id, "people": a.people}
            for a in meeting.attendances.all()
        ],
        "decisions": [
            {
                "id": d.pk,
                "number": d.number,
                "text": d.text,
                "action_ids": [a.pk for a in d.actions.all()],
            }
            for d in meeting.decisions.all()
        ],
    }


def _walk_out(actor: Any, walk: Any) -> dict[str, Any]:
    return {
        "id": walk.pk,
        "title": walk.title,
        "planned_for": walk.planned_for,
        "light": walk.light,
        "route": walk.route,
        "invited": sorted(o.pk for o in walk.invited.all()),
        "residents": walk.residents,
        "area_id": walk.area_id,
        "status": walk.status,
        "findings": [
            {
                "id": f.pk,
                "type": f.type,
                "lat": f.lat,
                "lon": f.lon,
                "area_id": f.area_id,
                "description": f.description,
                "proposal": f.proposal,
                "responsible_id": f.responsible_id,
                "has_photo": bool(f.photo),
                "action_id": f.action_id,
            }
            for f in queries.findings(actor, walk)
        ],
    }


# --- Actions -----------------------------------------------------------------------------


@router.get("/partnerships/{code}/actions", response=list[ActionOut], summary="Insatser")
@paginate(Pages)
def list_actions(request: HttpRequest, code: str, status: str = "", overdue: bool = False) -> Any:
    actor = actor_in(request, code)
    return [_action_out(a) for a in queries.actions(actor, status=status, overdue=overdue)]


@router.post("/partnerships/{code}/actions", response={201: ActionOut})
def create_action(request: HttpRequest, code: str, payload: ActionIn) -> Any:
    return Status(201, _action_out(services.create_action(actor_in(request, code), _spec(payload))))


@router.get("/partnerships/{code}/actions/{pk}", response=ActionOut)
def get_action(request: HttpRequest, code: str, pk: int) -> Any:
    return _action_out(queries.action(actor_in(request, code), pk))


@router.put("/partnerships/{code}/actions/{pk}", response=ActionOut)
def update_action(request: HttpRequest, code: str, pk: int, payload: ActionIn) -> Any:
    actor = actor_in(request, code)
    return _action_out(services.update_action(actor, queries.action(actor, pk), _spec(payload)))


@router.post("/partnerships/{code}/actions/{pk}/progress", response=ActionOut)
def report_progress(request: HttpRequest, code: str, pk: int, payload: ProgressIn) -> Any:
    actor = actor_in(request, code)
    item = services.record_progress(
        actor,
        queries.action(actor, pk),
        status=payload.status,
        done_count=payload.done_count,
        outcome=payload.outcome,
    )
    return _action_out(item)


# --- Meetings ----------------------------------------------------------------------------


@router.get("/partnerships/{code}/meetings", response=list[MeetingOut], summary="Möten")
@paginate(Pages)
def list_meetings(request: HttpRequest, code: str) -> Any:
    actor = actor_in(request, code)
    qs = queries.meetings(actor).prefetch_related("attendances", "decisions__actions")
    return [_meeting_out(m) for m in qs]


@router.post("/partnerships/{code}/meetings", response={201: MeetingOut})
def create_meeting(request: HttpRequest, code: str, payload: MeetingIn) -> Any:
    meeting = services.create_meeting(actor_in(request, code), **payload.dict())
    return Status(201, _meeting_out(meeting))


@router.get("/partnerships/{code}/meetings/{pk}", response=MeetingOut)
def get_meeting(request: HttpRequest, code: str, pk: int) -> Any:
    return _meeting_out(queries.meeting(actor_in(request, code), pk))


@router.post("/partnerships/{code}/meetings/{pk}/decisions", response={201: DecisionOut})
def add_decision(request: HttpRequest, code: str, pk: int, payload: DecisionIn) -> Any:
    actor = actor_in(request, code)
    meeting = queries.meeting(actor, pk)
    decision = services.add_decision(
        actor,
        meeting,
        text=payload.text,
        actions=[_spec(a, meeting.held_on) for a in payload.actions],
    )
    return Status(
        201,
        {
            "id": decision.pk,
            "number": decision.number,
            "text": decision.text,
            "action_ids": [a.pk for a in decision.actions.all()],
        },
    )


@router.put("/partnerships/{code}/meetings/{pk}/attendance", response=MeetingOut)
def set_attendance(request: HttpRequest, code: str, pk: int, payload: AttendanceIn) -> Any:
    actor = actor_in(request, code)
    meeting = services.set_attendance(
        actor,
        queries.meeting(actor, pk),
        {a.organisation_id: a.people for a in payload.attendance},
    )
    return _meeting_out(queries.meeting(actor, meeting.pk))


# --- Safety walks ------------------------------------------------------------------------


@router.get(
    "/partnerships/{code}/safety-walks", response=list[WalkOut], summary="Trygghetsvandringar"
)
@paginate(Pages)
def list_walks(request: HttpRequest, code: str) -> Any:
    actor = actor_in(request, code)
    return [_walk_out(actor, w) for w in queries.walks(actor).prefetch_related("invited")]


@router.post("/partnerships/{code}/safety-walks", response={201: WalkOut})
def create_walk(request: HttpRequest, code: str, payload: WalkIn) -> Any:
    actor = actor_in(request, code)
    data = payload.dict()
    data["area"] = data.pop("area_id")
    return Status(201, _walk_out(actor, services.create_walk(actor, **data)))


@router.get("/partnerships/{code}/safety-walks/{pk}", response=WalkOut)
def get_walk(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    return _walk_out(actor, queries.walk(actor, pk))


@router.post("/partnerships/{code}/safety-walks/{pk}/findings", response={201: FindingOut})
def add_finding(request: HttpRequest, code: str, pk: int, payload: FindingIn) -> Any:
    actor = actor_in(request, code)
    walk = queries.walk(actor, pk)
    data = payload.dict()
    data["responsible"] = data.pop("responsible_id")
    finding = services.add_finding(actor, walk, **data)
    return Status(
        201,
        {
            "id": finding.pk,
            "type": finding.type,
            "lat": finding.lat,
            "lon": finding.lon,
            "area_id": finding.area_id,
            "description": finding.description,
            "proposal": finding.proposal,
            "responsible_id": finding.responsible_id,
            "has_photo": bool(finding.photo),
            "action_id": finding.action_id,
        },
    )
