"""The demo: Orsa kommun with LPO Mora, and Gislaveds kommun with its police area.

Partnerships, police areas and kommuner are real; the organisations, users, delområden and
places are invented for demonstration and marked ``is_demo`` (shown as "demo" in the UI).
Loading is idempotent: running it again changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from samtrygg.core import services
from samtrygg.core.dataio import system_actor
from samtrygg.core.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    Place,
    PoliceArea,
    PoliceRegion,
    Role,
)
from samtrygg.core.permissions import Actor, actor_for

DEMO_PASSWORD = "samtrygg-demo"  # noqa: S105 - printed at start; demo accounts only


@dataclass(frozen=True)
class DemoUser:
    email: str
    first: str
    last: str
    role: str
    org: str


def _hexagon(lat: float, lon: float, radius_m: float) -> dict[str, Any]:
    """A hexagon around a point, as a GeoJSON Polygon (demo delområden)."""
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * math.cos(math.radians(lat)))
    ring = [
        [
            round(lon + dlon * math.cos(math.radians(a)), 6),
            round(lat + dlat * math.sin(math.radians(a)), 6),
        ]
        for a in range(0, 360, 60)
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


ORSA = {
    "kommun": "2034",
    "lpo": ("LPO Mora", PoliceRegion.BERGSLAGEN, ["2062", "2034", "2039"]),
    "organisations": [
        ("Orsa kommun, kommunledningen", "kommunforvaltning"),
        ("Polisen, LPO Mora", "polis"),
        ("Det kommunala bostadsbolaget (demo)", "bostadsbolag"),
        ("Högstadieskolan (demo)", "skola"),
        ("Socialtjänstens fältarbetare (demo)", "kommunforvaltning"),
        ("Livsmedelsbutiken vid torget (demo)", "naringsidkare"),
    ],
    "users": [
        DemoUser(
            "samordnare.orsa@demo.example",
            "Sara",
            "Samordnare",
            Role.SAMORDNARE,
            "Orsa kommun, kommunledningen",
        ),
        DemoUser(
            "kommunpolis.mora@demo.example",
            "Kim",
            "Kommunpolis",
            Role.KOMMUNPOLIS,
            "Polisen, LPO Mora",
        ),
        DemoUser(
            "rapportor.bostad@demo.example",
            "Rasmus",
            "Rapportör",
            Role.RAPPORTOR,
            "Det kommunala bostadsbolaget (demo)",
        ),
        DemoUser(
            "rapportor.skola@demo.example",
            "Riya",
            "Rapportör",
            Role.RAPPORTOR,
            "Högstadieskolan (demo)",
        ),
        DemoUser(
            "rapportor.falt@demo.example",
            "Fredrik",
            "Fältarbetare",
            Role.RAPPORTOR,
            "Socialtjänstens fältarbetare (demo)",
        ),
        DemoUser(
            "rapportor.butik@demo.example",
            "Bea",
            "Butikschef",
            Role.RAPPORTOR,
            "Livsmedelsbutiken vid torget (demo)",
        ),
        DemoUser(
            "analytiker@demo.example",
            "Ali",
            "Analytiker",
            Role.ANALYTIKER,
            "Orsa kommun, kommunledningen",
        ),
        DemoUser(
            "styrgrupp.orsa@demo.example",
            "Stina",
            "Styrgrupp",
            Role.STYRGRUPP,
            "Orsa kommun, kommunledningen",
        ),
        DemoUser(
            "admin.orsa@demo.example",
            "Adam",
            "Administratör",
            Role.ADMINISTRATOR,
            "Orsa kommun, kommunledningen",
        ),
    ],
    "areas": [
        ("Centrum", 61.1205, 14.6160, 800, 2900),
        ("Norra Orsa", 61.1360, 14.6230, 700, 1400),
        ("Hansjö", 61.1500, 14.5800, 900, 900),
        ("Skattungbyn", 61.1900, 14.8700, 900, 350),
        ("Grönklitt", 61.2100, 14.5400, 1000, 60),
    ],
    "places": [
        ("Torget", "torg", 61.1203, 14.6148),
        ("Busstationen", "hallplats", 61.1196, 14.6190),
        ("Högstadieskolans skolgård", "skola", 61.1222, 14.6110),
        ("Strandparken", "park", 61.1180, 14.6075),
        ("Idrottsplatsen", "idrottsplats", 61.1375, 14.6260),
        ("Badplatsen i Hansjö", "badplats", 61.1510, 14.5760),
        ("Liftparkeringen i Grönklitt", "parkering", 61.2090, 14.5420),
    ],
}

GISLAVED = {
    "kommun": "0662",
    "lpo": ("LPO Gislaved", PoliceRegion.SYD, ["0662", "0617"]),
    "organisations": [
        ("Gislaveds kommun, trygghetsenheten", "kommunforvaltning"),
        ("Polisen, LPO Gislaved", "polis"),
        ("Det kommunala bostadsbolaget i Gislaved (demo)", "bostadsbolag"),
        ("Räddningstjänsten (demo)", "raddningstjanst"),
        ("Bevakningsföretaget (demo)", "bevakningsforetag"),
        ("Församlingen (demo)", "trossamfund"),
    ],
    "users": [
        DemoUser(
            "samordnare.gislaved@demo.example",
            "Gustav",
            "Samordnare",
            Role.SAMORDNARE,
            "Gislaveds kommun, trygghetsenheten",
        ),
        DemoUser(
            "kommunpolis.gislaved@demo.example",
            "Gunilla",
            "Kommunpolis",
            Role.KOMMUNPOLIS,
            "Polisen, LPO Gislaved",
        ),
        DemoUser(
            "rapportor.gislaved@demo.example",
            "Greta",
            "Rapportör",
            Role.RAPPORTOR,
            "Det kommunala bostadsbolaget i Gislaved (demo)",
        ),
        DemoUser(
            "rapportor.vakt@demo.example",
            "Viktor",
            "Väktare",
            Role.RAPPORTOR,
            "Bevakningsföretaget (demo)",
        ),
        DemoUser(
            "analytiker@demo.example",
            "Ali",
            "Analytiker",
            Role.ANALYTIKER,
            "Gislaveds kommun, trygghetsenheten",
        ),
        DemoUser(
            "styrgrupp.gislaved@demo.example",
            "Sven",
            "Styrgrupp",
            Role.STYRGRUPP,
            "Gislaveds kommun, trygghetsenheten",
        ),
        DemoUser(
            "admin.gislaved@demo.example",
            "Agnes",
            "Administratör",
            Role.ADMINISTRATOR,
            "Gislaveds kommun, trygghetsenheten",
        ),
    ],
    "areas": [
        ("Gislaved centrum", 57.3040, 13.5400, 900, 5200),
        ("Anderstorp", 57.2830, 13.6360, 1000, 4900),
        ("Smålandsstenar", 57.1630, 13.4100, 900, 3200),
        ("Reftele", 57.1800, 13.5900, 800, 1600),
        ("Burseryd", 57.1200, 13.2800, 700, 900),
    ],
    "places": [
        ("Järnvägstorget", "torg", 57.3040, 13.5395),
        ("Busstationen i Gislaved", "hallplats", 57.3030, 13.5430),
        ("Gallerian", "centrum", 57.3048, 13.5380),
        ("Stadsparken", "park", 57.3020, 13.5350),
        ("Anderstorps centrum", "centrum", 57.2835, 13.6355),
        ("Smålandsstenars skola", "skola", 57.1625, 13.4120),
    ],
}


def demo_member(partnership: Partnership, role: str) -> Actor | None:
    """The partnership's first active member with ``role``, acting in it (None when there is
    none): who writes an app's demo content as that role would."""
    membership = (
        Membership.objects.filter(partnership=partnership, role=role, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return actor_for(membership.user, partnership) if membership else None


def _load_one(spec: dict[str, Any]) -> Partnership:
    User = get_user_model()
    name, region, kommuner = spec["lpo"]
    lpo, _created = PoliceArea.objects.get_or_create(name=name, defaults={"region": region})
    lpo.municipalities.add(*kommuner)
    partnership = Partnership.objects.filter(municipality_id=spec["kommun"]).first()
    if partnership is None:
        from samtrygg.core import audit
        from samtrygg.core.models import AuditAction, Municipality

        municipality = Municipality.objects.get(code=spec["kommun"])
        partnership = Partnership.objects.create(
            municipality=municipality,
            police_area=lpo,
            is_demo=True,
            name=f"Samverkan för trygghet i {municipality.name}",
        )
        audit.record(None, AuditAction.CREATE, partnership, partnership=partnership)
    actor = system_actor(partnership)
    orgs = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    for org_name, org_type in spec["organisations"]:
        if org_name not in orgs:
            orgs[org_name] = services.create_organisation(
                actor, name=org_name, type=org_type, is_demo="(demo)" in org_name
            )
    for u in spec["users"]:
        user = User.objects.filter(email=u.email).first()
        if user is None:
            user = User(username=u.email, email=u.email, first_name=u.first, last_name=u.last)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Membership.objects.filter(user=user, partnership=partnership, role=u.role).exists():
            services.add_membership(actor, user=user, organisation=orgs[u.org], role=u.role)
    existing_areas = set(
        Area.objects.filter(partnership=partnership).values_list("name", flat=True)
    )
    for area_name, lat, lon, radius, population in spec["areas"]:
        if area_name not in existing_areas:
            services.create_area(
                actor,
                name=area_name,
                geometry=_hexagon(lat, lon, radius),
                population=population,
                is_demo=True,
            )
    existing_places = set(
        Place.objects.filter(partnership=partnership).values_list("name", flat=True)
    )
    for place_name, place_type, lat, lon in spec["places"]:
        if place_name not in existing_places:
            services.create_place(
                actor, name=place_name, type=place_type, lat=lat, lon=lon, is_demo=True
            )
    return partnership


def load_demo() -> list[Partnership]:
    """Load (or complete) both demo partnerships; idempotent."""
    with transaction.atomic():
        return [_load_one(ORSA), _load_one(GISLAVED)]


def demo_logins() -> list[tuple[str, str, str]]:
    """(e-mail, roles, partnerships) of every demo user, for printing at start."""
    rows: dict[str, tuple[set[str], set[str]]] = {}
    for spec in (ORSA, GISLAVED):
        users: list[DemoUser] = spec["users"]  # type: ignore[assignment]
        for u in users:
            roles, places = rows.setdefault(u.email, (set(), set()))
            roles.add(str(Role(u.role).label))
            places.add("Orsa" if spec is ORSA else "Gislaved")
    return [(email, ", ".join(sorted(r)), ", ".join(sorted(p))) for email, (r, p) in rows.items()]


DemoLoader = Any
DEMO_LOADERS: list[DemoLoader] = []


def register_demo_loader(func: DemoLoader) -> DemoLoader:
    """Apps add demo content (observations, events …) with this, in a ``demo_data`` module.

    The loader is called as ``func(partnerships, stdout)`` after the core demo is loaded and
    must be idempotent too. Content made from the others' (the adopted lägesbild, made from
    the reports and police events) registers with :func:`register_final_demo_loader`.
    """
    DEMO_LOADERS.append(func)
    return func


FINAL_DEMO_LOADERS: list[DemoLoader] = []


def register_final_demo_loader(func: DemoLoader) -> DemoLoader:
    """A demo loader that runs after every one of :func:`register_demo_loader` (in the order
    of INSTALLED_APPS: the statutory problems before the promises that link them)."""
    FINAL_DEMO_LOADERS.append(func)
    return func


LAST_DEMO_LOADERS: list[DemoLoader] = []


def register_last_demo_loader(func: DemoLoader) -> DemoLoader:
    """A demo loader that must see everything the others made: the adopted weekly picture
    counts the reports that residents' tips became, whatever order the apps load in."""
    LAST_DEMO_LOADERS.append(func)
    return func


def demo_loaders() -> list[DemoLoader]:
    """Every app's demo loader, in the order they run."""
    return [*DEMO_LOADERS, *FINAL_DEMO_LOADERS, *LAST_DEMO_LOADERS]
