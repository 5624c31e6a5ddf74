"""The demo's länssamordnare for Dalarna (län 20): reads Orsa's compliance entries and the
other Dalarna kommuner's Brå and police figures, and nothing of any partnership's records.
Dalarna has published version 1 of its template, and Orsa (2034) has adopted it."""

from __future__ import annotations

from typing import IO, Any

from django.contrib.auth import get_user_model

from samtrygg.core.demo import DEMO_PASSWORD, register_final_demo_loader
from samtrygg.core.models import County, Partnership, Role
from samtrygg.county.models import CountyAssignment, CountyTemplate, TemplateAdoption

DEMO_COUNTY_USERS = [("lanssamordnare.dalarna@demo.example", "Lena", "Länssamordnare", "20")]
DALARNA = "20"
ORSA = "2034"

# Dalarna's vocabulary: the shipped categories in groups, and one of the län's own.
GROUPS = {
    "skadegorelse": "Skadegörelse och ordning",
    "klotter": "Skadegörelse och ordning",
    "nedskrapning": "Skadegörelse och ordning",
    "brand": "Skadegörelse och ordning",
    "stenkastning": "Skadegörelse och ordning",
    "otrygg-plats": "Otrygghet",
    "samling-av-personer": "Otrygghet",
    "ryktesspridning": "Otrygghet",
    "narkotika": "Narkotika och alkohol",
    "berusning": "Narkotika och alkohol",
    "hot-och-vald": "Brott mot person",
    "incident-mot-personal": "Brott mot person",
    "stold-och-inbrott": "Egendom och trafik",
    "buskorning-trafik": "Egendom och trafik",
    "evenemang": "Övrigt",
    "ovrigt": "Övrigt",
}
OWN_CATEGORY = (
    "fyrverkerier",
    "Fyrverkerier och pyroteknik",
    "Skadegörelse och ordning",
    "Smällare, raketer och bengaler utanför tillåtna tider och platser.",
)
GUIDANCE = {
    "kartlaggning": (
        True,
        "Beskriv var och när problemet uppstår och hur ofta. Utgå från EST-rapporterna, "
        "polisens händelser och Brås statistik för de tre senaste åren; ange källa och period.",
    ),
    "orsaksanalys": (
        False,
        "Använd problemtriangeln: plats, offer och gärningsperson. Ange för varje orsak vad "
        "den bygger på (dialog, statistik, trygghetsvandring).",
    ),
    "mal": (
        False,
        "Skilj på effektmål och prestationsmål. Ange utgångsvärde och målvärde i samma mått.",
    ),
    "aktiviteter": (
        False,
        "Varje aktivitet har en ansvarig organisation, en tidplan och resurser.",
    ),
    "uppfoljning": (
        True,
        "Beskriv hur och när åtgärden följs upp, och med vilka uppgifter i Samtrygg.",
    ),
}
SURVEY_ITEMS = ["T1", "T1b", "T2", "O5", "P7", "P12", "F1", "F2", "F3"]
QUESTION = (
    "D1",
    "Hur trygg känner du dig i centrum på helgkvällar?",
    "Mycket trygg\nGanska trygg\nGanska otrygg\nMycket otrygg",
    [3, 4],
)


@register_final_demo_loader
def load_county_demo(partnerships: list[Any], stdout: IO[str]) -> None:
    User = get_user_model()
    for email, first, last, county in DEMO_COUNTY_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first, last_name=last)
            user.set_password(DEMO_PASSWORD)
            user.save()
        CountyAssignment.objects.get_or_create(user=user, county_id=county)
        stdout.write(
            f"Länssamordnare för län {county}: {email} (samma lösenord som demons övriga)\n"
        )
    coordinator = User.objects.get(email=DEMO_COUNTY_USERS[0][0])
    version = _dalarna_template(coordinator)
    orsa = next((p for p in partnerships if p.municipality_id == ORSA), None)
    if version is not None and orsa is not None:
        _orsa_adopts(orsa, version, stdout)


def _dalarna_template(user: Any) -> Any:
    """Version 1 of Dalarna's template, published by its länssamordnare (made once)."""
    from samtrygg.county import services

    template = CountyTemplate.objects.filter(county_id=DALARNA).first()
    if template is not None:
        return template.versions.filter(number=1, status="publicerad").first()
    county = County.objects.get(code=DALARNA)
    version = services.start_version(user, county)
    services.update_version(
        user,
        version,
        name="Dalarnas gemensamma mall för brottsförebyggande arbete",
        note=(
            "Första versionen. Kategorierna är Samtryggs standard i grupper, och fyrverkerier "
            "är tillagt. Kartläggning och uppföljning krävs."
        ),
    )
    for category in version.categories.all():
        services.update_category(
            user,
            category,
            code=category.code,
            name=category.name,
            group=GROUPS.get(category.code, ""),
            description=category.description,
        )
    code, name, group, description = OWN_CATEGORY
    services.add_category(user, version, code=code, name=name, group=group, description=description)
    services.set_problem_fields(user, version, GUIDANCE)
    services.set_survey_items(user, version, SURVEY_ITEMS)
    code, text, answers, positive = QUESTION
    services.add_question(user, version, code=code, text=text, answers=answers, positive=positive)
    return services.publish(user, version)


def _orsa_adopts(partnership: Partnership, version: Any, stdout: IO[str]) -> None:
    """Orsa's samordnare adopts version 1, each category as the template proposes."""
    from samtrygg.core.permissions import actor_for
    from samtrygg.county import queries, services

    if TemplateAdoption.objects.filter(partnership=partnership).exists():
        return
    membership = partnership.memberships.filter(role=Role.SAMORDNARE).select_related("user").first()
    if membership is None:
        return
    actor = actor_for(membership.user, partnership)
    if actor is None:
        return
    mapping = queries.mapping_defaults(actor, version, None)
    done = services.adopt(actor, version, mapping, decision="Styrgruppen för Tryggare Orsa, demo")
    stdout.write(
        f"Orsa har antagit {version.template.name}, version {version.number} "
        f"({len(done.created)} nya kategorier)\n"
    )
