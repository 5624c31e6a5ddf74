"""Demo content of the statutory work (demo data).

Orsa: the statutory lägesbild of the last full calendar year, adopted by kommunstyrelsen after
a referral back in strategiutskottet, five problems from the demo's reports and actions
(evenings in Centrum, young people and narcotics, traffic, graffiti, and break-ins in the
holiday homes of Grönklitt, with a recorded decision not to act), an åtgärdsplan whose items
link the demo actions, a samordningsfunktion set up by kommunstyrelsen and a follow-up under
way. Gislaved: a draft with two problems and a plan item. Dated relative to the day the demo
is loaded; written through the services; idempotent (skipped when the partnership already
has demo problems). Runs after the reports, actions, police events and surveys are loaded
(a final loader): the surveys demo's dialogues and latest survey result are attached as
evidence to the evenings in Centrum through the evidence registry.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from samtrygg.core.dataio import system_actor
from samtrygg.core.demo import register_final_demo_loader
from samtrygg.core.evidence import evidence_kind
from samtrygg.core.models import Area, Organisation, Partnership
from samtrygg.core.permissions import Actor
from samtrygg.statutory import drafting, services
from samtrygg.statutory.models import (
    ActionPlanItem,
    CoordinationFunction,
    Decision,
    DecisionBody,
    NoActionDecision,
    Problem,
    StatutoryReport,
)


def _ids(model: Any, partnership: Partnership, names: list[str], field: str = "name") -> list[int]:
    return list(
        model.objects.filter(partnership=partnership, **{f"{field}__in": names}).values_list(
            "pk", flat=True
        )
    )


def _categories(partnership: Partnership, slugs: list[str]) -> list[int]:
    from samtrygg.observations.models import Category

    return _ids(Category, partnership, slugs, field="slug")


def _actions(partnership: Partnership, words: list[str]) -> list[int]:
    from samtrygg.actions.models import Action

    found: list[int] = []
    for action in Action.objects.filter(partnership=partnership).order_by("pk"):
        if any(word.lower() in action.title.lower() for word in words):
            found.append(action.pk)
    return found


def _org(partnership: Partnership, *types: str) -> Organisation:
    orgs = list(Organisation.objects.filter(partnership=partnership).order_by("pk"))
    for kind in types:
        for org in orgs:
            if kind == "polis" and org.name.startswith("Polisen"):
                return org
            if org.type == kind:
                return org
    return orgs[0]


def _problem(
    actor: Any,
    partnership: Partnership,
    year: int,
    *,
    title: str,
    description: str,
    areas: list[str],
    categories: list[str],
    priority: int,
    status: str = "aktuell",
    causes: tuple[tuple[str, str, str], ...] = (),
) -> Problem:
    problem = services.create_problem(
        actor,
        title=title,
        description=description,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        priority=priority,
        status=status,
        areas=_ids(Area, partnership, areas),
        categories=_categories(partnership, categories),
    )
    for side, text, evidence in causes:
        services.add_cause(actor, problem, side=side, text=text, evidence=evidence)
    Problem.objects.filter(pk=problem.pk).update(is_demo=True)
    problem.refresh_from_db()
    return problem


def _attach_surveys(actor: Any, evenings: Problem, traffic: Problem) -> None:
    """The surveys demo's two dialogues and its latest survey result as evidence, found through
    the evidence registry (nothing is attached when the surveys demo is not loaded)."""
    from samtrygg.surveys.demo_data import DIALOGUES

    titles = [str(spec["title"]) for spec in DIALOGUES]
    dialogue_kind = evidence_kind("dialogue")
    result_kind = evidence_kind("survey-result")
    dialogues = [
        item
        for item in (dialogue_kind.candidates(actor) if dialogue_kind else [])
        if any(title in item.label for title in titles)
    ]
    for item in sorted(dialogues, key=lambda found: found.date):
        services.attach_evidence(
            actor,
            evenings,
            kind="dialogue",
            record_id=item.id,
            note="Deltagarna pekade ut busstationen och torget kvällstid.",
        )
        if "Medarbetardialog" in item.label:
            services.attach_evidence(
                actor,
                traffic,
                kind="dialogue",
                record_id=item.id,
                note="Butikernas personal om mopeder som körs på torget.",
            )
    results = list(result_kind.candidates(actor)) if result_kind else []
    if results:
        services.attach_evidence(
            actor,
            evenings,
            kind="survey-result",
            record_id=results[0].id,
            note="Otryggheten är störst i Centrum.",
        )


def _walk_of_year(actor: Any, partnership: Partnership, year: int) -> None:
    """The spring safety walk of the mapping year, so "annan information" lists a walk and
    its findings (the actions demo's walk is dated relative to the load day)."""
    from samtrygg.actions import services as actions
    from samtrygg.actions.demo_data import add_demo_findings

    organisations = list(Organisation.objects.filter(partnership=partnership).order_by("pk"))
    centrum = _ids(Area, partnership, ["Centrum"])
    when = dt.datetime.combine(dt.date(year, 4, 23), dt.time(19), timezone.get_current_timezone())
    walk = actions.create_walk(
        actor,
        title="Trygghetsvandring i Strandparken och vid skolan (demo)",
        planned_for=when,
        invited=[org.pk for org in organisations],
        residents=9,
        area=centrum[0] if centrum else None,
        is_demo=True,
    )
    findings = [
        ("belysning", 61.1183, 14.6079, "Två trasiga armaturer på gångvägen i Strandparken."),
        ("sikt", 61.1190, 14.6101, "Buskage skymmer sikten vid skolgårdens baksida."),
        ("otrygg_plats", 61.1197, 14.6121, "Ödslig cykelparkering bakom idrottshallen."),
    ]
    responsible = organisations[0].pk if organisations else None
    add_demo_findings(actor, walk, findings, responsible=responsible)
    actions.update_walk(
        actor,
        walk,
        title=walk.title,
        planned_for=when,
        light=walk.light,
        route=None,
        invited=[org.pk for org in organisations],
        residents=walk.residents,
        area=walk.area_id,
        status="genomford",
        summary="Nio boende, skolan och polisen deltog. Tre fynd, belysningen först. (demo)",
    )


def _plan(
    actor: Any,
    partnership: Partnership,
    problems: dict[str, Problem],
    responsible: dict[str, Organisation],
    items: list[dict[str, Any]],
) -> list[ActionPlanItem]:
    """The plan items of ``items``: each names its problem (a key of ``problems``), the
    index of the cause it answers (or None), the organisation responsible (a key of
    ``responsible``) and the demo actions it links, by words of their titles."""
    created = []
    for spec in items:
        fields = dict(spec)
        problem = problems[fields.pop("problem")]
        index = fields.pop("cause")
        causes = list(problem.causes.order_by("id"))
        cause = causes[index].pk if index is not None and causes else None
        fields["responsible"] = responsible[fields["responsible"]].pk
        if "actions" in fields:
            fields["actions"] = _actions(partnership, fields["actions"])
        created.append(services.create_plan_item(actor, problem, cause=cause, **fields))
    return created


# Orsa's problems of the mapping year, each with its causes (side, text, evidence).
ORSA_PROBLEMS: dict[str, dict[str, Any]] = {
    "evenings": {
        "title": "Kvällar i Centrum",
        "description": (
            "Samlingar av unga vid torget och busstationen på fredags- och lördagskvällar, "
            "med nedskräpning, skadegörelse och klotter. Flest rapporter mellan kl. 20 och 24."
        ),
        "areas": ["Centrum"],
        "categories": ["samling-av-personer", "skadegorelse", "nedskrapning", "klotter"],
        "priority": 1,
        "causes": (
            (
                "plats",
                "Mörka och skymda ytor vid busstationen och gångtunneln.",
                "Trygghetsvandringen i centrum: tre fynd.",
            ),
            (
                "garningsperson",
                "Ingen vuxen närvaro sena helgkvällar.",
                "EST-rapporter fredag–lördag kl. 20–24.",
            ),
            (
                "offer",
                "Resenärer som väntar på sista bussen känner sig otrygga.",
                "Synpunkter från busschaufförer.",
            ),
        ),
    },
    "drugs": {
        "title": "Unga och narkotika",
        "description": (
            "Misstänkt narkotikahantering kring skolgården och Strandparken; polisens "
            "händelser om narkotikabrott i kommunen ökar."
        ),
        "areas": ["Centrum", "Norra Orsa"],
        "categories": ["narkotika", "berusning"],
        "priority": 1,
        "causes": (
            (
                "garningsperson",
                "Yngre säljare rekryteras via sociala medier.",
                "Polisens bedömning.",
            ),
            ("plats", "Skymda platser i Strandparken kvällstid.", "Trygghetsvandring."),
        ),
    },
    "traffic": {
        "title": "Buskörning och trafik",
        "description": ("Buskörning med epa- och A-traktorer på kvällar i Norra Orsa och Hansjö."),
        "areas": ["Norra Orsa", "Hansjö"],
        "categories": ["buskorning-trafik"],
        "priority": 2,
        "causes": (("plats", "Långa raksträckor utan hinder.", "EST-rapporter och boendes tips."),),
    },
    "graffiti": {
        "title": "Klotter på skolor",
        "description": "Återkommande klotter på skolbyggnader; saneras inom ett dygn.",
        "areas": ["Centrum"],
        "categories": ["klotter"],
        "priority": 3,
        "status": "bevakas",
    },
    "holiday": {
        "title": "Inbrott i fritidshus i Grönklitt",
        "description": "Enstaka inbrott i fritidshus under lågsäsong.",
        "areas": ["Grönklitt"],
        "categories": ["stold-och-inbrott"],
        "priority": 3,
        "status": "bevakas",
    },
}


def _orsa_plan(year: int, today: dt.date) -> list[dict[str, Any]]:
    """Orsa's åtgärdsplan: targets in the year after the mapping year, follow-ups dated from
    the day the demo is loaded (one of them already due)."""
    return [
        {
            "problem": "evenings",
            "cause": 1,
            "title": "Vuxennärvaro vid torget och busstationen helgkvällar",
            "goal_type": "prestationsmal",
            "indicator": "Helgkvällar med vuxennärvaro",
            "baseline": "0",
            "target": "40 kvällar",
            "target_date": dt.date(year + 1, 12, 31),
            "responsible": "kommun",
            "time_plan": "Fredag och lördag kl. 20–24, hela året",
            "resources": "Föreningar och fältgruppen, 2 personer per kväll",
            "knowledge_basis": "Brå: vuxennärvaro på platser där unga samlas",
            "follow_up_how": "Antal genomförda kvällar i Samtrygg, EST-rapporter per helg",
            "follow_up_when": today + dt.timedelta(days=120),
            "actions": ["Vuxennärvaro"],
        },
        {
            "problem": "evenings",
            "cause": 0,
            "title": "Belysning och röjning vid busstationen och gångtunneln",
            "goal_type": "effektmal",
            "indicator": "EST-rapporter i Centrum kl. 20–24",
            "baseline": "Som under kartläggningsåret",
            "target": "30 % färre",
            "target_date": dt.date(year + 1, 12, 31),
            "responsible": "housing",
            "time_plan": "Före mörkerperioden",
            "resources": "Driftbudget för gatubelysning",
            "knowledge_basis": "Situationell brottsprevention; trygghetsvandringens fynd",
            "follow_up_how": "Jämför EST-rapporterna kvällstid med kartläggningsåret",
            "follow_up_when": today + dt.timedelta(days=200),
            "actions": ["Klottersanering"],
        },
        {
            "problem": "drugs",
            "cause": 0,
            "title": "Föräldrainformation om rekrytering via sociala medier",
            "goal_type": "prestationsmal",
            "indicator": "Föräldramöten med information",
            "baseline": "0",
            "target": "4 möten",
            "target_date": dt.date(year + 1, 6, 30),
            "responsible": "kommun",
            "time_plan": "Vårterminen",
            "knowledge_basis": "Polisens lägesbild om rekrytering",
            "follow_up_how": "Antal möten och deltagare",
            "follow_up_when": today - dt.timedelta(days=10),
            "actions": ["Informationsinsats"],
        },
        {
            "problem": "traffic",
            "cause": 0,
            "title": "Trafikkontroller kvällstid i Norra Orsa",
            "goal_type": "effektmal",
            "indicator": "Rapporter om buskörning",
            "baseline": "Som under kartläggningsåret",
            "target": "Halvering",
            "target_date": dt.date(year + 1, 10, 31),
            "responsible": "police",
            "time_plan": "Maj–september",
            "follow_up_how": "EST-rapporter och polisens händelser",
            "follow_up_when": today + dt.timedelta(days=90),
        },
    ]


ORSA_TEXTS = {
    "sammanfattning": (
        "Orsa är en trygg kommun med få anmälda brott per invånare jämfört med länet. "
        "Otryggheten samlas i Centrum på helgkvällar och kring narkotika bland unga."
    ),
    "konsekvenser": (
        "Resenärer och boende i Centrum undviker busstationen sena kvällar. Kostnaden för "
        "klottersanering och skadegörelse uppgick till omkring 180 000 kronor."
    ),
    "polisens_bedomning": (
        "Polisen i LPO Mora bedömer att narkotikaförsäljningen till unga är den största "
        "risken och att rekryteringen sker via sociala medier."
    ),
    "kommande_handelser": "Musikfestival i juli och skidsäsongen i Grönklitt.",
    "riskfaktorer": (
        "Risk: unga utan vuxen närvaro på kvällstid. Skydd: starkt föreningsliv och "
        "fältgruppens kontakter med skolan."
    ),
    "analys": (
        "Problemen i Centrum hänger ihop: samma platser och tider återkommer i EST-"
        "rapporterna, trygghetsvandringen och polisens händelser."
    ),
    "kunskapsluckor": (
        "Ingen trygghetsmätning på kommunnivå; NTU redovisas bara för lokalpolisområdet."
    ),
}
# Who was consulted for the mapping (kind, name, days before the load day, contribution).
ORSA_CONSULTATIONS = (
    ("polis", "Polisen, LPO Mora", 120, "Lägesbild för narkotika och trafik."),
    ("skola", "Orsa högstadieskola", 110, "Elevhälsans bild av trygghet på skolgården."),
    ("bostad", "Orsa bostäder", 105, "Skadegörelse i trapphus och på gårdar."),
    ("socialtjanst", "Socialtjänsten, fältgruppen", 100, "Unga i riskmiljöer."),
)


def _problems(
    actor: Any, partnership: Partnership, year: int, specs: dict[str, dict[str, Any]]
) -> dict[str, Problem]:
    return {key: _problem(actor, partnership, year, **spec) for key, spec in specs.items()}


def load_orsa(partnership: Partnership, today: dt.date) -> None:
    actor = system_actor(partnership)
    year = drafting.default_year(today)
    responsible = {
        "kommun": _org(partnership, "kommunforvaltning"),
        "police": _org(partnership, "polis"),
        "housing": _org(partnership, "bostadsbolag", "kommunforvaltning"),
    }
    strategy = _decision_body(actor, kind="utskott", name="Strategiutskottet")
    board = _decision_body(actor, kind="kommunstyrelse", name="Kommunstyrelsen")

    function = services.set_coordination_function(
        actor,
        unit="Orsa kommun, kommunledningskontoret – trygghet och säkerhet",
        roles=(
            "Brottsförebyggande samordnare (sammankallande)\n"
            "Kommunpolisen i LPO Mora\n"
            "Socialtjänstens fältgrupp\n"
            "Fastighetsägare via Orsa bostäder"
        ),
        contact="trygghet@orsa.demo.example",
    )
    services.record_coordination_decision(
        actor,
        function,
        body=board,
        date=today - dt.timedelta(days=540),
        reference="KS § 112, dnr KS 2024/311",
        outcome="godkant",
        note="Samordningsfunktionen inrättas enligt lag (2023:196).",
    )

    problems = _problems(actor, partnership, year, ORSA_PROBLEMS)
    _attach_surveys(actor, problems["evenings"], problems["traffic"])
    services.record_no_action(
        actor,
        problems["holiday"],
        reason=(
            "Få händelser och ingen ökning. Polisens grannsamverkan och fastighetsägarnas egen "
            "bevakning bedöms räcka; frågan bevakas i nästa kartläggning."
        ),
    )

    presence = _plan(actor, partnership, problems, responsible, _orsa_plan(year, today))[0]
    services.record_follow_up(
        actor,
        presence,
        date=today - dt.timedelta(days=7),
        outcome="delvis",
        indicator_value="14 kvällar",
        text="Närvaron är i gång; fler föreningar behövs till hösten.",
    )

    _walk_of_year(actor, partnership, year)
    report = services.draft_report(actor, year=year)
    for section, text in ORSA_TEXTS.items():
        services.save_text(actor, report, section=section, text=text)
    for kind, name, days, text in ORSA_CONSULTATIONS:
        services.add_consultation(
            actor,
            report,
            actor_kind=kind,
            actor_name=name,
            date=today - dt.timedelta(days=days),
            contribution=text,
        )
    services.record_decision(
        actor,
        report,
        body=strategy,
        date=today - dt.timedelta(days=75),
        reference="SU § 18",
        outcome="aterremitterat",
        note="Åtgärdsplanen ska ange ansvar och uppföljning för varje åtgärd.",
    )
    services.record_decision(
        actor,
        report,
        body=board,
        date=today - dt.timedelta(days=45),
        reference="KS § 45, dnr KS 2025/77",
        outcome="godkant",
    )
    services.adopt_report(actor, report)


def load_gislaved(partnership: Partnership, today: dt.date) -> None:
    actor = system_actor(partnership)
    year = drafting.default_year(today)
    _decision_body(actor, kind="kommunstyrelse", name="Kommunstyrelsen")
    _decision_body(actor, kind="namnd", name="Kultur- och fritidsnämnden")
    problems = _problems(
        actor,
        partnership,
        year,
        {
            "square": {
                "title": "Otrygghet vid Järnvägstorget",
                "description": (
                    "Samlingar, nedskräpning och skadegörelse kvällstid vid Järnvägstorget."
                ),
                "areas": ["Gislaved centrum"],
                "categories": ["samling-av-personer", "nedskrapning", "skadegorelse"],
                "priority": 1,
                "causes": (
                    (
                        "plats",
                        "Mörkt parti i Stadsparken och bakom busstationen.",
                        "Trygghetsvandringen i centrum.",
                    ),
                ),
            },
            "anderstorp": {
                "title": "Inbrott och stölder i Anderstorp",
                "description": "Stölder ur bilar och förråd i Anderstorp.",
                "areas": ["Anderstorp"],
                "categories": ["stold-och-inbrott"],
                "priority": 2,
            },
        },
    )
    _plan(
        actor,
        partnership,
        problems,
        {"kommun": _org(partnership, "kommunforvaltning")},
        [
            {
                "problem": "square",
                "cause": 0,
                "title": "Vuxennärvaro och belysning vid Järnvägstorget",
                "goal_type": "prestationsmal",
                "indicator": "Kvällar med vuxennärvaro",
                "baseline": "0",
                "target": "30 kvällar",
                "target_date": dt.date(year + 1, 12, 31),
                "responsible": "kommun",
                "follow_up_how": "Genomförda kvällar i Samtrygg",
                "follow_up_when": today + dt.timedelta(days=150),
                "actions": ["Vuxennärvaro"],
            }
        ],
    )
    report = services.draft_report(actor, year=year)
    services.save_text(
        actor,
        report,
        section="analys",
        text="Utkast: Järnvägstorget är kommunens tydligaste plats för otrygghet kvällstid.",
    )


LOADERS = {"2034": load_orsa, "0662": load_gislaved}


def _decision_body(actor: Actor, *, kind: str, name: str) -> DecisionBody:
    """The kommun's body of that name: the promises demo may have recorded it first."""
    found = DecisionBody.objects.filter(partnership=actor.partnership, name__iexact=name).first()
    return found or services.create_decision_body(actor, kind=kind, name=name)


def load_partnership(partnership: Partnership, today: dt.date | None = None) -> bool:
    """Load the statutory demo of one partnership; False when it is there already."""
    loader = LOADERS.get(partnership.municipality_id)
    if loader is None or Problem.objects.filter(partnership=partnership, is_demo=True).exists():
        return False
    with transaction.atomic():
        loader(partnership, today or timezone.localdate())
        for model in (
            DecisionBody,
            Decision,
            CoordinationFunction,
            ActionPlanItem,
            NoActionDecision,
            StatutoryReport,
        ):
            model.objects.filter(partnership=partnership).update(is_demo=True)
    return True


@register_final_demo_loader
def load_demo_statutory(partnerships: list[Partnership], stdout: IO[str]) -> None:
    for partnership in partnerships:
        if load_partnership(partnership):
            stdout.write(f"Lägesbild enligt lag (2023:196) i {partnership.name}.\n")
        else:
            stdout.write(f"Lägesbild enligt lag i {partnership.name} fanns redan.\n")
