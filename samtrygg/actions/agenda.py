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


def _picture_items(actor: Actor, day: dt.date) -> list[dict[str, Any]]:
    try:
        from samtrygg.situation.agenda import picture_items
    except ImportError:  # the situation app is not installed
        return []
    return picture_items(actor, day)


def build_agenda(actor: Actor, day: dt.date) -> list[dict[str, Any]]:
    items = _picture_items(actor, day)
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
