"""Reads of lägesbilder, scoped to the actor's partnership and role: styrgrupp and rapportör
see adopted pictures only; coordinators and analysts see drafts and the live picture."""

from __future__ import annotations

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
