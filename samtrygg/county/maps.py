"""The län map: each kommun of the scope coloured by a rate per 100 000 (a choropleth), drawn
server-side as SVG from the shipped boundaries, so it needs no script and no tile server."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from samtrygg.core.models import Municipality
from samtrygg.county.queries import CrimeBlock, Kommun, PoliceRates
from samtrygg.county.scope import Scope
from samtrygg.documents.svgmap import Layer, LegendItem, SvgMap

# Light to dark: five classes, then grey for a kommun without a figure.
CLASS_COLOURS = ("#eef3f9", "#c6d8ec", "#8fb3d9", "#4f86bf", "#1d4f8a")
NO_DATA = "#d9d9d9"
# Above this many kommuner the names would cover the map; the table below names them.
MAX_LABELS = 20


@dataclass(frozen=True)
class Measure:
    """One thing the map can show: a key for the query string, a title and the rates."""

    key: str
    title: str
    rates: dict[str, float | None]


def measures(crime: list[CrimeBlock], police: PoliceRates) -> list[Measure]:
    """Brå's categories by year (newest first; in a year, the category with figures for most
    kommuner first), then the police events of each whole year."""
    crime = sorted(
        crime,
        key=lambda b: (-b.year, -sum(1 for r in b.kommuner.values() if r.rate is not None)),
    )
    out = [
        Measure(
            f"bra-{block.year}-{i}",
            _("Anmälda brott per 100 000, %(category)s, %(year)d")
            % {"category": block.category, "year": block.year},
            {code: rate.rate for code, rate in block.kommuner.items()},
        )
        for i, block in enumerate(crime)
    ]
    for year in reversed(police.complete_years or police.years):
        out.append(
            Measure(
                f"polis-{year}",
                _("Polisens händelser per 100 000, %(year)d") % {"year": year},
                {row.kommunkod: row.rates.get(year) for row in police.rows},
            )
        )
    return out


def classes(values: list[float]) -> list[float]:
    """Upper bounds of up to five classes with about as many kommuner in each."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds: list[float] = []
    for i in range(1, len(CLASS_COLOURS) + 1):
        position = -(-len(ordered) * i // len(CLASS_COLOURS)) - 1  # ceiling, then 0-based
        bound = ordered[min(len(ordered) - 1, max(0, position))]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    if bounds[-1] < ordered[-1]:
        bounds.append(ordered[-1])
    return bounds


def colour_of(value: float | None, bounds: list[float]) -> str:
    if value is None or not bounds:
        return NO_DATA
    for i, bound in enumerate(bounds):
        if value <= bound:
            return CLASS_COLOURS[min(i, len(CLASS_COLOURS) - 1)]
    return CLASS_COLOURS[-1]


def choropleth(scope: Scope, places: list[Kommun], measure: Measure) -> str:
    """The scope's kommuner coloured by ``measure`` (SVG)."""
    boundaries = dict(
        Municipality.objects.filter(code__in=scope.codes).values_list("code", "boundary")
    )
    known = [v for v in measure.rates.values() if v is not None]
    bounds = classes(known)
    svg = SvgMap(width=640, height=640, title=measure.title)
    label = len(places) <= MAX_LABELS
    for place in places:
        geometry = boundaries.get(place.code)
        if not geometry:
            continue
        svg.add(
            Layer(
                geometry,
                stroke="#12324f",
                fill=colour_of(measure.rates.get(place.code), bounds),
                fill_opacity=1.0,
                width=0.8,
                label=place.name if label else "",
            )
        )
    lower = 0.0
    legend = []
    for i, bound in enumerate(bounds):
        legend.append(
            LegendItem(
                CLASS_COLOURS[min(i, len(CLASS_COLOURS) - 1)],
                f"{_format(lower)}–{_format(bound)}",
            )
        )
        lower = bound
    legend.append(LegendItem(NO_DATA, _("ingen uppgift")))
    svg.legend = legend
    return svg.render()


def _format(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")
