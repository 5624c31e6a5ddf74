"""API of EST reports: reports and observations, imports, categories, the police type
mapping and time bands, under /partnerships/{kommunkod}/.

The same services validate as behind the pages, so a refusal has the same Swedish message
(400 with ``detail`` and ``field``; ``row`` for an import). A report sent twice with the same
``client_uuid`` is stored once: the second answer is 200 with the stored report.

No ``from __future__ import annotations`` here: django-ninja reads the list's filter schema
from the evaluated signature.
"""

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.core.errors import DomainError
from samtrygg.core.permissions import Actor
from samtrygg.core.weeks import iso_week
from samtrygg.observations import importing, queries, services
from samtrygg.observations.models import (
    Category,
    Channel,
    Observation,
    PoliceTypeMapping,
    Report,
)
from samtrygg.observations.queries import ObservationFilterParams
from samtrygg.observations.timebands import STOCKHOLM

router = Router(tags=["rapporter"])


class IncidentIn(Schema):
    # Required fields are checked by the same service as the forms (with the same messages),
    # so the schema lets them through empty.
    category: str = Field("", description="Krävs. Kategorins kortnamn (slug) eller namn.")
    occurred_on: str = Field("", description="Krävs. Datum, ÅÅÅÅ-MM-DD.", examples=["2025-11-20"])
    time: str | None = Field(None, description="Klockslag TT:MM (eller ange time_band).")
    time_band: str | None = Field(None, description="Tidsbandets nyckel eller namn.")
    place_id: int | None = Field(None, description="En namngiven plats.")
    lat: float | None = Field(None, description="Latitud (WGS84), när ingen plats anges.")
    lon: float | None = Field(None, description="Longitud (WGS84), när ingen plats anges.")
    location_precision: str | None = Field(
        None, description="plats, punkt eller position (härleds när den saknas)."
    )
    description: str = Field("", description="Krävs. Vad som hände; passerar integritetsfiltret.")
    assessment: int | None = Field(
        None, description="Krävs. 1–4: hur mycket händelsen påverkar tryggheten."
    )
    people_count: int | None = Field(None, description="Ungefärligt antal personer.")
    source: str | None = Field(
        None, description="egen_iakttagelse (standard), boende, sociala_medier, polisanmalan."
    )
    police_reported: bool = False

    def to_input(self) -> services.IncidentInput:
        return services.IncidentInput(
            category=self.category,
            occurred_on=self.occurred_on,
            time=self.time,
            time_band=self.time_band,
            place=self.place_id,
            lat=self.lat,
            lon=self.lon,
            location_precision=self.location_precision or "",
            description=self.description,
            assessment=self.assessment,
            people_count=self.people_count,
            source=self.source,
            police_reported=self.police_reported,
        )


class ObservationIn(IncidentIn):
    organisation_id: int | None = Field(
        None, description="Organisationen (standard: din egen). Samordnare kan välja."
    )
    client_uuid: uuid.UUID | None = Field(
        None, description="Ditt id för rapporten: samma id två gånger sparas en gång."
    )


class ObservationUpdate(IncidentIn):
    reviewed: bool | None = Field(
        None, description="Markera som granskad (samordnare och kommunpolis)."
    )


class ReportIn(Schema):
    client_uuid: uuid.UUID | None = Field(
        None, description="Ditt id för rapporten: samma id två gånger sparas en gång."
    )
    organisation_id: int | None = None
    incidents: list[IncidentIn]


class ObservationOut(Schema):
    id: int
    report_id: int
    organisation_id: int
    organisation: str
    category_id: int
    category: str
    occurred_on: dt.date
    week: str = Field(..., description="ISO-vecka, t.ex. 2025-W47.")
    time: str | None = Field(..., description="Klockslaget (lokal tid) när det angavs.")
    time_band: str
    occurred_at: dt.datetime
    occurred_start: dt.datetime
    occurred_end: dt.datetime
    place_id: int | None
    place: str | None
    lat: float
    lon: float
    area_id: int | None
    area: str | None
    h3_cell: str
    location_precision: str
    description: str
    assessment: int
    people_count: int | None
    source: str
    police_reported: bool
    reviewed: bool
    reviewed_at: dt.datetime | None
    merged_into_id: int | None
    is_demo: bool

    @staticmethod
    def resolve_organisation(obj: Observation) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_category(obj: Observation) -> str:
        return obj.category.name

    @staticmethod
    def resolve_week(obj: Observation) -> str:
        return iso_week(obj.occurred_on)

    @staticmethod
    def resolve_time(obj: Observation) -> str | None:
        if not obj.time_exact:
            return None
        return timezone.localtime(obj.occurred_at, STOCKHOLM).strftime("%H:%M")

    @staticmethod
    def resolve_place(obj: Observation) -> str | None:
        return obj.place.name if obj.place else None

    @staticmethod
    def resolve_area(obj: Observation) -> str | None:
        return obj.area.name if obj.area else None

    @staticmethod
    def resolve_h3_cell(obj: Observation) -> str:
        return format(obj.h3_cell, "x")

    @staticmethod
    def resolve_reviewed(obj: Observation) -> bool:
        return obj.reviewed_at is not None


class ReportOut(Schema):
    id: int
    client_uuid: uuid.UUID | None
    created_at: dt.datetime
    organisation_id: int
    observations: list[ObservationOut]

    @staticmethod
    def resolve_observations(report: Report) -> list[Observation]:
        return list(queries.submitted_observations(report))


class ImportIn(Schema):
    organisation_id: int | None = None
    filename: str = Field("import.csv", description="Filens namn (.csv eller .xlsx).")
    content: str | None = Field(None, description="CSV-text med mallens kolumner.")
    content_base64: str | None = Field(None, description="En XLSX- eller CSV-fil i base64.")


class ImportOut(Schema):
    created: int
    unchanged: int
    report_id: int | None


class CategoryIn(Schema):
    name: str
    retired: bool = False


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    is_default: bool
    retired: bool
    sort_order: int

    @staticmethod
    def resolve_retired(category: Category) -> bool:
        return category.retired_at is not None


class MappingIn(Schema):
    category_id: int | None


class MappingOut(Schema):
    id: int
    police_type: str
    category_id: int | None
    category: str | None
    needs_review: bool

    @staticmethod
    def resolve_category(mapping: PoliceTypeMapping) -> str | None:
        return mapping.category.name if mapping.category else None


class TimeBandSchema(Schema):
    key: str = ""
    label: str
    start: str = Field(..., examples=["06:00"])
    end: str = Field(..., examples=["10:00"])


class TimeBandsIn(Schema):
    bands: list[TimeBandSchema]


class TimeBandsOut(Schema):
    bands: list[TimeBandSchema]


# --- Reports and observations ---------------------------------------------------------------


def _submit(
    actor: Actor, incidents: list[services.IncidentInput], payload: ReportIn | ObservationIn
) -> services.SubmitResult:
    """A report sent through the API; sent again with the same client_uuid, the one stored."""
    return services.submit_report(
        actor,
        incidents,
        organisation=payload.organisation_id,
        client_uuid=payload.client_uuid,
        channel=Channel.API,
    )


@router.post(
    "/partnerships/{code}/reports",
    response={200: ReportOut, 201: ReportOut},
    summary="Skicka en rapport med en eller flera händelser",
)
def create_report(request: HttpRequest, code: str, payload: ReportIn) -> Any:
    actor = actor_in(request, code)
    result = _submit(actor, [incident.to_input() for incident in payload.incidents], payload)
    return Status(201 if result.created else 200, result.report)


@router.get(
    "/partnerships/{code}/observations",
    response=list[ObservationOut],
    summary="Händelser, filtrerade",
)
@paginate(Pages)
def list_observations(
    request: HttpRequest,
    code: str,
    filters: Query[ObservationFilterParams],
) -> Any:
    actor = actor_in(request, code)
    flt = filters.parsed()
    if flt.problems:
        raise DomainError(" ".join(flt.problems))
    return queries.observations(actor, flt)


@router.post(
    "/partnerships/{code}/observations",
    response={200: ObservationOut, 201: ObservationOut},
    summary="Rapportera en händelse",
)
def create_observation(request: HttpRequest, code: str, payload: ObservationIn) -> Any:
    actor = actor_in(request, code)
    result = _submit(actor, [payload.to_input()], payload)
    return Status(
        201 if result.created else 200, queries.observation(actor, result.observations[0].pk)
    )


@router.get("/partnerships/{code}/observations/{pk}", response=ObservationOut)
def get_observation(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    observation = queries.observation(actor, pk)
    services.log_view(actor, observation)
    return observation


@router.put("/partnerships/{code}/observations/{pk}", response=ObservationOut)
def update_observation(request: HttpRequest, code: str, pk: int, payload: ObservationUpdate) -> Any:
    actor = actor_in(request, code)
    observation = queries.observation(actor, pk)
    with transaction.atomic():
        services.update_observation(actor, observation, payload.to_input())
        if payload.reviewed is not None:
            services.set_reviewed(actor, observation, payload.reviewed)
    return queries.observation(actor, pk)


@router.post(
    "/partnerships/{code}/observation-imports",
    response={200: ImportOut},
    summary="Importera en partners logg (CSV eller XLSX), allt eller inget",
)
def import_observations(request: HttpRequest, code: str, payload: ImportIn) -> Any:
    actor = actor_in(request, code)
    if payload.content_base64:
        try:
            data = base64.b64decode(payload.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError(_("content_base64 är inte giltig base64."), field="content") from exc
    elif payload.content is not None:
        data = payload.content.encode("utf-8")
    else:
        raise DomainError(_("Skicka filen i content eller content_base64."), field="content")
    rows = importing.read_file(data, payload.filename)
    result = services.import_rows(actor, rows, organisation=payload.organisation_id)
    return {
        "created": result.created,
        "unchanged": result.unchanged,
        "report_id": result.report.pk if result.report else None,
    }


# --- Categories, the police type mapping and time bands -------------------------------------


@router.get("/partnerships/{code}/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest, code: str) -> Any:
    return queries.categories(actor_in(request, code))


@router.post("/partnerships/{code}/categories", response={201: CategoryOut})
def create_category(request: HttpRequest, code: str, payload: CategoryIn) -> Any:
    actor = actor_in(request, code)
    category = services.create_category(actor, name=payload.name)
    if payload.retired:
        services.retire_category(actor, category)
    return Status(201, category)


@router.get("/partnerships/{code}/categories/{pk}", response=CategoryOut)
def get_category(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.category(actor_in(request, code), pk)


@router.put("/partnerships/{code}/categories/{pk}", response=CategoryOut)
def update_category(request: HttpRequest, code: str, pk: int, payload: CategoryIn) -> Any:
    actor = actor_in(request, code)
    category = queries.category(actor, pk)
    if payload.name.strip() != category.name:
        services.rename_category(actor, category, name=payload.name)
    services.retire_category(actor, category, retired=payload.retired)
    return category


@router.delete("/partnerships/{code}/categories/{pk}", response={204: None})
def delete_category(request: HttpRequest, code: str, pk: int) -> Any:
    actor = actor_in(request, code)
    services.delete_category(actor, queries.category(actor, pk))
    return Status(204, None)


@router.get("/partnerships/{code}/police-type-mappings", response=list[MappingOut])
def list_police_type_mappings(request: HttpRequest, code: str, unmapped: bool = False) -> Any:
    actor = actor_in(request, code)
    mappings = (
        queries.unmapped_police_types(actor) if unmapped else queries.police_type_mappings(actor)
    )
    return mappings


@router.get("/partnerships/{code}/police-type-mappings/{pk}", response=MappingOut)
def get_police_type_mapping(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.police_type_mapping(actor_in(request, code), pk)


@router.put("/partnerships/{code}/police-type-mappings/{pk}", response=MappingOut)
def update_police_type_mapping(request: HttpRequest, code: str, pk: int, payload: MappingIn) -> Any:
    actor = actor_in(request, code)
    mapping = queries.police_type_mapping(actor, pk)
    category = queries.category(actor, payload.category_id) if payload.category_id else None
    return services.set_police_type_category(actor, mapping, category)


@router.get("/partnerships/{code}/time-bands", response=TimeBandsOut)
def get_time_bands(request: HttpRequest, code: str) -> Any:
    actor = actor_in(request, code)
    return {"bands": [b.as_dict() for b in queries.time_bands(actor.partnership)]}


@router.put("/partnerships/{code}/time-bands", response=TimeBandsOut)
def update_time_bands(request: HttpRequest, code: str, payload: TimeBandsIn) -> Any:
    actor = actor_in(request, code)
    settings = services.update_time_bands(actor, [b.dict() for b in payload.bands])
    return {"bands": settings.time_bands}
