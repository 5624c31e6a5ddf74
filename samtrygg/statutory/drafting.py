"""The numbers of the statutory lägesbild, computed from the stored data.

Every number comes from the stored records through the services the weekly pages use: the EST
picture of the year from ``situation`` (the analysis engine, the same call the lägesbild page
makes for the period ``YYYY``; a problem's figures are that picture with the problem's
categories as the page's category filter), reported crime from ``sources`` (Brå's stored
values, the län beside them), the police's events by type and year at kommun level, and the
safety walks of the year. The texts around the numbers are the samordnare's (``texts``).

:func:`figures` is what a draft stores in ``StatutoryReport.figures``; :func:`document` joins
the figures, the texts, the problems and the plan into the document the pages, PDF, DOCX and
JSON export show (for an adopted version, its frozen snapshot).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from samtrygg.analysis.picture import Period
from samtrygg.core.models import Partnership
from samtrygg.situation import compute, snapshot, wording

FIGURES_VERSION = 1
PER = 100_000

# The samordnare's texts, per part of the document (key, part, heading).
TEXT_SECTIONS: tuple[tuple[str, str, Any], ...] = (
    ("sammanfattning", "metadata", _("Sammanfattning")),
    ("konsekvenser", "kartlaggning", _("Konsekvenser (otrygghet, kostnader)")),
    ("kartlaggning", "kartlaggning", _("Kommentar till kartläggningen")),
    ("polisens_bedomning", "annan_information", _("Polisens bedömning")),
    ("kommande_handelser", "annan_information", _("Kommande händelser")),
    ("riskfaktorer", "annan_information", _("Risk- och skyddsfaktorer")),
    ("annan_information", "annan_information", _("Annan information")),
    ("analys", "analys", _("Analys")),
    ("kunskapsluckor", "analys", _("Kunskapsluckor")),
)
TEXT_KEYS = tuple(key for key, _part, _label in TEXT_SECTIONS)
HOTSPOTS_SHOWN = 5
HOT_HOURS_SHOWN = 3


def default_year(today: dt.date | None = None) -> int:
    """The last full calendar year."""
    return (today or timezone.localdate()).year - 1


# --- Brå ---------------------------------------------------------------------------------------


def bra_rows(partnership: Partnership) -> list[dict[str, Any]]:
    """Brå's reported crime for the kommun, every imported year and category, with the län
    and the whole country beside it, per 100 000 inhabitants.

    ``count`` and ``per_100k`` are the values stored from Brå's files (``per_100k`` Brå's
    published rate where there is one, else the count over SCB's population of the year, as
    the sources page shows it); the län's and the country's rates add up their kommuner's
    counts and populations the same way (see ``sources.queries.kommun_crime_rates``).
    """
    from samtrygg.sources.queries import kommun_crime_rates

    rates = kommun_crime_rates(partnership.municipality)
    national = national_rates({r.year for r in rates})
    rows = []
    for r in sorted(rates, key=lambda r: (r.year, r.category)):
        if r.count is None and r.rate is None:
            continue
        rows.append(
            {
                "year": r.year,
                "category": r.category,
                "count": r.count,
                "per_100k": r.rate,
                "lan_per_100k": r.lan_rate,
                "riket_per_100k": national.get((r.year, r.category)),
                "published_rate": r.published_rate,
            }
        )
    return rows


def national_rates(years: set[int]) -> dict[tuple[int, str], float]:
    """The whole country's rate per year and category: the kommuner's counts over their
    populations (Brå's where it published a count and a rate, SCB's otherwise)."""
    from samtrygg.core.models import Population
    from samtrygg.sources.bra import UNIT_COUNT, UNIT_PER_100K
    from samtrygg.sources.models import CrimeStatistic

    if not years:
        return {}
    populations = {
        (code, year): people
        for code, year, people in Population.objects.filter(year__in=years).values_list(
            "municipality_id", "year", "population"
        )
    }
    values: dict[tuple[int, str, str], dict[str, float | None]] = defaultdict(dict)
    for code, year, category, unit, value in CrimeStatistic.objects.filter(
        year__in=years
    ).values_list("municipality_id", "year", "category", "unit", "value"):
        values[(year, category, code)][unit] = value
    totals: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (year, category, code), by_unit in values.items():
        count, rate = by_unit.get(UNIT_COUNT), by_unit.get(UNIT_PER_100K)
        people = populations.get((code, year))
        if count is not None and rate:
            k_count, k_people = count, count * PER / rate
        elif count is not None and people:
            k_count, k_people = count, float(people)
        elif rate is not None and people:
            k_count, k_people = rate * people / PER, float(people)
        else:
            continue
        total = totals[(year, category)]
        total[0] += k_count
        total[1] += k_people
    return {key: count * PER / people for key, (count, people) in totals.items() if people}


# --- Police events -------------------------------------------------------------------------------


def police_by_year(partnership: Partnership, last_year: int) -> dict[str, Any]:
    """The police's events in the kommun per type and year, up to ``last_year`` (kommun
    level: the police publish no finer place)."""
    from samtrygg.sources.models import PoliceEvent

    rows = (
        PoliceEvent.objects.filter(
            municipality_id=partnership.municipality_id,
            published__lt=_local_start(last_year + 1),
        )
        .annotate(year=ExtractYear("published"))
        .values("year", "type")
        .annotate(n=Count("id"))
        .order_by("year", "type")
    )
    years = sorted({r["year"] for r in rows})
    by_type: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        by_type[row["type"]][row["year"]] = row["n"]
    ordered = sorted(by_type, key=lambda t: (-sum(by_type[t].values()), t))
    return {
        "years": years,
        "rows": [{"type": t, "counts": [by_type[t].get(y, 0) for y in years]} for t in ordered],
        "totals": [sum(by_type[t].get(y, 0) for t in by_type) for y in years],
    }


def _local_start(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 1, 1))


# --- EST reports through the analysis engine -------------------------------------------------


def _masked(loaded: compute.Loaded, category_ids: list[int]) -> compute.Loaded:
    """The loaded records of some categories: what the page loads with that category filter."""
    codes = [loaded.category_ids.index(c) for c in category_ids if c in loaded.category_ids]
    keep = np.isin(loaded.categories, np.asarray(codes, dtype=np.int32))
    police_code = loaded.source_keys.index(compute.POLICE)
    police_kept = keep[loaded.sources == police_code]
    return dataclasses.replace(
        loaded,
        times=loaded.times[keep],
        categories=loaded.categories[keep],
        areas=loaded.areas[keep],
        cells=loaded.cells[keep],
        sources=loaded.sources[keep],
        bands=loaded.bands[keep] if loaded.bands is not None else None,
        police_event_ids=[
            pk for pk, kept in zip(loaded.police_event_ids, police_kept, strict=True) if kept
        ],
    )


def est_section(data: Any) -> dict[str, Any]:
    """The EST part of the kartläggning from the year's picture (as the lägesbild page); the
    engine's codes worded in Swedish, as a decided document is kept."""
    by_category = data["series"]["by_category"]
    return {
        "period": data["period"]["label_sv"],
        "totals": data["totals"],
        "categories": [c for c in data["categories"] if c in by_category],
        "series": {"labels": data["series"]["labels"], "by_category": by_category},
        "areas": [
            {
                "name": a["name"],
                "count": a["count"],
                "previous_count": a["previous_count"],
                "expected": a["expected"],
                "verdict": a["verdict"],
                "change_text": wording.area_sentence(a),
                "verdict_text": wording.verdict_text(a["verdict"]),
                "rate": a["rate"],
                "by_category": a["by_category"],
                "level": wording.level_text(a["suggested"]["level"]),
            }
            for a in data["areas"]
        ],
    }


def _where_and_when(data: Any, area_names: set[str]) -> dict[str, Any]:
    """A problem's figures from its (category-filtered) picture: its delområden, its hot spots
    and hot times."""
    areas = [a for a in data["areas"] if not area_names or a["name"] in area_names]
    hotspots = [
        {"area": h["area"], "count": h["count"], "pattern": wording.pattern_text(h["pattern"])}
        for h in data["hotspots"]
        if h["significant"] and (not area_names or h["area"] in area_names)
    ]
    hotspots.sort(key=lambda h: -h["count"])
    return {
        "count": sum(a["count"] for a in areas) if area_names else data["totals"]["all"],
        "areas": [
            {
                "name": a["name"],
                "count": a["count"],
                "change_text": wording.area_sentence(a),
                "verdict_text": wording.verdict_text(a["verdict"]),
            }
            for a in areas
        ],
        "hotspots": hotspots[:HOTSPOTS_SHOWN],
        "hot_times": [
            {**hour, "day": wording.day_text(hour["day"])}
            for hour in data["hot_times"]["top"][:HOT_HOURS_SHOWN]
        ],
        "police_events": data["totals"]["police_events"],
    }


def problem_figures(
    partnership: Partnership,
    period: Period,
    loaded: compute.Loaded,
    problems: list[Any],
) -> dict[str, dict[str, Any]]:
    """Where and when per problem (by id): its categories' picture of the year, limited to its
    delområden; the year before beside it."""
    out: dict[str, dict[str, Any]] = {}
    cache: dict[tuple[int, ...], tuple[compute.Loaded, Any]] = {}
    for problem in problems:
        category_ids = tuple(sorted(c.pk for c in problem.categories.all()))
        if category_ids not in cache:
            subset = _masked(loaded, list(category_ids)) if category_ids else loaded
            picture = compute.picture_of(subset, period)
            filters = compute.Filters(categories=category_ids)
            built = snapshot.build(partnership, period, filters, subset, picture)
            cache[category_ids] = (subset, built)
        subset, data = cache[category_ids]
        area_names = {a.name for a in problem.areas.all()}
        figures = _where_and_when(data, area_names)
        figures["previous_count"] = _previous_year_count(subset, period, area_names)
        figures["categories"] = [c.name for c in problem.categories.all()]
        out[str(problem.pk)] = figures
    return out


def _previous_year_count(
    subset_loaded: compute.Loaded, period: Period, area_names: set[str]
) -> int:
    """The records of the same categories and delområden in the year before."""
    before = compute.previous(period)
    times = subset_loaded.times
    in_year = (times >= before.start) & (times < before.end)
    if area_names:
        codes = [i for i, n in enumerate(subset_loaded.area_names) if n in area_names]
        in_year &= np.isin(subset_loaded.areas, np.asarray(codes, dtype=np.int32))
    return int(in_year.sum())


# --- Safety walks and other information ---------------------------------------------------------


def walks_of_year(partnership: Partnership, year: int) -> dict[str, Any]:
    from samtrygg.actions.models import SafetyWalk, WalkFinding

    walks = list(
        SafetyWalk.objects.filter(
            partnership=partnership,
            planned_for__gte=_local_start(year),
            planned_for__lt=_local_start(year + 1),
        )
        .select_related("area")
        .order_by("planned_for")
    )
    findings = Counter(WalkFinding.objects.filter(walk__in=walks).values_list("type", flat=True))
    from samtrygg.actions.models import FindingType

    labels = dict(FindingType.choices)
    return {
        "count": len(walks),
        "residents": sum(w.residents for w in walks),
        "walks": [
            {
                "id": w.pk,
                "date": timezone.localtime(w.planned_for).date().isoformat(),
                "title": w.title,
                "area": w.area.name if w.area else "",
                "status": w.get_status_display(),
                "summary": w.summary,
            }
            for w in walks
        ],
        "findings": [
            {"type": str(labels.get(t, t)), "count": n} for t, n in findings.most_common()
        ],
    }


# --- The whole draft -------------------------------------------------------------------------


def figures(
    partnership: Partnership, year: int, problems: list[Any], today: dt.date | None = None
) -> dict[str, Any]:
    """Every number of the draft for ``year``, computed now from the stored data."""
    with translation.override("sv"):
        return _figures(partnership, year, problems, today)


def _figures(
    partnership: Partnership, year: int, problems: list[Any], today: dt.date | None
) -> dict[str, Any]:
    period = Period.year(year)
    filters = compute.Filters()
    loaded = compute.load(partnership, period, filters)
    picture = compute.picture_of(loaded, period)
    data = snapshot.build(partnership, period, filters, loaded, picture)
    bra = bra_rows(partnership)
    return {
        "version": FIGURES_VERSION,
        "computed_on": (today or timezone.localdate()).isoformat(),
        "year": year,
        "municipality": partnership.municipality.name,
        "county": partnership.municipality.county.name,
        "bra": bra,
        "bra_years": sorted({r["year"] for r in bra}),
        "police": police_by_year(partnership, year),
        "est": est_section(data),
        "walks": walks_of_year(partnership, year),
        "problems": problem_figures(partnership, period, loaded, problems),
        "sources": sources_text(bra),
    }


def sources_text(bra: list[dict[str, Any]]) -> list[str]:
    years = sorted({r["year"] for r in bra})
    span = "" if not years else (str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}")
    lines = [
        "Brå, Anmälda brott i kommunerna"
        + (f" ({span})" if span else "")
        + "; SCB, folkmängd 1 november",
        "Polisen, händelser på polisen.se (kommunnivå)",
        "Samtrygg: EST-rapporter, trygghetsvandringar och insatser i samverkan",
    ]
    return lines
