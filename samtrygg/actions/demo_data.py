"""Demo content for meetings, actions and safety walks in Orsa and Gislaved (demo data).

Dated relative to the day the demo is loaded: last week's EST meeting with attendance, notes
and a decision that created two actions (one a police patrol that must not be published),
a few actions of the period (one done, one overdue), and an evening safety walk with a route
and findings. Everything is written through the services and labelled demo; loading is
idempotent (skipped when the partnership already has demo actions).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions import services
from samtrygg.actions.models import Action, ActionStatus, SafetyWalk, WalkStatus
from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import register_demo_loader
from samtrygg.core.models import Area, Organisation, Partnership

DEMO = "(demo)"

# kommun code -> the places of the demo: the hot spot, the walk's route and its findings.
SPECS: dict[str, dict[str, Any]] = {
    "2034": {
        "area": "Centrum",
        "hotspot": "busstationen",
        "route": [(14.6075, 61.1180), (14.6110, 61.1195), (14.6148, 61.1203), (14.6190, 61.1196)],
        "findings": [
            ("belysning", 61.1186, 14.6088, "Trasig belysning på gångvägen genom Strandparken."),
            ("sikt", 61.1199, 14.6130, "Tät buskage skymmer sikten vid gångtunneln."),
            ("klotter", 61.1196, 14.6188, "Klotter på väntkuren vid busstationen."),
        ],
    },
    "0662": {
        "area": "Gislaved centrum",
        "hotspot": "Järnvägstorget",
        "route": [(13.5350, 57.3020), (13.5380, 57.3048), (13.5395, 57.3040), (13.5430, 57.3030)],
        "findings": [
            (
                "belysning",
                57.3024,
                13.5360,
                "Mörkt parti i Stadsparken, två armaturer ur funktion.",
            ),
            ("nedskrapning", 57.3041, 13.5397, "Nedskräpning kring bänkarna på Järnvägstorget."),
            ("otrygg_plats", 57.3031, 13.5428, "Ödslig passage bakom busstationen."),
        ],
    },
}


def _organisations(partnership: Partnership) -> dict[str, Organisation]:
    orgs = list(Organisation.objects.filter(partnership=partnership).order_by("pk"))
    by_type: dict[str, Organisation] = {}
    for org in orgs:
        kind = "polis" if org.name.startswith("Polisen") else org.type
        by_type.setdefault(kind, org)
    fallback = orgs[0]
    return {
        "kommun": by_type.get("kommunforvaltning", fallback),
        "polis": by_type.get("polis", fallback),
        "bostad": by_type.get("bostadsbolag", fallback),
    }


def load_partnership(partnership: Partnership) -> int:
    """Load the demo actions, meeting and walk of one partnership; 0 when already there."""
    spec = SPECS.get(partnership.municipality_id)
    if spec is None or Action.objects.filter(partnership=partnership, is_demo=True).exists():
        return 0
    actor = system_actor(partnership)
    orgs = _organisations(partnership)
    area = Area.objects.filter(partnership=partnership, name=spec["area"]).first()
    area_id = area.pk if area else None
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    last_week = monday - dt.timedelta(days=7)
    with transaction.atomic():
        meeting = services.create_meeting(
            actor,
            held_on=last_week + dt.timedelta(days=1),
            title=_("EST-möte %(demo)s") % {"demo": DEMO},
            location=_("Kommunhuset"),
        )
        services.set_attendance(
            actor, meeting, {orgs["kommun"].pk: 2, orgs["polis"].pk: 1, orgs["bostad"].pk: 1}
        )
        services.update_notes(
            actor,
            meeting,
            _(
                "Oroligt vid %(place)s på fredags- och lördagskvällar: samlingar av unga, "
                "nedskräpning och klotter. Lugnt i övriga delområden. %(demo)s"
            )
            % {"place": spec["hotspot"], "demo": DEMO},
        )
        services.add_decision(
            actor,
            meeting,
            text=_("Öka närvaron vid %(place)s under helgkvällarna i fyra veckor.")
            % {"place": spec["hotspot"]},
            actions=[
                services.ActionSpec(
                    title=_("Vuxennärvaro vid %(place)s") % {"place": spec["hotspot"]},
                    type="vuxennarvaro",
                    owner=orgs["kommun"].pk,
                    start_date=meeting.held_on,
                    end_date=meeting.held_on + dt.timedelta(days=28),
                    planned_count=8,
                    area=area_id,
                ),
                services.ActionSpec(
                    title=_("Polisens rondering vid %(place)s") % {"place": spec["hotspot"]},
                    type="rondering",
                    owner=orgs["polis"].pk,
                    start_date=meeting.held_on,
                    end_date=meeting.held_on + dt.timedelta(days=28),
                    planned_count=6,
                    area=area_id,
                    not_for_publication=True,
                ),
            ],
        )
        cleaning = services.create_action(
            actor,
            services.ActionSpec(
                title=_("Klottersanering i centrum"),
                type="fysisk_atgard",
                owner=orgs["bostad"].pk,
                start_date=last_week - dt.timedelta(days=14),
                end_date=last_week,
                area=area_id,
            ),
        )
        services.record_progress(
            actor,
            cleaning,
            status=ActionStatus.GENOMFORD,
            done_count=1,
            outcome=_("Klottret sanerat inom ett dygn."),
        )
        services.create_action(
            actor,
            services.ActionSpec(
                title=_("Informationsinsats till föräldrar"),
                type="informationsinsats",
                owner=orgs["kommun"].pk,
                start_date=last_week - dt.timedelta(days=21),
                end_date=last_week - dt.timedelta(days=3),
                area=area_id,
            ),
        )
        walk = services.create_walk(
            actor,
            title=_("Trygghetsvandring i centrum %(demo)s") % {"demo": DEMO},
            planned_for=dt.datetime.combine(
                last_week + dt.timedelta(days=2), dt.time(19), timezone.get_current_timezone()
            ),
            route={"type": "LineString", "coordinates": [list(p) for p in spec["route"]]},
            invited=[org.pk for org in orgs.values()],
            residents=12,
            area=area_id,
            is_demo=True,
        )
        for kind, lat, lon, text in spec["findings"]:
            services.add_finding(
                actor,
                walk,
                type=kind,
                lat=lat,
                lon=lon,
                description=text,
                proposal=_("Åtgärda och återrapportera till deltagarna."),
                responsible=orgs["kommun"].pk,
            )
        SafetyWalk.objects.filter(pk=walk.pk).update(
            status=WalkStatus.GENOMFORD,
            summary=_("Tolv boende deltog. Tre fynd, belysningen först. %(demo)s") % {"demo": DEMO},
        )
        Action.objects.filter(partnership=partnership).update(is_demo=True)
    return int(Action.objects.filter(partnership=partnership, is_demo=True).count())


@register_demo_loader
def load_demo_actions(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        created = load_partnership(partnership)
        if created:
            stdout.write(
                f"Demoinsatser: {created} insatser, ett möte och en trygghetsvandring "
                f"i {partnership.name}.\n"
            )
        else:
            stdout.write(f"Demoinsatser i {partnership.name} fanns redan.\n")
