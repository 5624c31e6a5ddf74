"""Demo agreements and citizen promises in Gislaved and Orsa (demo data).

Gislaved: the 2022 medborgarlöfte as published (valid 2022-05-30 to 2023-05-29, signed by
the kommunstyrelsens ordförande and the acting LPO chief) with its follow-up, and its
successor for the current year, in force, dated relative to the day the demo is loaded, its
items counted from demo actions. Orsa: the samverkansöverenskommelse approved by the
strategiutskott on 31 January 2023 and decided by the kommunstyrelse on 13 February 2023,
and a promise in force whose follow-up is under way. Written through the services, marked
demo; loading is idempotent (skipped when the partnership already has demo promises).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from samtrygg.actions import services as actions
from samtrygg.actions.models import Action
from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import register_final_demo_loader
from samtrygg.core.models import Area, Organisation, Partnership
from samtrygg.promises import links, services
from samtrygg.promises.models import CitizenPromise
from samtrygg.statutory import queries as statutory

GISLAVED_INTRO = (
    "Gislaveds kommun och lokalpolisområde Gislaved lovar invånarna att tillsammans arbeta "
    "för att öka tryggheten och minska brottsligheten. Löftet bygger på medborgardialoger, "
    "medarbetardialoger och den gemensamma lägesbilden. Vi återkommer med hur det gick."
)
# (focus area, its description, [(item text, responsible, commitment, target, unit, types)])
GISLAVED_FOCUS: list[tuple[str, str, list[tuple[str, str, str, int | None, str, list[str]]]]] = [
    (
        "EST med fler aktörer",
        "Effektiv samordning för trygghet (EST) varje vecka, med fler aktörer än i dag.",
        [
            (
                "Kommunen och polisen håller EST-möten varje vecka och bjuder in "
                "bostadsbolag, räddningstjänst och föreningar.",
                "gemensamt",
                "genomfors",
                None,
                "",
                [],
            )
        ],
    ),
    (
        "Insatser på aktuella platser",
        "Insatser där den gemensamma lägesbilden visar att de behövs.",
        [
            (
                "Vi åtgärdar platser som lägesbilden pekar ut: belysning, buskage och klotter.",
                "kommunen",
                "antal",
                12,
                "åtgärder",
                ["fysisk_atgard"],
            )
        ],
    ),
    (
        "Vuxennärvaro och trygghetsvandringar",
        "Vuxna på plats där unga samlas, och trygghetsvandringar med invånarna.",
        [
            (
                "Vuxna finns på plats i centrum på fredags- och lördagskvällar.",
                "gemensamt",
                "frekvens",
                40,
                "kvällar",
                ["vuxennarvaro"],
            ),
            (
                "Vi genomför trygghetsvandringar i bostadsområdena tillsammans med invånarna.",
                "kommunen",
                "antal",
                6,
                "trygghetsvandringar",
                ["trygghetsvandring"],
            ),
        ],
    ),
    (
        "Arbete mot narkotikabrott",
        "Polisen prioriterar narkotikabrott; kommunen informerar föräldrar.",
        [
            (
                "Kommunen och polisen informerar föräldrar om narkotika och tecken att se efter.",
                "gemensamt",
                "antal",
                4,
                "föräldramöten",
                ["foraldramote", "informationsinsats"],
            )
        ],
    ),
    (
        "Trafik",
        "Insatser för trafiksäkerhet vid skolor och i centrum.",
        [
            (
                "Polisen gör trafikinsatser vid skolorna och i centrum.",
                "polisen",
                "antal",
                24,
                "trafikinsatser",
                ["trafikinsats"],
            )
        ],
    ),
]
GISLAVED_SIGNATORIES = {
    "kommunen": ("Carina Johansson", "Kommunstyrelsens ordförande"),
    "polisen": ("Jonas Lindqvist", "T.f. lokalpolisområdeschef, LPO Gislaved"),
}
ORSA_SIGNATORIES = {
    "kommunen": ("Anna Berg", "Kommunstyrelsens ordförande"),
    "polisen": ("Erik Holm", "Lokalpolisområdeschef, LPO Mora"),
}
# Demo actions the current Gislaved promise counts: (title, type, days ago, done, owner).
GISLAVED_ACTIONS = [
    ("Nattvandring i centrum, helger", "vuxennarvaro", 70, 14, "kommun"),
    ("Trygghetsvandring på Öster", "trygghetsvandring", 60, 1, "kommun"),
    ("Trygghetsvandring i Reftele", "trygghetsvandring", 35, 1, "kommun"),
    ("Trafikinsats vid skolorna", "trafikinsats", 50, 9, "polis"),
    ("Föräldramöte om narkotika", "foraldramote", 40, 2, "kommun"),
    ("Ny belysning i Stadsparken", "fysisk_atgard", 45, 3, "kommun"),
]


def _orgs(partnership: Partnership) -> dict[str, Organisation]:
    orgs = list(Organisation.objects.filter(partnership=partnership).order_by("pk"))
    police = next((o for o in orgs if o.type == "polis"), orgs[0])
    kommun = next((o for o in orgs if o.type == "kommunforvaltning"), orgs[0])
    return {"polis": police, "kommun": kommun}


def _promise(
    actor: Any, *, title: str, start: dt.date, intro: str, basis: str, focus: Any, **extra: Any
) -> CitizenPromise:
    promise = services.create_promise(
        actor,
        services.PromiseSpec(
            title=title,
            starts_on=start,
            intro=intro,
            basis_tags=["medborgardialoger", "medarbetardialoger", "brottsstatistik", "tips"],
            basis_text=basis,
            **extra,
        ),
        is_demo=True,
    )
    for area_title, description, items in focus:
        area = services.add_focus_area(actor, promise, title=area_title, description=description)
        for text, responsible, commitment, target, unit, types in items:
            services.add_item(
                actor,
                promise,
                services.ItemSpec(
                    text=text,
                    responsible=responsible,
                    commitment=commitment,
                    target=target,
                    unit=unit,
                    rule_types=types,
                    focus_area=area.pk,
                ),
            )
    return promise


def _problem_ids(actor: Any, titles: list[str]) -> list[int]:
    """The ids of the partnership's demo problems with these titles (those that exist)."""
    return list(
        statutory.problems(actor)
        .filter(title__in=titles, is_demo=True)
        .values_list("pk", flat=True)
    )


def _link_items(actor: Any, promise: CitizenPromise, links: list[tuple[str, str, str]]) -> None:
    """Link the items whose text begins with a phrase to the demo plan item or problem with
    that title (the statutory demo's), where it exists: (text begins, plan item, problem)."""
    plan_items = {p.title: p.pk for p in statutory.plan_items(actor).filter(is_demo=True)}
    problems = {p.title: p.pk for p in statutory.problems(actor).filter(is_demo=True)}
    for begins, plan_title, problem_title in links:
        plan_item, problem = plan_items.get(plan_title), problems.get(problem_title)
        item = promise.items.filter(text__startswith=begins).first()
        if item is not None and (plan_item or problem):
            services.link_item(actor, item, plan_item=plan_item, problem=problem)


def _sign(actor: Any, document: Any, who: dict[str, tuple[str, str]], day: dt.date) -> None:
    for party, (name, title) in who.items():
        services.sign(actor, document, party=party, name=name, title=title, signed_on=day)


def _follow_up(actor: Any, promise: CitizenPromise, assessments: list[tuple[str, str]]) -> Any:
    follow_up = services.start_follow_up(actor, promise)
    for entry, (assessment, comment) in zip(
        follow_up.entries.order_by("item__number"), assessments, strict=False
    ):
        services.assess(actor, entry, assessment=assessment, comment=comment)
    return follow_up


def load_gislaved(partnership: Partnership) -> None:
    actor = system_actor(partnership)
    today = timezone.localdate()
    old = _promise(
        actor,
        title="Medborgarlöfte Gislaved 2022",
        start=dt.date(2022, 5, 30),
        intro=GISLAVED_INTRO,
        basis="Medborgardialoger hösten 2021, polisens medarbetardialoger och lägesbilden.",
        focus=GISLAVED_FOCUS,
    )
    _sign(actor, old, GISLAVED_SIGNATORIES, dt.date(2022, 5, 30))
    follow_up = _follow_up(
        actor,
        old,
        [
            ("uppfyllt", ""),
            ("delvis", "Belysningen åtgärdades; buskaget vid gångtunneln väntar på upphandling."),
            ("uppfyllt", ""),
            ("delvis", "Fyra av sex trygghetsvandringar genomfördes; två ställdes in."),
            ("uppfyllt", ""),
            ("ej", "Trafikinsatserna fick stå tillbaka under sommaren."),
        ],
    )
    services.set_follow_up_summary(
        actor,
        follow_up,
        summary="Det mesta genomfördes. Trafiken och buskaget fortsätter i nästa löfte.",
    )
    services.adopt_follow_up(actor, follow_up)
    start = today - dt.timedelta(days=90)
    current = services.renew(actor, old, starts_on=start)
    services.update_promise(
        actor,
        current,
        services.PromiseSpec(
            title=f"Medborgarlöfte Gislaved {start.year}",
            starts_on=start,
            intro=GISLAVED_INTRO,
            basis_tags=list(current.basis_tags),
            basis_text=current.basis_text,
        ),
    )
    _link_items(
        actor,
        current,
        [
            ("Vuxna finns på plats", "Vuxennärvaro och belysning vid Järnvägstorget", ""),
            ("Vi åtgärdar platser", "", "Otrygghet vid Järnvägstorget"),
        ],
    )
    _sign(actor, current, GISLAVED_SIGNATORIES, start - dt.timedelta(days=7))
    orgs = _orgs(partnership)
    area = Area.objects.filter(partnership=partnership, name="Gislaved centrum").first()
    made = []
    for title, kind, days_ago, done, owner in GISLAVED_ACTIONS:
        begun = today - dt.timedelta(days=days_ago)
        action = actions.create_action(
            actor,
            actions.ActionSpec(
                title=title,
                type=kind,
                owner=orgs[owner].pk,
                start_date=begun,
                end_date=begun + dt.timedelta(days=14),
                planned_count=done,
                area=area.pk if area else None,
            ),
        )
        actions.record_progress(actor, action, status="genomford", done_count=done)
        made.append(action.pk)
    Action.objects.filter(pk__in=made).update(is_demo=True)


def load_orsa(partnership: Partnership) -> None:
    actor = system_actor(partnership)
    today = timezone.localdate()
    agreement = services.create_agreement(
        actor,
        services.AgreementSpec(
            title="Samverkansöverenskommelse Orsa kommun och LPO Mora 2023–2026",
            starts_on=dt.date(2023, 2, 13),
            ends_on=dt.date(2026, 12, 31),
            goals=(
                "Ökad trygghet i centrum och vid busstationen; färre skadegörelsebrott; "
                "ett kunskapsbaserat arbete med en gemensam lägesbild."
            ),
            follow_up_method=(
                "EST varje vecka, lägesbild varje tertial, uppföljning av medborgarlöftet "
                "varje år i styrgruppen (kommunstyrelsens ordförande, kommundirektör och "
                "lokalpolisområdeschef)."
            ),
            problems=_problem_ids(
                actor, ["Kvällar i Centrum", "Klotter på skolor", "Unga och narkotika"]
            ),
        ),
        is_demo=True,
    )
    links.record_demo_decisions(
        actor,
        agreement,
        [
            (
                "utskott",
                "Strategiutskottet",
                dt.date(2023, 1, 31),
                "SU § 4",
                "Föreslår godkännande.",
            ),
            ("kommunstyrelse", "Kommunstyrelsen", dt.date(2023, 2, 13), "KS § 23", ""),
        ],
    )
    _sign(actor, agreement, ORSA_SIGNATORIES, dt.date(2023, 2, 20))
    start = today - dt.timedelta(days=60)
    promise = _promise(
        actor,
        title=f"Medborgarlöfte Orsa {start.year}",
        start=start,
        intro=(
            "Orsa kommun och lokalpolisområde Mora lovar att arbeta för ett tryggare centrum, "
            "särskilt kring busstationen på helgkvällarna."
        ),
        basis="Medborgardialog i centrum och tips från invånare om busstationen.",
        focus=[
            (
                "Tryggt kring busstationen",
                "Vuxennärvaro och åtgärder på platsen.",
                [
                    (
                        "Vuxna finns vid busstationen på helgkvällar.",
                        "kommunen",
                        "frekvens",
                        30,
                        "kvällar",
                        ["vuxennarvaro"],
                    ),
                    (
                        "Vi sanerar klotter inom ett dygn.",
                        "kommunen",
                        "antal",
                        10,
                        "saneringar",
                        ["fysisk_atgard"],
                    ),
                ],
            ),
            (
                "Trygghetsvandringar",
                "Med invånare, bostadsbolag och polis.",
                [
                    (
                        "Vi genomför trygghetsvandringar i centrum.",
                        "gemensamt",
                        "antal",
                        4,
                        "trygghetsvandringar",
                        ["trygghetsvandring"],
                    )
                ],
            ),
        ],
        agreement=agreement.pk,
    )
    _link_items(
        actor,
        promise,
        [
            (
                "Vuxna finns vid busstationen",
                "Vuxennärvaro vid torget och busstationen helgkvällar",
                "",
            ),
            ("Vi sanerar klotter", "", "Klotter på skolor"),
            ("Vi genomför trygghetsvandringar", "", "Kvällar i Centrum"),
        ],
    )
    _sign(actor, promise, ORSA_SIGNATORIES, start - dt.timedelta(days=5))
    _follow_up(actor, promise, [("delvis", "Hälften av kvällarna hittills.")])


@register_final_demo_loader
def load_demo_promises(partnerships: list[Partnership], stdout: IO[str]) -> None:
    loaders = {"0662": load_gislaved, "2034": load_orsa}
    for partnership in partnerships:
        load = loaders.get(partnership.municipality_id)
        if load is None:
            continue
        if CitizenPromise.objects.filter(partnership=partnership, is_demo=True).exists():
            stdout.write(f"Demolöften i {partnership.name} fanns redan.\n")
            continue
        with transaction.atomic():
            load(partnership)
        stdout.write(f"Demolöften och överenskommelse i {partnership.name}.\n")
