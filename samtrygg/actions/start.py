"""The actions part of the start page: overdue actions and the next meeting for the
coordinators, the actions' progress for the steering group."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions import queries
from samtrygg.actions.models import ActionStatus
from samtrygg.actions.permissions import FOLLOW_UP_ROLES, PLAN_ROLES
from samtrygg.core.permissions import Actor
from samtrygg.core.start import Card, Line


def _late_line(late: int) -> list[Line]:
    if not late:
        return []
    return [Line(_("Försenade: %(n)d") % {"n": late}, reverse("action-list") + "?forsenade=1")]


def cards(actor: Actor) -> list[Card]:
    out: list[Card] = []
    today = timezone.localdate()
    if actor.has(PLAN_ROLES):
        overdue = queries.actions(actor, overdue=True, today=today)
        out.append(
            Card(
                key="overdue",
                title=_("Försenade insatser"),
                count=overdue.count(),
                lines=[
                    Line(
                        item.title,
                        reverse("action-detail", args=[item.pk]),
                        _("%(org)s, skulle vara klar %(d)s")
                        % {"org": item.owner.name, "d": f"{item.end_date:%Y-%m-%d}"},
                    )
                    for item in overdue[:5]
                ],
                empty=_("Inga försenade insatser."),
                more_url=reverse("action-list") + "?forsenade=1",
                more_text=_("Alla försenade"),
                order=30,
            )
        )
        upcoming = queries.meetings(actor).filter(held_on__gte=today).order_by("held_on", "id")
        meeting = upcoming.first()
        out.append(
            Card(
                key="next-meeting",
                title=_("Nästa möte"),
                lines=[
                    Line(
                        f"{meeting.held_on:%Y-%m-%d} · {meeting.title}",
                        reverse("meeting-detail", args=[meeting.pk]),
                    )
                ]
                if meeting
                else [],
                empty=_("Inget möte inplanerat."),
                more_url=reverse("meeting-list"),
                more_text=_("Planera ett möte") if meeting is None else _("Alla möten"),
                order=50,
            )
        )
    elif actor.has(FOLLOW_UP_ROLES):
        items = queries.actions(actor, today=today)
        counts = {status: items.filter(status=status).count() for status in ActionStatus.values}
        late = queries.actions(actor, overdue=True, today=today).count()
        out.append(
            Card(
                key="progress",
                title=_("Insatsernas läge"),
                lines=[
                    Line(f"{label}: {counts[value]}", reverse("action-list") + f"?status={value}")
                    for value, label in ActionStatus.choices
                ]
                + (
                    [
                        Line(
                            _("Försenade: %(n)d") % {"n": late},
                            reverse("action-list") + "?forsenade=1",
                        )
                    ]
                    if late
                    else []
                ),
                more_url=reverse("action-list"),
                more_text=_("Alla insatser"),
                order=30,
            )
        )
    return out
