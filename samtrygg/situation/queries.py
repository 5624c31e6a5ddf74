"""Reads of lägesbilder, scoped to the actor's partnership and role: styrgrupp and rapportör
see adopted pictures only; coordinators and analysts see drafts and the live picture."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from samtrygg.core.permissions import Actor
from samtrygg.situation.models import PictureStatus, SituationPicture
from samtrygg.situation.permissions import ADOPTED_ROLES, LIVE_ROLES


def pictures(actor: Actor) -> QuerySet[SituationPicture]:
    actor.require(ADOPTED_ROLES)
    qs = SituationPicture.objects.filter(partnership=actor.partnership)
    if not actor.has(LIVE_ROLES):
        qs = qs.filter(status__in=[PictureStatus.ADOPTED, PictureStatus.SUPERSEDED])
    return qs.select_related("adopted_by", "cosigned_by", "supersedes").order_by(
        "-period_index", "unit", "-version"
    )


def picture(actor: Actor, pk: Any) -> SituationPicture:
    return SituationPicture.objects.fetch(
        actor, pk, lambda: pictures(actor).prefetch_related("levels")
    )


def adopted_for(actor: Actor, unit: str, index: int) -> SituationPicture | None:
    return (
        pictures(actor)
        .filter(unit=unit, period_index=index, status=PictureStatus.ADOPTED)
        .prefetch_related("levels")
        .first()
    )


def open_draft(actor: Actor, unit: str, index: int) -> SituationPicture | None:
    if not actor.has(LIVE_ROLES):
        return None
    return (
        SituationPicture.objects.filter(
            partnership=actor.partnership,
            unit=unit,
            period_index=index,
            status__in=[PictureStatus.DRAFT, PictureStatus.AWAITING_COSIGN],
        )
        .prefetch_related("levels")
        .first()
    )


# --- Reads behind the picture page, its map and the reporters' feedback -------------------


def filter_categories(actor: Actor) -> QuerySet[Any]:
    """The categories offered as filters on the picture page."""
    from samtrygg.observations.models import Category

    return Category.objects.for_actor(actor).order_by("sort_order", "name")


def map_observations(actor: Actor, period: Any, filters: Any) -> QuerySet[Any]:
    """The period's reports for the picture map, with the page's filters (merged duplicates
    left out)."""
    from samtrygg.observations.models import Observation
    from samtrygg.situation import compute

    qs = Observation.objects.for_actor(actor).filter(
        merged_into__isnull=True,
        occurred_at__gte=dt.datetime.fromtimestamp(period.start, tz=dt.UTC),
        occurred_at__lt=dt.datetime.fromtimestamp(period.end, tz=dt.UTC),
    )
    if filters.categories:
        qs = qs.filter(category_id__in=filters.categories)
    if filters.organisations:
        qs = qs.filter(organisation_id__in=filters.organisations)
    if filters.sources:
        qs = qs.filter(source__in=[s for s in filters.sources if s != compute.POLICE])
    return qs


def own_organisations_reports(actor: Actor) -> QuerySet[Any]:
    """The reports of the actor's own organisations, newest first, with their actions (a
    report merged into another is there too: the reporter is told so)."""
    from samtrygg.observations.models import Observation

    return (
        Observation.objects.for_actor(actor)
        .filter(organisation_id__in=actor.organisation_ids)
        .select_related("category", "area")
        .prefetch_related("actions__owner")
        .order_by("-occurred_at")
    )


def adopted_weeks(actor: Actor, week_indexes: list[int]) -> QuerySet[SituationPicture]:
    """The adopted weekly pictures of the given weeks (for the reporters' feedback)."""
    return SituationPicture.objects.for_actor(actor).filter(
        unit="week", period_index__in=week_indexes, status=PictureStatus.ADOPTED
    )


def document_run(document: Any) -> Any:
    """The job run that makes a generated document, if it was queued."""
    from samtrygg.core.models import JobRun

    if not document.task_id:
        return None
    return JobRun.objects.filter(task_id=document.task_id).first()
