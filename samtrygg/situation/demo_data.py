"""The lägesbild of the demo: co-signing on (the kommunpolis co-signs, as the README says) and
the last full week's picture drafted by the samordnare, assessed, adopted and co-signed.

Loaded after the reports, actions and police events (``samtrygg loaddemo``); idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.core import services as core_services
from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import demo_member, register_last_demo_loader
from samtrygg.core.models import Partnership, Role
from samtrygg.situation import queries, services

ASSESSMENT = (
    "Oroligt i centrum på helgkvällarna: fler rapporter än vanligt och heta punkter kring "
    "torget. Lugnt i övriga delområden. Vuxennärvaro och rondering pågår. (demo)"
)


def last_full_week(today: dt.date | None = None) -> Period:
    monday = (today or timezone.localdate()) - dt.timedelta(days=7)
    year, week, _day = monday.isocalendar()
    return Period.week(year, week)


def load_partnership(partnership: Partnership) -> bool:
    """Co-signing on and the last full week adopted and co-signed; False when already there."""
    samordnare = demo_member(partnership, Role.SAMORDNARE)
    polis = demo_member(partnership, Role.KOMMUNPOLIS)
    if samordnare is None or polis is None:
        return False
    period = last_full_week()
    if queries.adopted_for(samordnare, period.unit, period.index) is not None:
        return False
    with transaction.atomic():
        if not partnership.requires_police_cosign:
            core_services.update_partnership_settings(
                system_actor(partnership),
                min_public_count=partnership.min_public_count,
                requires_police_cosign=True,
            )
            samordnare.partnership.requires_police_cosign = True
        picture = queries.open_draft(samordnare, period.unit, period.index)
        if picture is None:
            picture = services.draft(samordnare, period)
        services.set_assessment(samordnare, picture, ASSESSMENT)
        picture = services.adopt(samordnare, picture)
        services.cosign(polis, picture)
    return True


@register_last_demo_loader
def load_demo_picture(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        period = last_full_week()
        if load_partnership(partnership):
            stdout.write(
                f"Demolägesbild: {period.label_sv} antagen och kontrasignerad i "
                f"{partnership.name}.\n"
            )
        else:
            stdout.write(f"Demolägesbilden {period.label_sv} i {partnership.name} fanns redan.\n")
