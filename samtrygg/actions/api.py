"""Actions API: actions (insatser), meetings with attendance and decisions, safety walks with
findings. Everything under /partnerships/{kommunkod}/…; another partnership's record is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.actions import queries, services
from samtrygg.actions.models import (
    ActionStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingType,
    WalkFinding,
    WalkLight,
)
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

    @staticmethod
    def resolve_action_ids(decision: Decision) -> list[int]:
        return [a.pk for a in decision.actions.all()]


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

    @staticmethod
    def resolve_attendance(meeting: Meeting) -> list[Attendance]:
        return list(meeting.attendances.all())


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

    @staticmethod
    def resolve_has_photo(finding: WalkFinding) -> bool:
        return bool(finding.photo)


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
        "findings": list(queries.findings(actor, walk)),
    }


# --- Actions -----------------------------------------------------------------------------


@router.get("/partnerships/{code}/actions", response=list[ActionOut], summary="Insatser")
@paginate(Pages)
def list_actions(request: HttpRequest, code: str, status: str = "", overdue: bool = False) -> Any:
    actor = actor_in(request, code)
    return queries.actions(actor, status=status, overdue=overdue)


@router.post("/partnerships/{code}/actions", response={201: ActionOut})
def create_action(request: HttpRequest, code: str, payload: ActionIn) -> Any:
    return Status(201, services.create_action(actor_in(request, code), _spec(payload)))


@router.get("/partnerships/{code}/actions/{pk}", response=ActionOut)
def get_action(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.action(actor_in(request, code), pk)


@router.put("/partnerships/{code}/actions/{pk}", response=ActionOut)
def update_action(request: HttpRequest, code: str, pk: int, payload: ActionIn) -> Any:
    actor = actor_in(request, code)
    return services.update_action(actor, queries.action(actor, pk), _spec(payload))


@router.post("/partnerships/{code}/actions/{pk}/progress", response=ActionOut)
def report_progress(request: HttpRequest, code: str, pk: int, payload: ProgressIn) -> Any:
    actor = actor_in(request, code)
    return services.record_progress(actor, queries.action(actor, pk), **payload.dict())


# --- Meetings ----------------------------------------------------------------------------


@router.get("/partnerships/{code}/meetings", response=list[MeetingOut], summary="Möten")
@paginate(Pages)
def list_meetings(request: HttpRequest, code: str) -> Any:
    actor = actor_in(request, code)
    return queries.meetings(actor).prefetch_related("attendances", "decisions__actions")


@router.post("/partnerships/{code}/meetings", response={201: MeetingOut})
def create_meeting(request: HttpRequest, code: str, payload: MeetingIn) -> Any:
    return Status(201, services.create_meeting(actor_in(request, code), **payload.dict()))


@router.get("/partnerships/{code}/meetings/{pk}", response=MeetingOut)
def get_meeting(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.meeting(actor_in(request, code), pk)


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
    return Status(201, decision)


@router.put("/partnerships/{code}/meetings/{pk}/attendance", response=MeetingOut)
def set_attendance(request: HttpRequest, code: str, pk: int, payload: AttendanceIn) -> Any:
    actor = actor_in(request, code)
    meeting = services.set_attendance(
        actor,
        queries.meeting(actor, pk),
        {a.organisation_id: a.people for a in payload.attendance},
    )
    return queries.meeting(actor, meeting.pk)


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
    return Status(201, services.add_finding(actor, walk, **data))
