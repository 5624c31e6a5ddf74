"""The lägesbild part of the start page: pictures waiting for co-signing for the
coordinators, the latest adopted picture for the steering group."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samtrygg.core.models import Role
from samtrygg.core.permissions import Actor
from samtrygg.core.start import Card, Line
from samtrygg.situation import queries
from samtrygg.situation.models import PictureStatus
from samtrygg.situation.permissions import ADOPTED_ROLES, COMPILE_ROLES, COSIGN_ROLES


def cards(actor: Actor) -> list[Card]:
    out: list[Card] = []
    if actor.has(COMPILE_ROLES):
        waiting = queries.pictures(actor).filter(status=PictureStatus.AWAITING_COSIGN)
        out.append(
            Card(
                key="cosign",
                title=_("Att kontrasignera")
                if actor.has(COSIGN_ROLES)
                else _("Väntar på kontrasignering"),
                count=waiting.count(),
                lines=[
                    Line(
                        _("Lägesbild %(p)s, version %(v)d")
                        % {"p": picture.period_label, "v": picture.version},
                        reverse("situation-detail", args=[picture.pk]),
                    )
                    for picture in waiting[:5]
                ],
                empty=_("Ingen lägesbild väntar på kontrasignering."),
                order=15 if actor.has(COSIGN_ROLES) else 40,
            )
        )
    if actor.has({Role.STYRGRUPP}) and actor.has(ADOPTED_ROLES):
        latest = (
            queries.pictures(actor)
            .filter(status=PictureStatus.ADOPTED)
            .order_by("-adopted_at", "-id")
            .first()
        )
        out.append(
            Card(
                key="adopted",
                title=_("Senast antagna lägesbild"),
                lines=[
                    Line(
                        _("Lägesbild %(p)s") % {"p": latest.period_label},
                        reverse("situation-detail", args=[latest.pk]),
                        _("antagen %(d)s") % {"d": f"{latest.adopted_at:%Y-%m-%d}"}
                        if latest.adopted_at
                        else "",
                    )
                ]
                if latest
                else [],
                empty=_("Ingen lägesbild är antagen ännu."),
                more_url=reverse("situation-list"),
                more_text=_("Alla antagna lägesbilder"),
                order=10,
            )
        )
    return out
