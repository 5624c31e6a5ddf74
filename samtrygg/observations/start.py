"""The reporting part of the start page: "Rapportera" and the recent reports with their
feedback for a rapportör, the reports waiting for review for the coordinators."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samtrygg.core.models import Role
from samtrygg.core.permissions import Actor
from samtrygg.core.start import Card, Line
from samtrygg.observations import queries
from samtrygg.observations.models import Observation
from samtrygg.observations.roles import REPORT_ROLES, REVIEW_ROLES

RECENT = 5


def feedback_of(obs: Observation) -> str:
    """What has become of a report, in a few words."""
    if obs.merged_into_id:
        return _("slogs ihop med händelse %(n)d") % {"n": obs.merged_into_id}
    actions = [a.title for a in obs.actions.all()]
    if actions:
        return _("ingår i insatsen %(t)s") % {"t": ", ".join(actions)}
    if obs.reviewed_at:
        return _("granskad")
    return _("ej granskad ännu")


def cards(actor: Actor) -> list[Card]:
    out: list[Card] = []
    if actor.has({Role.RAPPORTOR}):
        recent = (
            queries.observations(actor, queries.ObservationFilter(include_merged=True))
            .select_related("category")
            .prefetch_related("actions")
            .order_by("-created_at")[:RECENT]
        )
        out.append(
            Card(
                key="report",
                title=_("Rapportera"),
                button_url=reverse("report-create"),
                button_text=_("Rapportera en händelse"),
                lines=[
                    Line(
                        f"{obs.occurred_on:%Y-%m-%d} · {obs.category.name}",
                        reverse("observation-detail", args=[obs.pk]),
                        feedback_of(obs),
                    )
                    for obs in recent
                ],
                empty=_("Inga rapporter från din organisation ännu."),
                more_url=reverse("situation-feedback"),
                more_text=_("Återkoppling på era rapporter"),
                order=10,
            )
        )
    elif actor.has(REPORT_ROLES) and not actor.has(REVIEW_ROLES):
        out.append(
            Card(
                key="report",
                title=_("Rapportera"),
                button_url=reverse("report-create"),
                button_text=_("Rapportera en händelse"),
                order=10,
            )
        )
    if actor.has(REVIEW_ROLES):
        waiting = queries.observations(actor, queries.ObservationFilter(reviewed=False))
        out.append(
            Card(
                key="unreviewed",
                title=_("Ogranskade rapporter"),
                count=waiting.count(),
                lines=[
                    Line(
                        f"{obs.occurred_on:%Y-%m-%d} · {obs.category.name}"
                        + (f" · {obs.area.name}" if obs.area else ""),
                        reverse("observation-detail", args=[obs.pk]),
                    )
                    for obs in waiting.select_related("category", "area").order_by("-occurred_at")[
                        :RECENT
                    ]
                ],
                empty=_("Alla rapporter är granskade."),
                more_url=reverse("observation-list") + "?granskad=nej",
                more_text=_("Alla ogranskade"),
                order=20,
            )
        )
    return out
