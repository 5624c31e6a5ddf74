"""Reads of meetings, actions and safety walks, scoped to the actor's partnership and role.

Coordinators and analysts see everything of their partnership; a rapportör sees the actions
of their own organisation and the walks it was invited to. A record of another partnership,
or out of the actor's reach, raises NotFound.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions.models import (
    OPEN_STATUSES,
    Action,
    Meeting,
    SafetyWalk,
    WalkFinding,
)
from samtrygg.actions.permissions import ACTION_ROLES, READ_ALL_ROLES
from samtrygg.core.errors import NotFound
from samtrygg.core.permissions import Actor


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as exc:
        raise NotFound(_("Posten finns inte.")) from exc


def _here(actor: Actor, model: Any, pk: Any, path: str = "partnership") -> None:
    """Another partnership's record is 404 for every role, before any role check."""
    try:
        number = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Posten finns inte.")) from exc
    if not model.objects.filter(pk=number, **{path: actor.partnership}).exists():
        raise NotFound(_("Posten finns inte."))


# --- Actions -----------------------------------------------------------------------------


def actions(
    actor: Actor,
    *,
    status: str = "",
    owner: int | None = None,
    area: int | None = None,
    overdue: bool = False,
    type: str = "",
    today: dt.date | None = None,
) -> QuerySet[Action]:
    """The actions the actor may see, with optional filters."""
    actor.require(ACTION_ROLES)
    qs = Action.objects.filter(partnership=actor.partnership).select_related(
        "owner", "area", "place", "decision__meeting"
    )
    if not actor.has(READ_ALL_ROLES):
        qs = qs.filter(owner_id__in=actor.organisation_ids)
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    if area:
        qs = qs.filter(area_id=area)
    if type:
        qs = qs.filter(type=type)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, end_date__lt=today or timezone.localdate())
    return qs.order_by("end_date", "id")


def action(actor: Actor, pk: Any) -> Action:
    _here(actor, Action, pk)
    return _get(actions(actor), pk)  # type: ignore[no-any-return]


def actions_for_publication(actor: Actor) -> QuerySet[Action]:
    """Actions that may leave the partnership: never the ones marked not for publication."""
    return actions(actor).filter(not_for_publication=False)


def due_actions(actor: Actor, until: dt.date) -> QuerySet[Action]:
    """Open actions due on or before ``until`` (overdue ones included)."""
    return actions(actor).filter(status__in=OPEN_STATUSES, end_date__lte=until)


# --- Meetings ----------------------------------------------------------------------------


def meetings(actor: Actor) -> QuerySet[Meeting]:
    actor.require(READ_ALL_ROLES)
    return Meeting.objects.filter(partnership=actor.partnership).order_by("-held_on", "-id")


def meeting(actor: Actor, pk: Any) -> Meeting:
    _here(actor, Meeting, pk)
    return _get(  # type: ignore[no-any-return]
        meetings(actor).prefetch_related("attendances__organisation", "decisions__actions__owner"),
        pk,
    )


# --- Safety walks ------------------------------------------------------------------------


def walks(actor: Actor) -> QuerySet[SafetyWalk]:
    actor.require(ACTION_ROLES)
    qs = SafetyWalk.objects.filter(partnership=actor.partnership).select_related("area")
    if not actor.has(READ_ALL_ROLES):
        qs = qs.filter(invited__in=actor.organisation_ids).distinct()
    return qs.order_by("-planned_for", "-id")


def walk(actor: Actor, pk: Any) -> SafetyWalk:
    _here(actor, SafetyWalk, pk)
    return _get(walks(actor).prefetch_related("invited"), pk)  # type: ignore[no-any-return]


def findings(actor: Actor, walk: SafetyWalk) -> QuerySet[WalkFinding]:
    return (
        WalkFinding.objects.filter(walk=walk, walk__partnership=actor.partnership)
        .select_related("responsible", "area", "action")
        .order_by("id")
    )


def finding(actor: Actor, pk: Any) -> WalkFinding:
    _here(actor, WalkFinding, pk, "walk__partnership")
    visible = walks(actor).values("pk")
    qs = WalkFinding.objects.filter(
        walk__partnership=actor.partnership, walk__in=visible
    ).select_related("walk", "responsible", "action")
    return _get(qs, pk)  # type: ignore[no-any-return]
