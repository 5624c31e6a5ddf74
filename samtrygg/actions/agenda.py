"""The EST meeting's agenda, generated from the week's picture and the open actions:

1. areas with a raised level (gul or above) in the latest picture of the week before,
2. new and intensifying hot spots,
3. actions overdue, and actions due before the next meeting (within a week).

The picture part comes from ``samtrygg.situation.agenda`` (the adopted picture of the week if
there is one, else the computed one); without it the agenda holds the actions only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.actions.models import OPEN_STATUSES, Action
from samtrygg.core.permissions import Actor
from samtrygg.situation.agenda import picture_items


def build_agenda(actor: Actor, day: dt.date) -> list[dict[str, Any]]:
    items = picture_items(actor, day)
    open_actions = (
        Action.objects.filter(
            partnership=actor.partnership,
            status__in=OPEN_STATUSES,
            end_date__lte=day + dt.timedelta(days=7),
        )
        .select_related("owner", "area")
        .order_by("end_date", "id")
    )
    for item in open_actions:
        overdue = item.end_date < day
        items.append(
            {
                "kind": "overdue" if overdue else "due",
                "text": (
                    _("Försenad: %(t)s (%(o)s, skulle vara klar %(d)s)")
                    if overdue
                    else _("Ska vara klar: %(t)s (%(o)s, senast %(d)s)")
                )
                % {"t": item.title, "o": item.owner.name, "d": item.end_date.isoformat()},
                "area": item.area.name if item.area else "",
                "action_id": item.pk,
            }
        )
    return items


def digest_lines(partnership: Any, today: dt.date) -> list[str]:
    """The weekly digest's lines about actions: how many are due within a week and how many
    are overdue, and the due ones that may be published."""
    open_actions = Action.objects.filter(partnership=partnership, status__in=OPEN_STATUSES)
    due = open_actions.filter(end_date__gte=today, end_date__lt=today + dt.timedelta(days=7))
    overdue = open_actions.filter(end_date__lt=today).count()
    lines = [
        "",
        _("Insatser som ska vara klara inom en vecka: %(n)d.") % {"n": due.count()},
        _("Försenade insatser: %(n)d.") % {"n": overdue},
    ]
    for action in due.filter(not_for_publication=False).select_related("owner")[:10]:
        lines.append(f"- {action.title} ({action.owner.name}, {action.end_date:%Y-%m-%d})")
    return lines
