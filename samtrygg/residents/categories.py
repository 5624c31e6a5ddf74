"""Which of the default categories residents may choose, and which ones Open311 serves.

A partnership changes this per category (``PublicCategory``); a category it has not set takes
these defaults. Open311 serves physical faults only (lighting and dark places, vandalism,
graffiti, litter); a resident's tip may also be about a place where people gather or drive
recklessly, never about a person.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

PUBLIC_DEFAULT = frozenset(
    {
        "skadegorelse",
        "klotter",
        "nedskrapning",
        "otrygg-plats",
        "samling-av-personer",
        "buskorning-trafik",
        "ovrigt",
    }
)
OPEN311_DEFAULT = frozenset({"skadegorelse", "klotter", "nedskrapning", "otrygg-plats"})

# Stored and published in Swedish (the Open311 service list is the kommun's own wording).
PHYSICAL_GROUP = gettext_noop("Fysiska fel i miljön")
PLACES_GROUP = gettext_noop("Platser och miljöer")
DESCRIPTIONS = {
    "skadegorelse": gettext_noop("Något är sönder eller förstört: bänkar, skyltar, lekplatser."),
    "klotter": gettext_noop("Klotter eller taggar på väggar, skyltar och byggnader."),
    "nedskrapning": gettext_noop("Skräp, fulla papperskorgar eller nedskräpade platser."),
    "otrygg-plats": gettext_noop(
        "En mörk, ödslig eller skymd plats: trasig belysning, igenvuxen växtlighet."
    ),
    "samling-av-personer": gettext_noop(
        "En plats där samlingar gör att det känns otryggt (inte vilka personerna är)."
    ),
    "buskorning-trafik": gettext_noop("En plats där det körs vårdslöst eller för fort."),
    "ovrigt": gettext_noop("Något annat om en plats eller en miljö."),
}
KEYWORDS = {
    "skadegorelse": "skadegörelse, vandalisering, trasig",
    "klotter": "klotter, graffiti, tagg",
    "nedskrapning": "skräp, nedskräpning, papperskorg",
    "otrygg-plats": "belysning, lampa, mörker, buskar, växtlighet",
}
