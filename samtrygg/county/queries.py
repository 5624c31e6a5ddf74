"""Reads for a län or lokalpolisområde (a :class:`~samtrygg.county.scope.Scope`).

Everything here is an aggregate, metadata or an adopted or published document of the kommuner
in scope: counts per kommun and year, dates of decisions, the levels of adopted lägesbilder.
No function returns an observation, a report, a tip or a survey answer; counts that could
point at few records go through :mod:`samtrygg.core.aggregation`'s rule (under the
partnership's minimum: "färre än 5").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.db.models.functions import ExtractYear
from django.utils import timezone

from samtrygg.core.aggregation import STOCKHOLM
from samtrygg.core.models import Municipality, Partnership, Population
from samtrygg.core.permissions import Actor
from samtrygg.county import records
from samtrygg.county.scope import Scope

PER = 100_000
#: Under this many inhabitants a rate moves a lot with a few crimes (Brå's own caveat).
SMALL_KOMMUN = 10_000
#: Kommuner with many visitors and second homes: their crimes are counted against residents
#: only, so the rate per 100 000 inhabitants overstates the risk for each person there.
TOURIST_KOMMUNER = frozenset(
    {
        "0885",  # Borgholm
        "0980",  # Gotland
        "1427",  # Sotenäs
        "1435",  # Tanum
        "1486",  # Strömstad
        "2023",  # Malung-Sälen
        "2039",  # Älvdalen
        "2321",  # Åre
        "2326",  # Berg
        "2361",  # Härjedalen
        "2584",  # Kiruna
    }
)
EST_WINDOW = dt.timedelta(weeks=4)


# --------------------------------------------------------------------------- kommuner


@dataclass(frozen=True)
class Kommun:
    code: str
    name: str
    county_id: str
    population: int | None
    population_year: int | None
    partnership: Partnership | None

    @property
    def small(self) -> bool:
        return self.population is not None and self.population < SMALL_KOMMUN

    @property
    def tourist(self) -> bool:
        return self.code in TOURIST_KOMMUNER


def kommuner(scope: Scope) -> list[Kommun]:
    """The kommuner of the scope, by name, with their latest population and partnership.

    The kommun boundaries (the map's only need, read there) are left out: decoding them is
    most of what these rows would cost."""
    populations: dict[str, tuple[int, int]] = {}
    for code, year, people in (
        Population.objects.filter(municipality_id__in=scope.codes)
        .order_by()
        .values_list("municipality_id", "year", "population")
    ):
        if code not in populations or year > populations[code][0]:
            populations[code] = (year, people)
    partnerships = {
        p.municipality_id: p
        for p in Partnership.objects.filter(municipality_id__in=scope.codes)
        .select_related("municipality", "police_area")
        .defer("municipality__boundary")
    }
    out = []
    for m in Municipality.objects.filter(code__in=scope.codes).defer("boundary").order_by("name"):
        known = populations.get(m.code)
        out.append(
            Kommun(
                m.code,
                m.name,
                m.county_id,
                known[1] if known else None,
                known[0] if known else None,
                partnerships.get(m.code),
            )
        )
    return out


# --------------------------------------------------------------------------- compliance


@dataclass
class ComplianceRow:
    """One kommun's line of the compliance matrix. ``None`` is "ingen uppgift": the kommun is
    not in Samtrygg, or its partnership has not recorded it."""

    kommunkod: str
    kommun: str
    in_samtrygg: bool
    statutory_lagesbild_adopted: dt.date | None = None
    action_plan_decided: dt.date | None = None
    action_plan_body: str = ""
    coordination_function: bool | None = None
    plan_follow_up: dt.date | None = None
    next_review: dt.date | None = None
    agreement_valid_to: dt.date | None = None
    promise_valid_to: dt.date | None = None
    last_follow_up_published: dt.date | None = None
    est_reports_last_4_weeks: bool | None = None
    latest_adopted_picture: str = ""
    latest_adopted_at: dt.date | None = None
    overdue: list[str] = field(default_factory=list)
    # The version of the län's template the kommun uses (None: none adopted).
    template_version: int | None = None


#: The overdue flags, in the order the matrix shows them.
OVERDUE_KEYS = (
    "lagesbild",
    "action_plan",
    "coordination",
    "follow_up",
    "review",
    "agreement",
    "promise",
)


def compliance(scope: Scope, *, today: dt.date | None = None) -> list[ComplianceRow]:
    """Every kommun of the scope with its statutory and agreement entries and EST activity."""
    today = today or timezone.localdate()
    rows = []
    places = kommuner(scope)
    in_samtrygg = [k.partnership for k in places if k.partnership is not None]
    active = _est_active([p.pk for p in in_samtrygg])
    latest = _latest_adopted([p.pk for p in in_samtrygg])
    # One read for all kommuner, not one per kommun: the matrix's queries do not grow with
    # the län.
    statutory_of = records.statutory_entries_for(in_samtrygg, today)
    validity_of = records.promise_entries_for(in_samtrygg)
    versions = current_versions_of([p.pk for p in in_samtrygg])
    for place in places:
        row = ComplianceRow(place.code, place.name, place.partnership is not None)
        partnership = place.partnership
        if partnership is not None:
            statutory = statutory_of[partnership.pk]
            row.statutory_lagesbild_adopted = statutory.lagesbild_adopted
            row.action_plan_decided = statutory.action_plan_decided
            row.action_plan_body = statutory.action_plan_body
            row.coordination_function = statutory.coordination_function
            row.plan_follow_up = statutory.plan_follow_up
            row.next_review = statutory.next_review
            validity = validity_of[partnership.pk]
            row.agreement_valid_to = validity.agreement_valid_to
            row.promise_valid_to = validity.promise_valid_to
            row.last_follow_up_published = validity.last_follow_up_published
            row.est_reports_last_4_weeks = partnership.pk in active
            label, adopted_at = latest.get(partnership.pk, ("", None))
            row.latest_adopted_picture = label
            row.latest_adopted_at = adopted_at
            row.overdue = _overdue(row, statutory.overdue, today)
            current = versions.get(partnership.pk)
            row.template_version = current.number if current else None
        rows.append(row)
    return rows


def _overdue(row: ComplianceRow, flagged: frozenset[str], today: dt.date) -> list[str]:
    found = set(flagged)
    if row.next_review is not None and row.next_review < today:
        found.add("review")
    if row.agreement_valid_to is not None and row.agreement_valid_to < today:
        found.add("agreement")
    if row.promise_valid_to is not None and row.promise_valid_to < today:
        found.add("promise")
    return [key for key in OVERDUE_KEYS if key in found]


def _est_active(partnership_ids: list[int]) -> set[int]:
    """The partnerships with EST reports written in the last four weeks (one query)."""
    from samtrygg.observations.models import Observation

    if not partnership_ids:
        return set()
    since = timezone.now() - EST_WINDOW
    return set(
        Observation.objects.filter(partnership_id__in=partnership_ids, created_at__gte=since)
        .order_by()
        .values_list("partnership_id", flat=True)
        .distinct()
    )


def _latest_adopted(partnership_ids: list[int]) -> dict[int, tuple[str, dt.date | None]]:
    """Each partnership's most recently adopted lägesbild: its period and the day."""
    from samtrygg.situation.models import PictureStatus, SituationPicture

    if not partnership_ids:
        return {}
    out: dict[int, tuple[str, dt.date | None]] = {}
    for partnership_id, label, adopted_at in (
        SituationPicture.objects.filter(
            partnership_id__in=partnership_ids, status=PictureStatus.ADOPTED
        )
        .order_by("partnership_id", "-adopted_at", "-id")
        .values_list("partnership_id", "period_label", "adopted_at")
    ):
        if partnership_id not in out:
            out[partnership_id] = (
                label,
                adopted_at.astimezone(STOCKHOLM).date() if adopted_at else None,
            )
    return out


# --------------------------------------------------------------------------- Brå rates


@dataclass(frozen=True)
class Rate:
    """A rate per 100 000 (``None``: no figure) with the count behind it when known."""

    rate: float | None
    count: int | None = None
    published: bool = False


@dataclass
class CrimeBlock:
    """One Brå category and year: each kommun's rate, the scope's and the whole country's."""

    year: int
    category: str
    kommuner: dict[str, Rate]
    scope: Rate
    scope_kommuner: int
    country: Rate
    country_kommuner: int


def crime_rates(scope: Scope) -> list[CrimeBlock]:
    """Brå's reported crimes per 100 000 by category and year for every kommun of the scope,
    the scope together and the whole country; newest year first.

    A kommun's rate is the one Brå published where there is one, otherwise its count over
    SCB's population of the same year (none when that year's population is missing). The
    scope's and the country's rates add up counts and the populations they are rates of, so
    they are the rates Brå's own figures give.
    """
    from samtrygg.sources.bra import UNIT_COUNT, UNIT_PER_100K
    from samtrygg.sources.models import CrimeStatistic

    populations: dict[tuple[str, int], int] = {
        (code, year): people
        for code, year, people in Population.objects.values_list(
            "municipality_id", "year", "population"
        )
    }
    stats: dict[tuple[int, str], dict[str, dict[str, float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for code, year, category, unit, value in CrimeStatistic.objects.values_list(
        "municipality_id", "year", "category", "unit", "value"
    ):
        stats[(year, category)][code][unit] = value
    wanted = set(scope.codes)
    blocks = []
    for (year, category), by_kommun in stats.items():
        if not wanted & set(by_kommun):
            continue
        own: dict[str, Rate] = {}
        totals = {"scope": [0.0, 0.0, 0], "country": [0.0, 0.0, 0]}
        for code, values in by_kommun.items():
            count, rate = values.get(UNIT_COUNT), values.get(UNIT_PER_100K)
            people = populations.get((code, year))
            if code in wanted:
                if rate is not None:
                    own[code] = Rate(rate, int(count) if count is not None else None, True)
                elif count is not None and people:
                    own[code] = Rate(count * PER / people, int(count))
                else:
                    own[code] = Rate(None, int(count) if count is not None else None)
            if count is not None and rate:
                pair: tuple[float, float] | None = (count, count * PER / rate)
            elif count is not None and people:
                pair = (count, people)
            elif rate is not None and people:
                pair = (rate * people / PER, people)
            else:
                pair = None
            if pair is None:
                continue
            for key in ("scope", "country") if code in wanted else ("country",):
                totals[key][0] += pair[0]
                totals[key][1] += pair[1]
                totals[key][2] += 1

        if all(rate.rate is None for rate in own.values()):
            continue  # Brå has no figure for any kommun of the scope ("..")
        blocks.append(
            CrimeBlock(
                year=year,
                category=category,
                kommuner=own,
                scope=_rate_of(totals["scope"]),
                scope_kommuner=int(totals["scope"][2]),
                country=_rate_of(totals["country"]),
                country_kommuner=int(totals["country"][2]),
            )
        )
    blocks.sort(key=lambda b: (-b.year, b.category))
    return blocks


def _rate_of(total: list[float]) -> Rate:
    count, people = total[0], total[1]
    return Rate(count * PER / people if people else None, round(count) if people else None)


# --------------------------------------------------------------------------- police events


@dataclass
class PoliceRow:
    """A kommun's police events per 100 000 per year (events placed in the kommun, summaries
    left out), with the change between the last two complete years."""

    kommunkod: str
    kommun: str
    counts: dict[int, int]
    rates: dict[int, float | None]
    trend: float | None


@dataclass
class PoliceRates:
    years: list[int]
    complete_years: list[int]
    rows: list[PoliceRow]
    total: PoliceRow
    population_year: int | None


def police_rates(
    scope: Scope, *, today: dt.date | None = None, places: list[Kommun] | None = None
) -> PoliceRates:
    """Police events per 100 000 inhabitants per kommun and year, the scope's total, and the
    trend from the next-to-last to the last complete year. The rate of every year uses the
    latest population SCB has given (named on the page). ``places``: the scope's
    :func:`kommuner` when the caller has them already."""
    from samtrygg.sources.models import PoliceEvent, Precision

    today = today or timezone.localdate()
    places = kommuner(scope) if places is None else places
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for code, year, n in (
        PoliceEvent.objects.filter(
            municipality_id__in=scope.codes, is_summary=False, precision=Precision.KOMMUN
        )
        .annotate(year=ExtractYear("published", tzinfo=STOCKHOLM))
        .order_by()
        .values_list("municipality_id", "year")
        .annotate(n=Count("id"))
    ):
        counts[code][int(year)] = n
    years = sorted({year for per in counts.values() for year in per})
    complete = [year for year in years if year < today.year]
    trend_years = complete[-2:] if len(complete) >= 2 else []

    def row(code: str, name: str, per_year: dict[int, int], people: int | None) -> PoliceRow:
        rates = {y: per_year.get(y, 0) * PER / people if people else None for y in years}
        trend = None
        if trend_years:
            before, after = (per_year.get(y, 0) for y in trend_years)
            trend = (after - before) / before if before else None
        return PoliceRow(code, name, {y: per_year.get(y, 0) for y in years}, rates, trend)

    rows = [row(k.code, k.name, counts.get(k.code, {}), k.population) for k in places]
    total_people = sum(k.population or 0 for k in places) or None
    summed: dict[int, int] = defaultdict(int)
    for per in counts.values():
        for year, n in per.items():
            summed[year] += n
    total = row("", scope.name, summed, total_people)
    population_years = {k.population_year for k in places if k.population_year}
    return PoliceRates(
        years, complete, rows, total, max(population_years) if population_years else None
    )


# --------------------------------------------------------------------------- LPO levels


@dataclass
class PictureLevels:
    """A kommun's most recently adopted lägesbild: the period, the day, and how many
    delområden had each level (a delområde is a place, never a person)."""

    kommunkod: str
    kommun: str
    in_samtrygg: bool
    period_label: str = ""
    adopted_at: dt.date | None = None
    levels: list[tuple[str, int]] = field(default_factory=list)
    highest: str = ""
    areas: list[tuple[str, str]] = field(default_factory=list)


def adopted_levels(scope: Scope) -> list[PictureLevels]:
    """Each kommun of the scope beside the levels of its latest adopted lägesbild."""
    from samtrygg.analysis.levels import LEVEL_KEYS, Level
    from samtrygg.situation.models import AreaLevel, PictureStatus, SituationPicture

    places = kommuner(scope)
    ids = [k.partnership.pk for k in places if k.partnership is not None]
    latest: dict[int, Any] = {}
    for picture in (
        SituationPicture.objects.filter(partnership_id__in=ids, status=PictureStatus.ADOPTED)
        .order_by("partnership_id", "-adopted_at", "-id")
        .only("id", "partnership_id", "period_label", "adopted_at")
    ):
        latest.setdefault(picture.partnership_id, picture)
    levels: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for picture_id, name, level in (
        AreaLevel.objects.filter(picture_id__in=[p.pk for p in latest.values()])
        .order_by("picture_id", "area_name")
        .values_list("picture_id", "area_name", "level")
    ):
        levels[picture_id].append((name, level))
    out = []
    for place in places:
        entry = PictureLevels(place.code, place.name, place.partnership is not None)
        adopted = latest.get(place.partnership.pk) if place.partnership else None
        if adopted is not None:
            picture = adopted
            entry.period_label = picture.period_label
            entry.adopted_at = (
                picture.adopted_at.astimezone(STOCKHOLM).date() if picture.adopted_at else None
            )
            found = levels.get(picture.pk, [])
            entry.areas = [(name, LEVEL_KEYS[Level(level)]) for name, level in found]
            entry.levels = [
                (LEVEL_KEYS[lv], sum(1 for _n, v in found if v == int(lv)))
                for lv in sorted(Level, key=int)
            ]
            if found:
                entry.highest = LEVEL_KEYS[Level(max(v for _n, v in found))]
        out.append(entry)
    return out


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    """A focus area or action type of the published promises and decided åtgärdsplaner, and
    in how many of the scope's kommuner it is used."""

    kind: str
    label: str
    kommuner: int


def themes(scope: Scope, *, places: list[Kommun] | None = None) -> list[Theme]:
    """The themes across the scope's promises and åtgärdsplaner, counted per kommun
    (``places``: the scope's :func:`kommuner` when the caller has them already)."""
    places = kommuner(scope) if places is None else places
    partnerships = [k.partnership for k in places if k.partnership is not None]
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for found in records.themes_for(partnerships).values():
        for kind, label in found:
            counted[(kind, label)] += 1
    out = [Theme(kind, label, n) for (kind, label), n in counted.items()]
    out.sort(key=lambda t: (t.kind, -t.kommuner, t.label))
    return out


def data_through(scope: Scope) -> dt.datetime | None:
    """When the police events of the scope were last published (for the page's "till")."""
    from samtrygg.sources.models import PoliceEvent

    value: dt.datetime | None = PoliceEvent.objects.filter(
        municipality_id__in=scope.codes
    ).aggregate(m=Max("published"))["m"]
    return value


# --------------------------------------------------------------------------- the template


def county_of(scope: Scope) -> Any:
    """The län of a län's scope."""
    from samtrygg.core.models import County

    return County.objects.get(code=scope.key)


def template(scope: Scope) -> Any:
    """The län's template (None when it has none yet). Only a län has one."""
    from samtrygg.county.models import CountyTemplate

    if not scope.is_lan:
        return None
    return CountyTemplate.objects.filter(county_id=scope.key).first()


@dataclass
class VersionRow:
    version: Any
    kommuner: list[str]


def template_versions(scope: Scope) -> list[VersionRow]:
    """Every version of the län's template, newest first, with the kommuner whose current
    adoption it is."""
    from samtrygg.county.models import TemplateVersion

    found = template(scope)
    if found is None:
        return []
    versions = list(
        TemplateVersion.objects.filter(template=found)
        .select_related("published_by", "created_by")
        .order_by("-number")
    )
    users = current_versions(scope)
    names = {k.code: k.name for k in kommuner(scope)}
    rows = []
    for version in versions:
        using = sorted(
            names[code] for code, current in users.items() if current.number == version.number
        )
        rows.append(VersionRow(version, using))
    return rows


def template_version(scope: Scope, number: Any) -> Any:
    """One version of the län's template by its number; NotFound when there is none."""
    from samtrygg.core.errors import NotFound
    from samtrygg.county.models import TemplateVersion

    found = template(scope)
    text = str(number)
    if found is None or not text.isascii() or not text.isdigit() or int(text) > 32767:
        raise NotFound(_not_found_version())
    version = (
        TemplateVersion.objects.filter(template=found, number=int(text))
        .select_related("template__county", "published_by")
        .prefetch_related("categories", "questions")
        .first()
    )
    if version is None:
        raise NotFound(_not_found_version())
    return version


def _not_found_version() -> str:
    from django.utils.translation import gettext as _

    return _("Versionen finns inte.")


def template_category(version: Any, pk: Any) -> Any:
    from samtrygg.core.tenancy import get_or_404

    return get_or_404(version.categories.all(), pk)


def template_question(version: Any, pk: Any) -> Any:
    from samtrygg.core.tenancy import get_or_404

    return get_or_404(version.questions.all(), pk)


@dataclass(frozen=True)
class CurrentVersion:
    """The template version a kommun uses: its latest adoption."""

    number: int
    adopted_at: dt.date


def current_versions(scope: Scope) -> dict[str, CurrentVersion]:
    """Kommunkod -> the version of the län's template its partnership uses (one query)."""
    return _current_versions_by(municipality_id__in=scope.codes)


def current_versions_of(partnership_ids: list[int]) -> dict[int, CurrentVersion]:
    """Partnership id -> the version of its län's template it uses (one query)."""
    from samtrygg.county.models import TemplateAdoption

    out: dict[int, CurrentVersion] = {}
    for partnership_id, number, adopted_at in (
        TemplateAdoption.objects.filter(partnership_id__in=partnership_ids)
        .order_by("partnership_id", "-adopted_at", "-id")
        .values_list("partnership_id", "version__number", "adopted_at")
    ):
        if partnership_id not in out:
            out[partnership_id] = CurrentVersion(number, adopted_at.astimezone(STOCKHOLM).date())
    return out


def _current_versions_by(**partnership_filter: Any) -> dict[str, CurrentVersion]:
    ids = dict(
        Partnership.objects.filter(**partnership_filter).values_list("pk", "municipality_id")
    )
    return {ids[pk]: current for pk, current in current_versions_of(list(ids)).items()}


# --------------------------------------------------------------------------- adoption


@dataclass
class AdoptionState:
    """A partnership and its län's template: what it uses, what it used, what it may adopt."""

    county_name: str
    template: Any
    current: Any
    history: list[Any]
    published: list[Any]
    adoptable: list[Any]


def _require_read(actor: Actor) -> None:
    from samtrygg.county.permissions import READ_ROLES

    actor.require(READ_ROLES)


def adoption_state(actor: Actor) -> AdoptionState:
    from samtrygg.county.models import (
        CategoryMapping,
        CountyTemplate,
        TemplateAdoption,
        TemplateVersion,
        VersionStatus,
    )

    _require_read(actor)
    county = actor.partnership.municipality.county
    history = list(
        TemplateAdoption.objects.for_actor(actor)
        .select_related("version__template", "adopted_by")
        .prefetch_related(
            Prefetch(
                "mappings",
                queryset=CategoryMapping.objects.select_related("template_category").order_by(
                    "template_category__sort_order", "category_name"
                ),
            ),
            "own_questions",
        )
        .order_by("-adopted_at", "-id")
    )
    found = CountyTemplate.objects.filter(county=county).first()
    published = (
        list(
            TemplateVersion.objects.filter(template=found, status=VersionStatus.PUBLICERAD)
            .prefetch_related("categories", "questions")
            .order_by("-number")
        )
        if found
        else []
    )
    current = history[0] if history else None
    adoptable = [v for v in published if current is None or v.number > current.version.number]
    return AdoptionState(county.name, found, current, history, published, adoptable)


def adoptable_version(actor: Actor, number: Any) -> Any:
    """A published version of the partnership's län's template; NotFound otherwise."""
    from samtrygg.core.errors import NotFound
    from samtrygg.county.models import TemplateVersion, VersionStatus

    _require_read(actor)
    text = str(number)
    if not text.isascii() or not text.isdigit() or int(text) > 32767:
        raise NotFound(_not_found_version())
    version = (
        TemplateVersion.objects.filter(
            template__county_id=actor.partnership.municipality.county_id,
            status=VersionStatus.PUBLICERAD,
            number=int(text),
        )
        .select_related("template__county")
        .prefetch_related("categories", "questions")
        .first()
    )
    if version is None:
        raise NotFound(_not_found_version())
    return version


def own_categories(actor: Actor) -> list[Any]:
    """Every category of the partnership, retired ones too (their reports are history)."""
    from samtrygg.observations.models import Category

    _require_read(actor)
    return list(Category.objects.for_actor(actor).order_by("retired_at", "sort_order", "name"))


def mapping_defaults(actor: Actor, version: Any, current: Any) -> dict[int, int | None]:
    """What the mapping form proposes for each category: what the current adoption mapped it
    to (by the template's code, which stays from version to version), else the template
    category with its code or name, else kept as own."""
    targets = list(version.categories.all())
    by_code = {t.code: t.pk for t in targets}
    by_name = {t.name.casefold(): t.pk for t in targets}
    earlier: dict[int, str | None] = {}
    if current is not None:
        for row in current.mappings.all():
            if row.category_id is not None:
                earlier[row.category_id] = (
                    row.template_category.code if row.template_category else None
                )
    proposed: dict[int, int | None] = {}
    for category in own_categories(actor):
        if category.pk in earlier:
            code = earlier[category.pk]
            proposed[category.pk] = by_code.get(code) if code else None
        else:
            proposed[category.pk] = by_code.get(category.slug) or by_name.get(
                category.name.casefold()
            )
    return proposed


@dataclass(frozen=True)
class CodeCount:
    """Reports of the partnership counted in one of the template's codes (or kept as own)."""

    code: str
    name: str
    count: int
    own: bool = False


def counts_in_template_codes(
    actor: Actor, adoption: Any, *, days: int = 365, today: dt.date | None = None
) -> list[CodeCount]:
    """The partnership's reports of the last ``days`` days per category of the adopted
    version, read through the adoption's mapping; categories kept as own (or made after the
    adoption) are counted apart. Aggregates only."""
    from samtrygg.observations.models import Category, Observation

    _require_read(actor)
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days)
    per_category = dict(
        Observation.objects.filter(
            partnership=actor.partnership,
            merged_into__isnull=True,
            occurred_on__gt=since,
            occurred_on__lte=today,
        )
        .order_by()
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    codes = {t.pk: t for t in adoption.version.categories.all()}
    counted: dict[str, int] = dict.fromkeys((t.code for t in codes.values()), 0)
    mapped: set[int] = set()
    for row in adoption.mappings.all():
        if row.category_id is None or row.template_category_id is None:
            continue
        mapped.add(row.category_id)
        code = row.template_category.code
        counted[code] = counted.get(code, 0) + per_category.get(row.category_id, 0)
    out = [CodeCount(t.code, t.name, counted[t.code]) for t in codes.values()]
    names = dict(Category.objects.for_actor(actor).values_list("pk", "name"))
    for category_id, n in sorted(per_category.items(), key=lambda kv: names.get(kv[0], "")):
        if category_id not in mapped and n:
            out.append(CodeCount("", names.get(category_id, ""), n, own=True))
    return out
