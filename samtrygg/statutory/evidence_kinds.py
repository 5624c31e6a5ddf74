"""The evidence kinds this app can read itself and registers for every app: adopted weekly
pictures (situation) and safety walks (actions). Other apps register their own kinds."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.core.errors import DomainError
from samtrygg.core.evidence import EvidenceItem, EvidenceKind, register_evidence_kind
from samtrygg.core.permissions import Actor

WEEKLY_PICTURE = "weekly-picture"
SAFETY_WALK = "safety-walk"
CANDIDATES = 100


def _weekly_pictures(actor: Actor) -> Iterable[EvidenceItem]:
    from samtrygg.situation import queries
    from samtrygg.situation.models import PictureStatus
    from samtrygg.situation.permissions import ADOPTED_ROLES

    if not actor.has(ADOPTED_ROLES):
        return []
    rows = queries.pictures(actor).filter(status=PictureStatus.ADOPTED)[:CANDIDATES]
    return [_picture_item(p) for p in rows]


def _picture_item(picture: object) -> EvidenceItem:
    return EvidenceItem(
        kind=WEEKLY_PICTURE,
        id=picture.pk,  # type: ignore[attr-defined]
        label=_("Antagen lägesbild %(period)s") % {"period": picture.period_label},  # type: ignore[attr-defined]
        url=reverse("situation-detail", args=[picture.pk]),  # type: ignore[attr-defined]
        date=picture.adopted_at,  # type: ignore[attr-defined]
    )


def _resolve_picture(actor: Actor, record_id: int) -> EvidenceItem | None:
    from samtrygg.situation import queries
    from samtrygg.situation.models import PictureStatus

    try:
        picture = queries.picture(actor, record_id)
    except DomainError:
        return None
    if picture.status != PictureStatus.ADOPTED:
        return None
    return _picture_item(picture)


def _walks(actor: Actor) -> Iterable[EvidenceItem]:
    from samtrygg.actions import queries
    from samtrygg.actions.permissions import ACTION_ROLES

    if not actor.has(ACTION_ROLES):
        return []
    return [_walk_item(w) for w in queries.walks(actor)[:CANDIDATES]]


def _walk_item(walk: object) -> EvidenceItem:
    planned = walk.planned_for  # type: ignore[attr-defined]
    return EvidenceItem(
        kind=SAFETY_WALK,
        id=walk.pk,  # type: ignore[attr-defined]
        label=_("Trygghetsvandring %(date)s: %(title)s")
        % {"date": planned.date().isoformat(), "title": walk.title},  # type: ignore[attr-defined]
        url=reverse("walk-detail", args=[walk.pk]),  # type: ignore[attr-defined]
        date=planned,
    )


def _resolve_walk(actor: Actor, record_id: int) -> EvidenceItem | None:
    from samtrygg.actions import queries

    try:
        return _walk_item(queries.walk(actor, record_id))
    except DomainError:
        return None


KINDS = (
    EvidenceKind(
        key=WEEKLY_PICTURE,
        label=str(gettext_lazy("Antagen veckolägesbild")),
        candidates=_weekly_pictures,
        resolve=_resolve_picture,
    ),
    EvidenceKind(
        key=SAFETY_WALK,
        label=str(gettext_lazy("Trygghetsvandring")),
        candidates=_walks,
        resolve=_resolve_walk,
    ),
)


def register() -> None:
    for kind in KINDS:
        register_evidence_kind(kind)
