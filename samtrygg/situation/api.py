"""Lägesbilder API (read-only): the pictures of a partnership, under
/partnerships/{kommunkod}/situation-pictures. Styrgrupp and rapportör see adopted pictures
only (and the versions they replaced); another partnership's picture is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.situation import queries
from samtrygg.situation.models import SituationPicture

router = Router(tags=["lägesbild"])


class AreaLevelOut(Schema):
    area_id: int | None
    area_name: str
    level: int
    level_text: str
    trend: int
    suggested_level: int
    suggested_trend: int
    reason: str
    count: int | None = None


class PictureOut(Schema):
    id: int
    unit: str
    period_index: int
    period_label: str
    version: int
    status: str
    supersedes_id: int | None
    correction_reason: str
    adopted_at: dt.datetime | None
    cosigned_at: dt.datetime | None


class PictureDetailOut(PictureOut):
    assessment: str
    levels: list[AreaLevelOut]
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_levels(picture: SituationPicture) -> list[dict[str, Any]]:
        counts = {a.get("name"): a.get("count") for a in picture.snapshot.get("areas", [])}
        return [
            {
                "area_id": lv.area_id,
                "area_name": lv.area_name,
                "level": lv.level,
                "level_text": str(lv.get_level_display()),
                "trend": lv.trend,
                "suggested_level": lv.suggested_level,
                "suggested_trend": lv.suggested_trend,
                "reason": lv.reason,
                "count": counts.get(lv.area_name),
            }
            for lv in picture.levels.all()
        ]


@router.get(
    "/partnerships/{code}/situation-pictures",
    response=list[PictureOut],
    summary="Lägesbilder",
)
@paginate(Pages)
def list_pictures(request: HttpRequest, code: str, unit: str = "") -> Any:
    qs = queries.pictures(actor_in(request, code))
    if unit:
        qs = qs.filter(unit=unit)
    return qs


@router.get(
    "/partnerships/{code}/situation-pictures/{pk}",
    response=PictureDetailOut,
    summary="En lägesbild",
)
def get_picture(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.picture(actor_in(request, code), pk)
