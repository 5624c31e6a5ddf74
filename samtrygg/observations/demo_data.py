"""Demo reports: a realistic year of EST reports for Orsa and Gislaved (demo data).

Deterministic (a seeded numpy generator per kommun) and dated relative to the day the demo
is loaded, so "this week" always has reports. Over 52 weeks, across the delområden, time
bands and categories, with seasonality (more in summer, more on Friday and Saturday
evenings), and planted patterns for the lägesbild:

* an emerging hot spot in Orsa Centrum around the bus station, rising over the last 6 weeks;
* an emerging hot spot in Anderstorp (Gislaved), rising over the last 6 weeks;
* a quiet area, Grönklitt, with hardly anything all year.

Every report and observation is marked ``is_demo``. Loading is idempotent (skipped when the
partnership already has demo observations) and fast (bulk inserts).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from samtrygg.core import geo
from samtrygg.core.demo import register_demo_loader
from samtrygg.core.models import Area, Membership, Organisation, Partnership, Place, Role
from samtrygg.observations.models import (
    Category,
    Channel,
    LocationPrecision,
    Observation,
    Report,
    Source,
)
from samtrygg.observations.services import ensure_defaults
from samtrygg.observations.timebands import STOCKHOLM, bands_from_config

DAYS = 364

# Weekly reports per delområde (before seasonality).
AREA_RATES = {
    "Centrum": 17.0,
    "Norra Orsa": 8.0,
    "Hansjö": 5.0,
    "Skattungbyn": 3.0,
    "Grönklitt": 0.04,
    "Gislaved centrum": 19.0,
    "Anderstorp": 9.0,
    "Smålandsstenar": 9.0,
    "Reftele": 4.0,
    "Burseryd": 2.0,
}


@dataclass(frozen=True)
class HotSpot:
    """An emerging hot spot: extra reports near a point, rising over the last weeks."""

    area: str
    lat: float
    lon: float
    radius_m: float
    weeks: int
    start_per_day: float
    end_per_day: float
    categories: tuple[str, ...]


HOT_SPOTS = {
    "2034": HotSpot(
        "Centrum",
        61.1196,
        14.6190,
        140,
        6,
        0.25,
        2.2,
        ("samling-av-personer", "narkotika", "berusning", "skadegorelse", "nedskrapning"),
    ),
    "0662": HotSpot(
        "Anderstorp",
        57.2835,
        13.6355,
        160,
        6,
        0.25,
        2.4,
        ("buskorning-trafik", "samling-av-personer", "skadegorelse", "klotter"),
    ),
}
QUIET_AREA = "Grönklitt"

CATEGORY_WEIGHTS = {
    "klotter": 14,
    "skadegorelse": 14,
    "nedskrapning": 12,
    "samling-av-personer": 12,
    "otrygg-plats": 8,
    "berusning": 7,
    "buskorning-trafik": 7,
    "narkotika": 6,
    "stold-och-inbrott": 6,
    "hot-och-vald": 4,
    "ovrigt": 3,
    "brand": 2,
    "stenkastning": 2,
    "incident-mot-personal": 2,
    "ryktesspridning": 1.5,
    "evenemang": 1.5,
}

TEXTS = {
    "skadegorelse": (
        "Krossad ruta i busskuren vid {p}.",
        "Sönderslagen papperskorg vid {p}.",
        "Vandaliserad belysningsstolpe vid {p}.",
        "Sparkade och skadade dörrar vid {p}.",
    ),
    "klotter": (
        "Nytt klotter på fasaden vid {p}.",
        "Taggar på elskåp och skyltar vid {p}.",
        "Klotter på lekplatsens utrustning vid {p}.",
    ),
    "nedskrapning": (
        "Mycket skräp och tomflaskor kvar efter kvällen vid {p}.",
        "Nedskräpat runt bänkarna vid {p}.",
        "Glasskärvor på gångvägen vid {p}.",
    ),
    "brand": (
        "Brand i papperskorg vid {p}, släckt av personal.",
        "Anlagd brand i container vid {p}.",
    ),
    "stenkastning": (
        "Stenar kastade mot bussen vid {p}.",
        "Stenkastning mot fönster vid {p}.",
    ),
    "otrygg-plats": (
        "Trasig belysning gör gångvägen vid {p} mörk.",
        "Buskage skymmer sikten vid {p}.",
        "Ödsligt och mörkt vid {p} på kvällen.",
    ),
    "samling-av-personer": (
        "Grupp ungdomar samlas vid {p} sent på kvällen, hög ljudnivå.",
        "Samling av personer vid {p}, förbipasserande upplever det otryggt.",
        "Ett tiotal unga samlades vid {p} med musik och mopeder.",
    ),
    "narkotika": (
        "Misstänkt narkotikaförsäljning vid {p}.",
        "Cannabislukt och misstänkt langning vid {p}.",
        "Förpackningar som tyder på narkotikahantering hittade vid {p}.",
    ),
    "berusning": (
        "Berusade personer vid {p} under eftermiddagen.",
        "Alkoholförtäring och högljudda personer vid {p}.",
    ),
    "hot-och-vald": (
        "Bråk mellan några personer vid {p}, polis tillkallad.",
        "Hotfull stämning vid {p} efter stängning.",
    ),
    "stold-och-inbrott": (
        "Inbrott i förråd vid {p}.",
        "Flera cykelstölder vid {p}.",
        "Försök till inbrott i källarförråd vid {p}.",
    ),
    "buskorning-trafik": (
        "A-traktorer kör vårdslöst vid {p}.",
        "Mopeder kör på gångbanan vid {p}.",
        "Hög fart och buskörning vid {p} på kvällen.",
    ),
    "incident-mot-personal": (
        "Personal blev utskälld vid {p}.",
        "Hot mot personal i entrén vid {p}.",
    ),
    "ryktesspridning": (
        "Rykte i sociala medier om en händelse vid {p} som inte stämmer.",
        "Inlägg i sociala medier om otrygghet vid {p} sprids.",
    ),
    "evenemang": (
        "Evenemang vid {p} med många besökare, lugnt.",
        "Marknad vid {p}, mycket folk på kvällen.",
    ),
    "ovrigt": (
        "Övergiven cykel vid {p}.",
        "Lösa hundar vid {p}.",
        "Kundvagnar utspridda vid {p}.",
    ),
}
SEVERE_ODDS = (0.1, 0.3, 0.4, 0.2)
MILD_ODDS = (0.3, 0.45, 0.2, 0.05)
SEVERE = {"hot-och-vald", "narkotika", "brand", "incident-mot-personal", "stenkastning"}
GROUPS = {"samling-av-personer", "berusning", "evenemang", "buskorning-trafik"}

BANDS = ("morgon", "dag", "kvall", "natt")
BAND_WEIGHTS = np.array([0.10, 0.27, 0.38, 0.25])
HOT_BAND_WEIGHTS = np.array([0.03, 0.17, 0.50, 0.30])
SOURCES = (Source.OWN, Source.RESIDENTS, Source.SOCIAL_MEDIA, Source.POLICE_REPORT)
SOURCE_WEIGHTS = np.array([0.70, 0.16, 0.09, 0.05])
# Friday and Saturday evenings are busier; Monday–Thursday calmer.
WEEKDAY_FACTOR = np.array([0.85, 0.85, 0.85, 0.9, 1.35, 1.45, 1.0])


def _point_near(rng: random.Random, lat: float, lon: float, radius_m: float) -> tuple[float, float]:
    """A uniformly random point within ``radius_m`` of (lat, lon)."""
    r = radius_m * math.sqrt(rng.random())
    angle = 2 * math.pi * rng.random()
    dlat = r * math.sin(angle) / 111_320.0
    dlon = r * math.cos(angle) / (111_320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _area_centre(area: Area) -> tuple[float, float, float]:
    """Centre and inner radius (m) of a demo delområde (a hexagon)."""
    ring = area.geometry["coordinates"][0][:-1]
    lat = sum(p[1] for p in ring) / len(ring)
    lon = sum(p[0] for p in ring) / len(ring)
    corner_m = math.dist(
        ((ring[0][0] - lon) * 111_320.0 * math.cos(math.radians(lat)), 0.0),
        (0.0, (ring[0][1] - lat) * 111_320.0),
    )
    return lat, lon, 0.8 * corner_m


def _exact_time(band: str, instant: dt.datetime) -> dict[str, Any]:
    """A report's time when the moment is known (in ``band``)."""
    return {
        "time_band": band,
        "time_exact": True,
        "occurred_at": instant,
        "occurred_start": instant,
        "occurred_end": instant,
    }


class _Builder:
    """Builds one partnership's demo reports in memory, then inserts them in bulk."""

    def __init__(self, partnership: Partnership, today: dt.date, now: dt.datetime) -> None:
        self.partnership = partnership
        self.today = today
        self.now = now
        seed = int(partnership.municipality_id) * 7919 + 20251
        self.rng = np.random.default_rng(seed)
        self.random = random.Random(seed)  # noqa: S311 - demo data, not for security
        self._cumulative: dict[int, list[float]] = {}
        self.geometry = geo.geometry_for(partnership)
        self.categories = {c.slug: c for c in Category.objects.filter(partnership=partnership)}
        slugs = [s for s in CATEGORY_WEIGHTS if s in self.categories]
        weights = np.array([CATEGORY_WEIGHTS[s] for s in slugs], dtype=float)
        self.slugs, self.cat_p = slugs, weights / weights.sum()
        self.bands = {b.key: b for b in bands_from_config(ensure_defaults(partnership).time_bands)}
        self.areas = list(Area.objects.filter(partnership=partnership).order_by("name"))
        self.places_by_area: dict[int | None, list[Place]] = {}
        for place in Place.objects.filter(partnership=partnership).order_by("name"):
            self.places_by_area.setdefault(place.area_id, []).append(place)
        self.orgs = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
        # Who filed: a rapportör of the organisation, else its samordnare or kommunpolis.
        self.reporters: dict[int, Any] = {}
        rank = {Role.RAPPORTOR: 0, Role.SAMORDNARE: 1, Role.KOMMUNPOLIS: 2}
        memberships = sorted(
            Membership.objects.filter(partnership=partnership, role__in=list(rank)).select_related(
                "user"
            ),
            key=lambda m: (rank[Role(m.role)], m.pk),
        )
        for m in memberships:
            self.reporters.setdefault(m.organisation_id, m.user)
        weights = np.array(
            [
                3.0 if o.pk in self.reporters and o.type != "kommunforvaltning" else 1.0
                for o in self.orgs
            ]
        )
        self.org_p = weights / weights.sum()
        self.reviewer = next(
            (
                m.user
                for m in Membership.objects.filter(
                    partnership=partnership, role=Role.SAMORDNARE
                ).select_related("user")
            ),
            None,
        )
        self.rows: list[dict[str, Any]] = []

    def choice(self, items: Any, p: Any = None) -> Any:
        """One of ``items`` (weighted by ``p``), from the seeded generator; fast for loops."""
        if p is None:
            return items[int(self.random.random() * len(items))]
        key = id(p)
        cumulative = self._cumulative.get(key)
        if cumulative is None:
            cumulative = self._cumulative[key] = list(itertools.accumulate(float(x) for x in p))
        index = bisect.bisect_right(cumulative, self.random.random() * cumulative[-1])
        return items[min(index, len(items) - 1)]

    def when(self, day: dt.date, band_p: Any) -> dict[str, Any]:
        """A band (and sometimes an exact time in it) on ``day``, never in the future."""
        local_now = timezone.localtime(self.now, STOCKHOLM)
        if day == self.today:
            latest = max(0, local_now.hour * 60 + local_now.minute - 10)
            minute = self.random.randrange(0, latest + 1)
            moment = dt.time(minute // 60, minute % 60)
            band = next((b for b in self.bands.values() if b.contains(moment)), None)
            instant = dt.datetime.combine(day, moment, tzinfo=STOCKHOLM).astimezone(dt.UTC)
            return _exact_time(band.key if band else "", instant)
        key = self.choice(BANDS, band_p)
        band = self.bands.get(key) or next(iter(self.bands.values()))
        start, end = band.window(day)
        passed = self.now - dt.timedelta(minutes=10)
        # Yesterday's night is not over yet just after midnight: only a time in it so far.
        if end > passed or self.random.random() < 0.3:
            span = int((min(end, passed) - start).total_seconds() // 60)
            instant = start + dt.timedelta(minutes=self.random.randrange(0, max(span, 1)))
            return _exact_time(band.key, instant)
        return {
            "time_band": band.key,
            "time_exact": False,
            "occurred_at": start + (end - start) / 2,
            "occurred_start": start,
            "occurred_end": end,
        }

    def where(self, area: Area, near: tuple[float, float, float] | None = None) -> dict[str, Any]:
        places = self.places_by_area.get(area.pk, [])
        roll = float(self.random.random())
        if near is None and places and roll < 0.4:
            place = self.choice(places)
            return {
                "place": place,
                "lat": place.lat,
                "lon": place.lon,
                "area_id": place.area_id,
                "h3_cell": place.h3_cell,
                "location_precision": LocationPrecision.PLACE,
                "label": place.name,
            }
        lat0, lon0, radius = near or _area_centre(area)
        lat, lon = _point_near(self.random, lat0, lon0, radius)
        located = self.geometry.locate(lat, lon)
        label = area.name
        if places:
            nearest = min(places, key=lambda p: (p.lat - lat) ** 2 + (p.lon - lon) ** 2)
            if abs(nearest.lat - lat) < 0.003 and abs(nearest.lon - lon) < 0.005:
                label = nearest.name
        return {
            "place": None,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "area_id": located.area_id,
            "h3_cell": located.h3_cell,
            "location_precision": LocationPrecision.POSITION
            if roll > 0.9
            else LocationPrecision.POINT,
            "label": label,
        }

    def add(self, day: dt.date, area: Area, slug: str, *, hot: HotSpot | None = None) -> None:
        timing = self.when(day, HOT_BAND_WEIGHTS if hot else BAND_WEIGHTS)
        near = (hot.lat, hot.lon, hot.radius_m) if hot else None
        place = self.where(area, near)
        label = place.pop("label")
        text = self.choice(TEXTS[slug]).format(p=label)
        severe = slug in SEVERE
        assessment = int(self.choice((1, 2, 3, 4), SEVERE_ODDS if severe else MILD_ODDS))
        if hot:
            assessment = min(4, assessment + 1)
        people = None
        if slug in GROUPS:
            people = self.random.randrange(3, 16)
        elif self.random.random() < 0.3:
            people = self.random.randrange(1, 4)
        source = self.choice(SOURCES, SOURCE_WEIGHTS)
        police = bool(source == Source.POLICE_REPORT or (severe and self.random.random() < 0.35))
        org = self.choice(self.orgs, self.org_p)
        age = (self.today - day).days
        reviewed = self.random.random() < (0.85 if age > 14 else 0.3)
        self.rows.append(
            {
                "org": org,
                "day": day,
                "values": {
                    "category": self.categories[slug],
                    "occurred_on": day,
                    **timing,
                    **place,
                    "description": text,
                    "assessment": assessment,
                    "people_count": people,
                    "source": str(source),
                    "police_reported": police,
                    "reviewed_at": timing["occurred_end"] + dt.timedelta(days=2)
                    if reviewed and age > 2
                    else None,
                    "reviewed_by": self.reviewer if reviewed and age > 2 else None,
                },
            }
        )

    def build(self) -> None:
        code = self.partnership.municipality_id
        hot = HOT_SPOTS.get(code)
        for offset in range(DAYS, -1, -1):
            day = self.today - dt.timedelta(days=offset)
            season = 1.0 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 195) / 365.0)
            factor = season * WEEKDAY_FACTOR[day.weekday()]
            for area in self.areas:
                rate = AREA_RATES.get(area.name, 3.0)
                if area.name == QUIET_AREA and offset < 120:
                    continue  # nothing at all lately
                count = int(self.rng.poisson(rate / 7.0 * factor))
                for _ in range(count):
                    self.add(day, area, self.choice(self.slugs, self.cat_p))
            if hot is not None and offset < hot.weeks * 7:
                progress = 1.0 - offset / (hot.weeks * 7)
                lam = hot.start_per_day + (hot.end_per_day - hot.start_per_day) * progress
                hot_area = next((a for a in self.areas if a.name == hot.area), None)
                if hot_area is not None:
                    for _ in range(int(self.rng.poisson(lam * WEEKDAY_FACTOR[day.weekday()]))):
                        slug = self.choice([s for s in hot.categories if s in self.categories])
                        self.add(day, hot_area, slug, hot=hot)
        # This week always has reports, whatever weekday the demo is loaded.
        monday = self.today - dt.timedelta(days=self.today.weekday())
        this_week = sum(1 for r in self.rows if r["day"] >= monday)
        central = max(self.areas, key=lambda a: AREA_RATES.get(a.name, 0.0))
        for _ in range(max(0, 12 - this_week)):
            day = monday + dt.timedelta(days=self.random.randrange(0, self.today.weekday() + 1))
            self.add(day, central, self.choice(self.slugs, self.cat_p))

    def save(self) -> int:
        """Group rows into reports (same organisation and day) and insert everything."""
        self.rows.sort(key=lambda r: (r["day"], r["org"].pk, r["values"]["occurred_at"]))
        reports: list[Report] = []
        members: list[list[dict[str, Any]]] = []
        for row in self.rows:
            if (
                members
                and members[-1][0]["org"].pk == row["org"].pk
                and members[-1][0]["day"] == row["day"]
                and len(members[-1]) < 3
                and self.random.random() < 0.35
            ):
                members[-1].append(row)
                continue
            last_end = row["values"]["occurred_end"]
            created = min(
                self.now - dt.timedelta(minutes=1),
                last_end + dt.timedelta(minutes=self.random.randrange(20, 20 * 60)),
            )
            reports.append(
                Report(
                    partnership=self.partnership,
                    organisation=row["org"],
                    reporter=self.reporters.get(row["org"].pk),
                    created_at=created,
                    channel=Channel.DEMO,
                    is_demo=True,
                )
            )
            members.append([row])
        Report.objects.bulk_create(reports, batch_size=1000)
        observations = [
            Observation(
                report=report,
                partnership=self.partnership,
                organisation=row["org"],
                is_demo=True,
                created_at=report.created_at,
                **row["values"],
            )
            for report, group in zip(reports, members, strict=True)
            for row in group
        ]
        Observation.objects.bulk_create(observations, batch_size=1000)
        return len(observations)


def load_partnership(partnership: Partnership, *, now: dt.datetime | None = None) -> int:
    """Load one partnership's demo reports (idempotent); returns how many were created."""
    if Observation.objects.filter(partnership=partnership, is_demo=True).exists():
        return 0
    ensure_defaults(partnership)
    now = now or timezone.now()
    builder = _Builder(partnership, timezone.localtime(now, STOCKHOLM).date(), now)
    builder.build()
    with transaction.atomic():
        return builder.save()


@register_demo_loader
def load_demo_observations(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        created = load_partnership(partnership)
        if created:
            stdout.write(f"Demorapporter: {created} händelser i {partnership.name}.\n")
        else:
            stdout.write(f"Demorapporter i {partnership.name} fanns redan.\n")
