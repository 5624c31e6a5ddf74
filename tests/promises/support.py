"""Helpers for the promises tests: a drafted promise with items, signed for both parties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from samtrygg.core.dataio import system_actor


def draft_promise(t: Any, *, marker: str = "", start: dt.date | None = None, items: int = 3) -> Any:
    """A draft promise of the tenant with one focus area and ``items`` counted items
    (trygghetsvandringar, vuxennärvaro, trafikinsatser) over the whole kommun."""
    from samtrygg.promises import services

    actor = system_actor(t.partnership)
    start = start or dt.date.today() - dt.timedelta(days=30)
    promise = services.create_promise(
        actor,
        services.PromiseSpec(
            title=f"Medborgarlöfte {marker or t.marker}",
            starts_on=start,
            intro=f"Vi lovar att arbeta tillsammans {marker or t.marker}.",
            basis_tags=["medborgardialoger", "brottsstatistik"],
            basis_text="Medborgardialoger i centrum.",
        ),
    )
    area = services.add_focus_area(actor, promise, title="Trygghet i centrum")
    kinds = [
        ("Vi genomför trygghetsvandringar.", "trygghetsvandring", 4, "trygghetsvandringar"),
        ("Vuxna finns på plats på helgkvällar.", "vuxennarvaro", 20, "kvällar"),
        ("Polisen gör trafikinsatser.", "trafikinsats", 12, "insatser"),
    ]
    for text, kind, target, unit in kinds[:items]:
        services.add_item(
            actor,
            promise,
            services.ItemSpec(
                text=text, rule_types=[kind], target=target, unit=unit, focus_area=area.pk
            ),
        )
    return promise


def sign_all(t: Any, document: Any, day: dt.date | None = None) -> Any:
    from samtrygg.promises import services

    actor = system_actor(t.partnership)
    day = day or dt.date.today() - dt.timedelta(days=31)
    for party in document.party_keys():
        services.sign(
            actor, document, party=party, name=f"Namn {party}", title="Ordförande", signed_on=day
        )
    return document
