"""Reads of meetings, actions and safety walks, scoped to the actor's partnership and role.

Coordinators and analysts see everything of their partnership; a rapportör sees the actions
of their own organisation and the walks it was invited to. A record of another partnership,
or out of the actor's reach, raises NotFound.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from samtrygg.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Meeting,
    SafetyWalk,
    WalkFinding,
)
from samtrygg.actions.permissions import ACTION_ROLES, OVERVIEW_ROLES, READ_ALL_ROLES
from samtrygg.core.permissions import Actor
from samtrygg.core.queries import narrowed

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
    if not actor.has(OVERVIEW_ROLES):
        qs = qs.filter(owner_id__in=actor.organisation_ids)
    qs = narrowed(qs, status=status, owner_id=owner, area_id=area, type=type)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, end_date__lt=today or timezone.localdate())
    return qs.order_by("end_date", "id")


def action(actor: Actor, pk: Any) -> Action:
    return Action.objects.fetch(actor, pk, lambda: actions(actor))


def actions_for_publication(actor: Actor) -> QuerySet[Action]:
    """Actions that may leave the partnership: never the ones marked not for publication."""
    return actions(actor).filter(not_for_publication=False)


def due_actions(actor: Actor, until: dt.date) -> QuerySet[Action]:
    """Open actions due on or before ``until`` (overdue ones included)."""
    return actions(actor).filter(status__in=OPEN_STATUSES, end_date__lte=until)


# --- Meetings ----------------------------------------------------------------------------


def meetings(actor: Actor) -> QuerySet[Meeting]:
    actor.require(OVERVIEW_ROLES)
    return Meeting.objects.filter(partnership=actor.partnership).order_by("-held_on", "-id")


def meeting(actor: Actor, pk: Any) -> Meeting:
    return Meeting.objects.fetch(
        actor,
        pk,
        lambda: meetings(actor).prefetch_related(
            "attendances__organisation", "decisions__actions__owner"
        ),
    )


# --- Safety walks ------------------------------------------------------------------------


def walks(actor: Actor) -> QuerySet[SafetyWalk]:
    actor.require(ACTION_ROLES)
    qs = SafetyWalk.objects.filter(partnership=actor.partnership).select_related("area")
    if not actor.has(OVERVIEW_ROLES):
        qs = qs.filter(invited__in=actor.organisation_ids).distinct()
    return qs.order_by("-planned_for", "-id")


def walk(actor: Actor, pk: Any) -> SafetyWalk:
    return SafetyWalk.objects.fetch(actor, pk, lambda: walks(actor).prefetch_related("invited"))


def findings(actor: Actor, walk: SafetyWalk) -> QuerySet[WalkFinding]:
    return (
        WalkFinding.objects.filter(walk=walk, walk__partnership=actor.partnership)
        .select_related("responsible", "area", "action")
        .order_by("id")
    )


def finding(actor: Actor, pk: Any) -> WalkFinding:
    def visible() -> QuerySet[WalkFinding]:
        return (
            WalkFinding.objects.for_actor(actor)
            .filter(walk__in=walks(actor).values("pk"))
            .select_related("walk", "responsible", "action")
        )

    return WalkFinding.objects.fetch(actor, pk, visible)


def actions_in_period(actor: Actor, start: int, end: int) -> list[dict[str, Any]]:
    """Actions done (or under way) per delområde in a period (UTC epoch seconds), for the
    lägesbild of the period; only for the roles that see every action."""
    if not actor.has(READ_ALL_ROLES):
        return []
    first = dt.datetime.fromtimestamp(start, tz=dt.UTC).date()
    last = dt.datetime.fromtimestamp(end, tz=dt.UTC).date()
    rows = (
        Action.objects.for_actor(actor)
        .filter(start_date__lt=last, end_date__gte=first)
        .values("area__name", "status")
        .annotate(n=Count("id"), done=Sum("done_count"))
        .order_by("area__name", "status")
    )
    labels = dict(ActionStatus.choices)
    return [{**row, "status_label": labels.get(row["status"], row["status"])} for row in rows]
