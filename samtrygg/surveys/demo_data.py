"""Demo content for surveys in Orsa (demo data).

A random-sample safety survey with two waves (last year and this year), generated with a
seeded random generator so every load gives the same answers: enough answers in most of
Orsa's delområden, fewer than 30 in Grönklitt (a ski resort with few residents), weights by
the delområde's population. The police's trygghetsindex (0–6) for areas of LPO Mora and an NTU
share for the LPO, imported as published. Two dialogues whose themes (belysning, samling av
personer, buskörning) can be attached to a problem. Everything goes through the services (the
microdata through the same import as a supplier's file) and is marked demo; loading is
idempotent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import IO

import numpy as np
from django.db import transaction
from django.utils import timezone

from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import register_demo_loader
from samtrygg.core.models import Area, Partnership
from samtrygg.observations.models import Category
from samtrygg.surveys import items, services
from samtrygg.surveys.models import Dialogue, PublishedFigure, Survey, Wave

SURVEY_NAME = "Trygghetsundersökning Orsa"
SEED = 2034
# delområde -> answers a wave, and how unsafe it feels (0 calm … 1 very unsafe), per wave
ORSA_AREAS: dict[str, tuple[int, float, float]] = {
    "Centrum": (240, 0.45, 0.55),
    "Norra Orsa": (150, 0.25, 0.22),
    "Hansjö": (110, 0.2, 0.18),
    "Skattungbyn": (60, 0.12, 0.12),
    "Grönklitt": (18, 0.15, 0.15),
}
POPULATION = {
    "Centrum": 2900,
    "Norra Orsa": 1400,
    "Hansjö": 900,
    "Skattungbyn": 350,
    "Grönklitt": 60,
}


def _scaled(rng: np.random.Generator, level: float, codes: list[int], lean: float) -> int:
    """One answer: higher codes more likely the higher ``level`` (``lean`` the strength)."""
    positions = np.arange(len(codes), dtype=float)
    weights = np.exp(lean * level * positions - (1 - level) * positions)
    return int(rng.choice(codes, p=weights / weights.sum()))


def wave_csv(rng: np.random.Generator, wave_index: int) -> str:
    """A supplier-style microdata file for one wave (the header exactly, weights last)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*items.CSV_HEADER, "weight"])
    number = 0
    for area, (count, first, second) in ORSA_AREAS.items():
        level = first if wave_index == 0 else second
        weight = POPULATION[area] / count
        for _i in range(count):
            number += 1
            row: dict[str, object] = {"respondent": f"R{wave_index + 1}-{number:04d}", "area": area}
            t1 = _scaled(rng, level, [1, 2, 3, 4], 3.0)
            if rng.random() < 0.08:
                t1 = 5
            row["T1"] = t1
            row["T1b"] = (1 if rng.random() < 0.5 + level / 2 else 2) if t1 == 5 else ""
            row["T2"] = _scaled(rng, level, [1, 2, 3], 2.5)
            for code in ("O1", "O2", "O3", "O4", "O5"):
                row[code] = _scaled(rng, level * 0.8, [1, 2, 3, 4], 2.0)
            for code in ("U1", "U2", "U3", "U4", "U5"):
                row[code] = 1 if rng.random() > 0.06 + level * 0.15 else int(rng.choice([2, 3]))
            for index in range(1, 13):
                answer = _scaled(rng, level, [1, 2, 3, 4], 2.0 + index % 3)
                row[f"P{index}"] = 9 if rng.random() < 0.12 else answer
            for code in ("F1", "F2"):
                row[code] = 9 if rng.random() < 0.1 else _scaled(rng, 0.5, [1, 2, 3, 4], 1.0)
            row["F3"] = _scaled(rng, 0.4, [1, 2, 3, 4, 5], 1.0)
            # about one in twenty leaves a question unanswered
            if rng.random() < 0.05:
                row["O5"] = ""
            row["kon"] = int(rng.choice([1, 2, 3], p=[0.49, 0.49, 0.02]))
            row["alder"] = int(rng.choice([1, 2, 3, 4], p=[0.12, 0.3, 0.32, 0.26]))
            row["weight"] = f"{weight:.4f}"
            writer.writerow([row.get(name, "") for name in [*items.CSV_HEADER, "weight"]])
    return out.getvalue()


FIGURES = (
    "source,measure,region,area,year,value,publisher\n"
    "polisens-index,Trygghetsindex,Orsa centrum,Centrum,{y0},2.1,Polisen region Bergslagen\n"
    "polisens-index,Trygghetsindex,Orsa centrum,Centrum,{y1},2.4,Polisen region Bergslagen\n"
    "polisens-index,Trygghetsindex,Orsa norra,Norra Orsa,{y1},1.3,Polisen region Bergslagen\n"
    "polisens-index,Trygghetsindex,LPO Mora,,{y1},1.6,Polisen region Bergslagen\n"
    "ntu,Andel otrygga ute sent en kväll,LPO Mora,,{y0},0.17,Brå (NTU)\n"
)

DIALOGUES = (
    {
        "title": "Medborgardialog om centrum och busstationen",
        "format": "medborgardialog",
        "area": "Centrum",
        "days_ago": 40,
        "organisers": "Orsa kommun och Polisen LPO Mora",
        "participants": 34,
        "by_gender": {"kvinnor": 19, "man": 14, "annat": 1},
        "by_age": {"16-24": 6, "25-44": 10, "45-64": 11, "65+": 7},
        "summary": (
            "Många beskrev busstationen och gångvägen genom Strandparken som mörka på "
            "kvällarna. Grupper som samlas vid busstationen fredag och lördag kväll upplevs "
            "som störande. Flera föreslog bättre belysning och vuxennärvaro. (demo)"
        ),
        "themes": {"otrygg-plats": 14, "samling-av-personer": 9, "nedskrapning": 3},
    },
    {
        "title": "Medarbetardialog med butiker och bostadsbolaget",
        "format": "medarbetardialog",
        "area": "Centrum",
        "days_ago": 20,
        "organisers": "Orsa kommun, kommunledningen",
        "participants": 12,
        "by_gender": {},
        "by_age": {},
        "summary": (
            "Personalen i butikerna vid torget berättade om stölder och om mopeder som körs "
            "på torget på kvällarna. Bostadsbolaget tog upp trasig belysning i trapphus och "
            "på gårdarna. (demo)"
        ),
        "themes": {"buskorning-trafik": 6, "otrygg-plats": 5, "stold-och-inbrott": 4},
    },
)


def load_partnership(partnership: Partnership, today: dt.date | None = None) -> bool:
    """The Orsa survey demo; False when it is there already (or the partnership is not
    Orsa's)."""
    if partnership.municipality_id != "2034":
        return False
    if Survey.objects.filter(partnership=partnership, name=SURVEY_NAME).exists():
        return False
    today = today or timezone.localdate()
    years = (today.year - 1, today.year)
    actor = system_actor(partnership)
    areas = {a.name: a for a in Area.objects.filter(partnership=partnership)}
    if not all(name in areas for name in ORSA_AREAS):
        return False
    rng = np.random.default_rng(SEED)
    with transaction.atomic():
        for index, year in enumerate(years):
            text = wave_csv(rng, index)
            services.import_responses(
                actor,
                text.encode("utf-8"),
                f"orsa-{year}.csv",
                survey=SURVEY_NAME,
                year=year,
                sample="random",
            )
        services.import_figures(
            actor, FIGURES.format(y0=years[0], y1=years[1]).encode("utf-8"), "figurer.csv"
        )
        categories = {c.slug: c.pk for c in Category.objects.filter(partnership=partnership)}
        for spec in DIALOGUES:
            services.create_dialogue(
                actor,
                services.DialogueSpec(
                    title=str(spec["title"]),
                    held_on=today - dt.timedelta(days=int(str(spec["days_ago"]))),
                    format=str(spec["format"]),
                    organisers=str(spec["organisers"]),
                    participants=spec["participants"],
                    area=areas[str(spec["area"])].pk,
                    summary=str(spec["summary"]),
                    by_gender=dict(spec["by_gender"]),  # type: ignore[call-overload]
                    by_age=dict(spec["by_age"]),  # type: ignore[call-overload]
                    themes={
                        categories[slug]: n
                        for slug, n in dict(spec["themes"]).items()  # type: ignore[call-overload]
                        if slug in categories
                    },
                ),
            )
        Survey.objects.filter(partnership=partnership, name=SURVEY_NAME).update(is_demo=True)
        Wave.objects.filter(partnership=partnership, survey__name=SURVEY_NAME).update(is_demo=True)
        PublishedFigure.objects.filter(partnership=partnership).update(is_demo=True)
        Dialogue.objects.filter(partnership=partnership, summary__endswith="(demo)").update(
            is_demo=True
        )
    return True


@register_demo_loader
def load_demo_surveys(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        if load_partnership(partnership):
            stdout.write(
                f"Demotrygghetsundersökning: två omgångar, polisens index och två dialoger "
                f"i {partnership.name}.\n"
            )
