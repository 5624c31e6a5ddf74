"""Core API: partnerships, organisations, memberships, areas, places, audit entries.

Everything that belongs to a partnership lives under /partnerships/{kommunkod}/...; the
caller must hold a role there, and a record of another partnership answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.core import queries, services
from samtrygg.core.api_pagination import Pages
from samtrygg.core.errors import NotFound
from samtrygg.core.models import Place
from samtrygg.core.permissions import Actor, actor_for, actor_in_kommun, partnerships_of

router = Router(tags=["grunddata"])


def actor_in(request: HttpRequest, code: str) -> Actor:
    """The caller in the partnership of kommun ``code``, or 404 when they have no role there.

    The actor the page middleware found for the same user and partnership is used as it is;
    otherwise one query finds it.
    """
    known: Actor | None = getattr(request, "actor", None)
    if (
        known is not None
        and known.partnership.municipality_id == code
        and getattr(known.user, "pk", None) == getattr(request.user, "pk", None)
    ):
        return known
    actor = actor_in_kommun(request.user, code)
    if actor is None:
        raise NotFound(_("Samverkan finns inte eller så saknar du behörighet."))
    return actor


class PartnershipOut(Schema):
    kommunkod: str
    name: str
    municipality: str
    police_area: str
    min_public_count: int
    roles: list[str]


class OrganisationIn(Schema):
    name: str
    type: str
    is_public_authority: bool | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    type: str
    is_public_authority: bool


class MembershipOut(Schema):
    id: int
    user_email: str = Field(..., alias="user.email")
    user_name: str = Field(..., alias="user.get_full_name")
    organisation_id: int
    role: str


class MembershipIn(Schema):
    email: str
    organisation_id: int
    role: str


class AreaIn(Schema):
    name: str
    geometry: dict[str, Any]
    population: int | None = None


class AreaOut(Schema):
    id: int
    name: str
    kind: str
    geometry: dict[str, Any]
    population: int | None


class PlaceIn(Schema):
    name: str
    type: str
    lat: float
    lon: float


class PlaceOut(Schema):
    id: int
    name: str
    type: str
    lat: float
    lon: float
    area_id: int | None
    h3_cell: str

    @staticmethod
    def resolve_h3_cell(place: Place) -> str:
        return format(place.h3_cell, "x")


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    model: str
    object_id: str
    object_repr: str = Field(..., alias="shown_repr")
    changes: dict[str, Any] = Field(..., alias="shown_changes")


@router.get("/partnerships", response=list[PartnershipOut], summary="Mina samverkan")
def list_partnerships(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for partnership in partnerships_of(request.user):
        actor = actor_for(request.user, partnership)
        out.append(
            {
                "kommunkod": partnership.municipality.code,
                "name": partnership.name,
                "municipality": partnership.municipality.name,
                "police_area": partnership.police_area.name,
                "min_public_count": partnership.min_public_count,
                "roles": sorted(actor.roles) if actor else [],
            }
        )
    return out


@router.get("/partnerships/{code}/organisations", response=list[OrganisationOut])
@paginate(Pages)
def list_organisations(request: HttpRequest, code: str) -> Any:
    return queries.organisations(actor_in(request, code))


@router.post("/partnerships/{code}/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, code: str, payload: OrganisationIn) -> Any:
    return Status(201, services.create_organisation(actor_in(request, code), **payload.dict()))


@router.get("/partnerships/{code}/organisations/{pk}", response=OrganisationOut)
def get_organisation(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.organisation(actor_in(request, code), pk)


@router.get("/partnerships/{code}/memberships", response=list[MembershipOut])
@paginate(Pages)
def list_memberships(request: HttpRequest, code: str) -> Any:
    return queries.memberships(actor_in(request, code))


@router.post("/partnerships/{code}/memberships", response={201: MembershipOut})
def create_membership(request: HttpRequest, code: str, payload: MembershipIn) -> Any:
    return Status(
        201,
        services.add_membership_by_email(
            actor_in(request, code),
            email=payload.email,
            organisation_id=payload.organisation_id,
            role=payload.role,
        ),
    )


@router.get("/partnerships/{code}/memberships/{pk}", response=MembershipOut)
def get_membership(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.membership(actor_in(request, code), pk)


@router.delete("/partnerships/{code}/memberships/{pk}", response={204: None})
def delete_membership(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    services.remove_membership(actor, queries.membership(actor, pk))
    return Status(204, None)


@router.get("/partnerships/{code}/areas", response=list[AreaOut])
@paginate(Pages)
def list_areas(request: HttpRequest, code: str) -> Any:
    return queries.areas(actor_in(request, code))


@router.post("/partnerships/{code}/areas", response={201: AreaOut})
def create_area(request: HttpRequest, code: str, payload: AreaIn) -> Any:
    return Status(201, services.create_area(actor_in(request, code), **payload.dict()))


@router.get("/partnerships/{code}/areas/{pk}", response=AreaOut)
def get_area(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.area(actor_in(request, code), pk)


@router.put("/partnerships/{code}/areas/{pk}", response=AreaOut)
def update_area(request: HttpRequest, code: str, pk: int, payload: AreaIn) -> Any:
    actor = actor_in(request, code)
    return services.update_area(actor, queries.area(actor, pk), **payload.dict())


@router.delete("/partnerships/{code}/areas/{pk}", response={204: None})
def delete_area(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    services.delete_area(actor, queries.area(actor, pk))
    return Status(204, None)


@router.get("/partnerships/{code}/places", response=list[PlaceOut])
@paginate(Pages)
def list_places(request: HttpRequest, code: str) -> Any:
    return queries.places(actor_in(request, code))


@router.post("/partnerships/{code}/places", response={201: PlaceOut})
def create_place(request: HttpRequest, code: str, payload: PlaceIn) -> Any:
    return Status(201, services.create_place(actor_in(request, code), **payload.dict()))


@router.get("/partnerships/{code}/places/{pk}", response=PlaceOut)
def get_place(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.place(actor_in(request, code), pk)


@router.put("/partnerships/{code}/places/{pk}", response=PlaceOut)
def update_place(request: HttpRequest, code: str, pk: int, payload: PlaceIn) -> Any:
    actor = actor_in(request, code)
    return services.update_place(actor, queries.place(actor, pk), **payload.dict())


@router.delete("/partnerships/{code}/places/{pk}", response={204: None})
def delete_place(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    services.delete_place(actor, queries.place(actor, pk))
    return Status(204, None)


@router.get("/partnerships/{code}/audit", response=list[AuditOut])
@paginate(Pages)
def list_audit(
    request: HttpRequest, code: str, q: str = "", model: str = "", action: str = ""
) -> Any:
    return queries.audit_entries(actor_in(request, code), text=q, model=model, action=action)


@router.get("/partnerships/{code}/audit/{pk}", response=AuditOut)
def get_audit(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.audit_entry(actor_in(request, code), pk)
