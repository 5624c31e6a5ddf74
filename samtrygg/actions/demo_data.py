"""Demo content for meetings, actions and safety walks in Orsa and Gislaved (demo data).

Dated relative to the day the demo is loaded: last week's EST meeting with attendance, notes
and a decision that created two actions (one a police patrol that must not be published),
a few actions of the period (one done, one overdue), and an evening safety walk with a route
and findings. Everything is written through the services and labelled demo; loading is
idempotent (skipped when the partnership already has demo actions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions import services
from samtrygg.actions.models import Action, ActionStatus, SafetyWalk, WalkStatus
from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import register_demo_loader
from samtrygg.core.models import Area, Organisation, Partnership
from samtrygg.core.permissions import Actor

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


def add_demo_findings(
    actor: Actor,
    walk: SafetyWalk,
    findings: Iterable[tuple[str, float, float, str]],
    *,
    responsible: int | None,
) -> None:
    """Each (type, lat, lon, description) as a finding of ``walk``, for ``responsible`` to fix
    and report back to the participants."""
    for kind, lat, lon, text in findings:
        services.add_finding(
            actor,
            walk,
            type=kind,
            lat=lat,
            lon=lon,
            description=text,
            proposal=_("Åtgärda och återrapportera till deltagarna."),
            responsible=responsible,
        )


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
        add_demo_findings(actor, walk, spec["findings"], responsible=orgs["kommun"].pk)
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


# --- the effect of actions -----------------------------------------------------------------

# kommun code -> (the delområde that calmed down after adult presence, the one whose action
# started right after a peak).
EFFECT_AREAS = {"2034": ("Norra Orsa", "Hansjö"), "0662": ("Smålandsstenar", "Reftele")}
CALM_WEEKS_AGO = 12  # the calm-down action started this many weeks before this week
PEAK_WEEKS_AGO = 6  # the action after a peak started this many weeks before this week


def load_effect_partnership(partnership: Partnership) -> int:
    """Two finished adult-presence actions whose reports tell their story: in the first
    delområde reports of the action's categories ran at about nine more a week for most of a
    year and stopped when the action started (and a little less around it, too); in the
    second, four weeks of extra reports came right before the action started (a peak, so
    its block carries the regression-to-the-mean warning). Deterministic (the reports'
    seeded generator); 0 when already loaded."""
    from samtrygg.actions.effect import DEFAULT_CATEGORY_SLUGS
    from samtrygg.observations.demo_data import HotSpot, _area_centre, _Builder
    from samtrygg.observations.demo_data import load_partnership as load_reports
    from samtrygg.observations.timebands import STOCKHOLM

    names = EFFECT_AREAS.get(partnership.municipality_id)
    if names is None:
        return 0
    areas = {a.name: a for a in Area.objects.filter(partnership=partnership, name__in=names)}
    if (
        len(areas) < 2
        or Action.objects.filter(
            partnership=partnership, is_demo=True, type="vuxennarvaro", area=areas[names[0]]
        ).exists()
    ):
        return 0
    calm, peak = areas[names[0]], areas[names[1]]
    # The year of demo reports first, whichever loader runs first: it skips a partnership
    # that already has demo reports, and these would be the only ones.
    load_reports(partnership)
    actor = system_actor(partnership)
    orgs = _organisations(partnership)
    now = timezone.now()
    builder = _Builder(partnership, timezone.localtime(now, STOCKHOLM).date(), now)
    builder.random.seed(int(partnership.municipality_id) * 31 + 7)
    slugs = [s for s in DEFAULT_CATEGORY_SLUGS["vuxennarvaro"] if s in builder.categories]
    today = builder.today
    monday = today - dt.timedelta(days=today.weekday())
    calm_start = monday - dt.timedelta(weeks=CALM_WEEKS_AGO)
    peak_start = monday - dt.timedelta(weeks=PEAK_WEEKS_AGO)

    def spread(first: dt.date, weeks: int, per_week: int, area: Area, near: Any = None) -> None:
        for week in range(weeks):
            for n in range(per_week):
                day = first + dt.timedelta(weeks=week, days=(n * 3 + week) % 7)
                if day <= today:
                    builder.add(day, area, slugs[(n + week) % len(slugs)], hot=near)

    # the calm-down: 9 more a week in the delområde for 40 weeks before the start, none after
    spread(calm_start - dt.timedelta(weeks=40), 40, 9, calm)
    # around it (just north of the hexagon): 4 a week before, 2 a week after
    lat, lon, inner = _area_centre(calm)
    ring = HotSpot(calm.name, lat + (inner / 0.8 + 250) / 111_320.0, lon, 120, 1, 0, 0, ())
    spread(calm_start - dt.timedelta(weeks=CALM_WEEKS_AGO), CALM_WEEKS_AGO, 4, calm, ring)
    spread(calm_start, CALM_WEEKS_AGO, 2, calm, ring)
    # the peak: 14 more a week in the four weeks before the second action
    spread(peak_start - dt.timedelta(weeks=4), 4, 14, peak)
    with transaction.atomic():
        created = builder.save()
        done = []
        for area, start, weeks, title in (
            (calm, calm_start, 8, _("Vuxennärvaro i %(a)s på helgkvällar")),
            (peak, peak_start, 4, _("Vuxennärvaro i %(a)s efter oroliga veckor")),
        ):
            action = services.create_action(
                actor,
                services.ActionSpec(
                    title=title % {"a": area.name},
                    type="vuxennarvaro",
                    owner=orgs["kommun"].pk,
                    start_date=start,
                    end_date=start + dt.timedelta(weeks=weeks, days=-1),
                    planned_count=2 * weeks,
                    area=area.pk,
                ),
            )
            services.record_progress(
                actor,
                action,
                status=ActionStatus.GENOMFORD,
                done_count=2 * weeks,
                outcome=_("Vuxna fanns på plats fredag och lördag kväll."),
            )
            done.append(action.pk)
        Action.objects.filter(pk__in=done).update(is_demo=True)
    return created


@register_demo_loader
def load_demo_effect(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        created = load_effect_partnership(partnership)
        if created:
            stdout.write(
                f"Demoeffekt: två insatser med vuxennärvaro och {created} händelser "
                f"kring dem i {partnership.name}.\n"
            )
