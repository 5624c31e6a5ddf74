"""The residents demo: the felanmälan target, tips about places (one waiting more than seven
days, one with an e-mail address for the answer, one already made a report) and a claim with
a published fact answer, written by the samordnare and approved by the kommunpolis.

Loaded after the reports (``samtrygg loaddemo``); idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from samtrygg.core.demo import demo_member, register_final_demo_loader
from samtrygg.core.models import Partnership, Role
from samtrygg.core.weeks import iso_week
from samtrygg.residents import services
from samtrygg.residents.models import Claim, Tip

FELANMALAN = {
    "2034": ("Orsa kommuns felanmälan (demo)", "felanmalan@orsa.demo.example"),
    "0662": ("Gislaveds kommuns felanmälan (demo)", "felanmalan@gislaved.demo.example"),
}
TIPS = [
    (
        "otrygg-plats",
        "Belysningen längs gångvägen bakom skolan är trasig, helt mörkt på kvällarna. (demo)",
        9,
        "",
    ),
    (
        "klotter",
        "Mycket klotter på tunneln under järnvägen, det har spridit sig sista veckan. (demo)",
        2,
        "boende@demo.example",
    ),
    (
        "nedskrapning",
        "Papperskorgarna vid busshållplatsen är överfulla, det blåser skräp överallt. (demo)",
        1,
        "",
    ),
    (
        "samling-av-personer",
        "Stora samlingar på parkeringen vid badplatsen sena kvällar, otryggt att gå förbi. (demo)",
        3,
        "",
    ),
]


def load_partnership(partnership: Partnership) -> bool:
    """The demo tips and fact answer of one partnership; False when already there."""
    samordnare = demo_member(partnership, Role.SAMORDNARE)
    polis = demo_member(partnership, Role.KOMMUNPOLIS)
    if samordnare is None or polis is None:
        return False
    if Tip.objects.filter(partnership=partnership, is_demo=True).exists():
        return False
    name, email = FELANMALAN.get(
        partnership.municipality_id, ("Kommunens felanmälan (demo)", "felanmalan@demo.example")
    )
    places = list(partnership.places.order_by("name"))
    if not places:
        return False
    now = timezone.now()
    with transaction.atomic():
        services.update_settings(
            samordnare, fault_report_name=name, fault_report_email=email, contact_days=90
        )
        made = []
        for index, (category, text, days_ago, contact) in enumerate(TIPS):
            place = places[index % len(places)]
            tip = services.submit_tip(
                partnership,
                services.TipInput(
                    category=category,
                    place_kind="plats",
                    place=place.pk,
                    description=text,
                    contact_email=contact,
                ),
            )
            Tip.objects.filter(pk=tip.pk).update(
                is_demo=True, created_at=now - dt.timedelta(days=days_ago)
            )
            made.append(tip)
        services.close_tip(
            samordnare,
            Tip.objects.get(pk=made[2].pk),
            reason="Papperskorgarna töms nu två gånger i veckan. (demo)",
        )
        klotter = partnership.observation_categories.filter(slug__in=["klotter", "skadegorelse"])
        claim = services.record_claim(
            samordnare,
            services.ClaimInput(
                channel="sociala_medier",
                seen_on=timezone.localdate() - dt.timedelta(days=2),
                period=iso_week(timezone.localdate() - dt.timedelta(days=7)),
                categories=[c.pk for c in klotter],
                wording=(
                    "Klottret och skadegörelsen har exploderat i hela kommunen förra veckan. (demo)"
                ),
            ),
        )
        answer = services.write_answer(
            samordnare,
            claim,
            verdict="stammer_delvis",
            text=(
                "Samverkans rapporter och polisens publicerade händelser visar fler fall av "
                "klotter och skadegörelse än en vanlig vecka, men inte i hela kommunen: "
                "ökningen gäller främst centrum. (demo)"
            ),
            sources="Samverkansparternas rapporter i Samtrygg; polisens publicerade händelser.",
        )
        services.approve_answer(polis, answer)
        Claim.objects.filter(pk=claim.pk).update(is_demo=True)
    return True


@register_final_demo_loader
def load_demo_residents(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        if load_partnership(partnership):
            stdout.write(f"Demotips och ett faktasvar i {partnership.name}.\n")
        else:
            stdout.write(f"Demotips i {partnership.name} fanns redan.\n")
