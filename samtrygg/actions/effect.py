"""Did it work? The effect of one action, or of a group of actions of one type, read from the
reports: the target against a control, the buffer around it, said honestly.

Public contract (other apps include the block; keep both stable)::

    evaluate_actions(actor, actions, *, weeks_before=12, weeks_after=12, categories=None,
                     control_areas=None, radius_m=None, title="") -> Effect

``actions`` are :class:`~samtrygg.actions.models.Action` rows the actor may see (read through
``actions.queries``); several actions are pooled, each aligned at its own start week.
``categories`` are category ids (None: the action type's categories, see
:func:`categories_for`); ``control_areas`` delområde ids (None: the rest of the kommun).

The template ``actions/_effect_block.html`` takes one context variable, ``effect`` (an
:class:`Effect`), and optionally ``pdf`` (true in a PDF: the chart's table is printed instead
of folded). It reads:

* ``effect.title``, ``effect.subject`` (what was measured where), ``effect.periods_text``,
  ``effect.categories_text``, ``effect.target_label`` / ``buffer_label`` / ``control_label``;
* ``effect.status``: ``"ok"``, ``"too_little"`` (fewer than 10 in the target before, or a
  count 0), ``"not_started"`` (no whole week after the start yet) or ``"no_target"`` (no
  delområde and no place); ``effect.status_text`` says it in words;
* ``effect.rr_text`` (the rate ratio with its interval in words), ``effect.did`` (the
  numbers), ``effect.wdq_text``, ``effect.its_text``, ``effect.rtm_text`` (empty unless the
  action started after a peak), ``effect.police_text``, ``effect.caveat`` (always);
* ``effect.table`` (``columns``, ``rows``: counts and weekly rates per area and period) and
  ``effect.chart`` (``title``, ``svg`` rendered on demand, ``columns``/``rows`` of the weekly
  table).

The database counts the reports per date, delområde and target/buffer cell (a report counts
in the week of its date; weeks are ``analysis.binning``'s); the statistics are
``analysis.effect``. Police events are placed by
kommun only, so they are never target counts: they appear as the kommun's context.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import h3
import numpy as np
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.geometry import shape

from samtrygg.actions.models import Action, ActionType, EffectCategories
from samtrygg.analysis import effect as stats
from samtrygg.analysis.binning import period_index, period_label_sv, period_start
from samtrygg.core.geo import H3_RESOLUTION
from samtrygg.core.models import Area, Partnership
from samtrygg.core.permissions import Actor

__all__ = [
    "DEFAULT_CATEGORY_SLUGS",
    "DEFAULT_RADIUS_M",
    "MIN_TARGET_BEFORE",
    "Effect",
    "categories_for",
    "evaluate_actions",
]

MIN_TARGET_BEFORE = 10
DEFAULT_RADIUS_M = 300
MAX_WEEKS = 52
RTM_WEEKS = stats.RTM_RECENT_WEEKS + stats.RTM_BASELINE_WEEKS
# Delområden this close (in degrees, about 100 m) count as neighbours.
NEIGHBOUR_DEGREES = 0.001
TARGET, BUFFER, CONTROL = 0, 1, 2
REGIONS = 3

# The shipped categories per action type (slugs of observations.vocabulary); empty: all.
DEFAULT_CATEGORY_SLUGS: dict[str, tuple[str, ...]] = {
    ActionType.VUXENNARVARO: (
        "samling-av-personer",
        "skadegorelse",
        "klotter",
        "stenkastning",
        "berusning",
        "hot-och-vald",
        "narkotika",
    ),
    ActionType.RONDERING: (
        "samling-av-personer",
        "skadegorelse",
        "stenkastning",
        "berusning",
        "hot-och-vald",
        "narkotika",
        "stold-och-inbrott",
        "buskorning-trafik",
    ),
    ActionType.TRAFIKINSATS: ("buskorning-trafik",),
    ActionType.INFORMATIONSINSATS: (),
    ActionType.FYSISK_ATGARD: ("klotter", "nedskrapning", "skadegorelse", "otrygg-plats"),
    ActionType.TILLSYN: ("berusning", "narkotika", "samling-av-personer"),
    ActionType.FORALDRAMOTE: (
        "samling-av-personer",
        "skadegorelse",
        "stenkastning",
        "berusning",
        "brand",
    ),
    ActionType.KAMERABEVAKNING: (
        "skadegorelse",
        "klotter",
        "stold-och-inbrott",
        "hot-och-vald",
        "narkotika",
    ),
    ActionType.TRYGGHETSVANDRING: ("otrygg-plats", "nedskrapning", "klotter", "skadegorelse"),
}


def categories_for(partnership: Partnership, action_type: str) -> list[int]:
    """The category ids the effect of an action type is measured on: the partnership's own
    choice if it made one, else the shipped defaults (all categories when those are empty)."""
    from samtrygg.observations.models import Category

    chosen = (
        EffectCategories.objects.filter(partnership=partnership, action_type=action_type)
        .values_list("categories", flat=True)
        .order_by()
    )
    ids = sorted({pk for pk in chosen if pk is not None})
    if ids:
        return ids
    slugs = DEFAULT_CATEGORY_SLUGS.get(action_type, ())
    qs = Category.objects.filter(partnership=partnership)
    if slugs:
        qs = qs.filter(slug__in=slugs)
    return sorted(qs.values_list("pk", flat=True))


# --- the words -----------------------------------------------------------------------------


def _pct(value: float) -> str:
    return number_format(round(abs(value) * 100))


def rate_ratio_text(did: stats.DidResult, subject: str, control: str) -> str:
    """The rate ratio and its interval in words, e.g. "Händelserna i Centrum minskade med
    30 % (mellan 12 och 45 %) jämfört med övriga kommunen." """
    rr, low, high = did.rate_ratio, did.ci_low, did.ci_high
    values = {"s": subject, "c": control, "d": _pct(rr - 1)}
    if high < 1:
        return _("%(s)s minskade med %(d)s %% (mellan %(a)s och %(b)s %%) jämfört med %(c)s.") % {
            **values,
            "a": _pct(1 - high),
            "b": _pct(1 - low),
        }
    if low > 1:
        return _("%(s)s ökade med %(d)s %% (mellan %(a)s och %(b)s %%) jämfört med %(c)s.") % {
            **values,
            "a": _pct(low - 1),
            "b": _pct(high - 1),
        }
    spans = {**values, "a": _pct(1 - low), "b": _pct(high - 1)}
    if rr < 1:
        return (
            _(
                "%(s)s minskade med %(d)s %% jämfört med %(c)s, men intervallet går från en "
                "minskning på %(a)s %% till en ökning på %(b)s %%: det kan lika gärna vara "
                "ingen skillnad."
            )
            % spans
        )
    if rr > 1:
        return (
            _(
                "%(s)s ökade med %(d)s %% jämfört med %(c)s, men intervallet går från en "
                "minskning på %(a)s %% till en ökning på %(b)s %%: det kan lika gärna vara "
                "ingen skillnad."
            )
            % spans
        )
    return _("%(s)s förändrades lika mycket som %(c)s.") % values


def wdq_text(reading: stats.WdqReading, buffer: str) -> str:
    """The displacement reading in words."""
    if reading.kind == "undefined":
        return _("Förflyttning kan inte bedömas: jämförelsen eller målområdet saknar underlag.")
    if reading.kind == "no_success":
        return _(
            "Förflyttning bedöms inte: målområdet förbättrades inte jämfört med jämförelsen, "
            "så det finns inget som kan ha flyttat till %(b)s."
        ) % {"b": buffer}
    value = number_format(reading.value, 2) if reading.value is not None else "–"
    texts = {
        "diffusion": _(
            "Ingen förflyttning syns: %(b)s blev också lugnare (WDQ %(v)s, spridning av nytta)."
        ),
        "diffusion_exceeds": _(
            "Ingen förflyttning syns: %(b)s blev ännu lugnare än målområdet (WDQ %(v)s, "
            "spridning av nytta)."
        ),
        "displacement": _(
            "En del kan ha flyttat till %(b)s (WDQ %(v)s): där ökade det medan målområdet "
            "minskade, men mindre än vad målområdet vann."
        ),
        "displacement_exceeds": _(
            "Problemen verkar ha flyttat till %(b)s (WDQ %(v)s): där ökade det mer än "
            "målområdet minskade."
        ),
        "neither": _("Ingen förflyttning och ingen spridning av nytta till %(b)s (WDQ 0)."),
    }
    return texts[reading.kind] % {"b": buffer, "v": value}


def its_text(result: stats.ItsResult) -> str:
    level, low, high = result.rate_ratio("level_change")
    return _(
        "Tidsserien (trend, nivåskifte och ny lutning): vid starten ändrades nivån med en "
        "faktor %(l)s (95 %% intervall %(a)s–%(b)s), med hänsyn till trenden före."
    ) % {"l": number_format(level, 2), "a": number_format(low, 2), "b": number_format(high, 2)}


def caveat_text() -> str:
    """Said under every effect, whatever it shows."""
    return _(
        "Samband, inte bevis på orsak: annat kan ha ändrats samtidigt, och rapporterna speglar "
        "också hur mycket man rapporterar."
    )


# --- the result ----------------------------------------------------------------------------


@dataclass
class Effect:
    """What the effect block shows (see the module docstring for the contract)."""

    title: str
    status: str
    status_text: str = ""
    subject: str = ""
    target_label: str = ""
    buffer_label: str = ""
    control_label: str = ""
    categories_text: str = ""
    periods_text: str = ""
    weeks_before: int = 0
    weeks_after: int = 0
    did: stats.DidResult | None = None
    rr_text: str = ""
    wdq: stats.WdqReading | None = None
    wdq_text: str = ""
    its: stats.ItsResult | None = None
    its_text: str = ""
    rtm: stats.RtmCheck | None = None
    rtm_text: str = ""
    police_text: str = ""
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    weeks: list[dict[str, Any]] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)

    @property
    def caveat(self) -> str:
        return caveat_text()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def p_text(self) -> str:
        """The p value as written beside the interval: ``p < 0,001`` when that small."""
        if self.did is None:
            return ""
        if self.did.p < 0.001:
            return "p < " + number_format(0.001, 3)
        return "p = " + number_format(self.did.p, 3)

    @property
    def table(self) -> dict[str, Any]:
        """Counts and weekly rates per area, before and after."""
        labels = {
            "target": self.target_label,
            "buffer": self.buffer_label,
            "control": self.control_label,
        }
        rows = []
        for key, (before, after) in self.counts.items():
            rows.append(
                [
                    labels[key],
                    before,
                    after,
                    _rate(before, self.weeks_before),
                    _rate(after, self.weeks_after),
                ]
            )
        return {
            "columns": [
                _("Område"),
                _("Före"),
                _("Efter"),
                _("Per vecka före"),
                _("Per vecka efter"),
            ],
            "rows": rows,
        }

    @cached_property
    def chart(self) -> dict[str, Any]:
        from samtrygg.actions.effect_chart import effect_chart

        return effect_chart(self)


def _rate(count: int, weeks: int) -> str:
    return number_format(count / weeks, 1) if weeks else "–"


# --- target, buffer, control ---------------------------------------------------------------


@dataclass
class _Regions:
    """How one action splits the kommun's reports: by delområde or by h3 cell."""

    target_area: int | None
    target_cells: frozenset[int]
    buffer_areas: frozenset[int]
    buffer_cells: frozenset[int]
    control_areas: frozenset[int] | None
    target_label: str
    buffer_label: str

    @property
    def by_cell(self) -> bool:
        return bool(self.target_cells or self.buffer_cells)

    def key(self) -> tuple[Any, ...]:
        """Actions with the same key count the same reports (one query between them)."""
        return (self.target_cells, self.buffer_cells)

    def codes(self, areas: np.ndarray, cell_class: np.ndarray) -> np.ndarray:
        """TARGET, BUFFER, CONTROL or −1 (outside the chosen control) of each group of
        reports, from its delområde id (0: none) and its cell class (1: a target cell, 2: a
        buffer cell, 0: neither; see :func:`_counts`)."""
        out = np.full(areas.size, CONTROL, dtype=np.int64)
        if self.control_areas is not None:
            out[~np.isin(areas, np.fromiter(self.control_areas, np.int64))] = -1
        if self.buffer_areas:
            out[np.isin(areas, np.fromiter(self.buffer_areas, np.int64))] = BUFFER
        if self.buffer_cells:
            in_buffer = cell_class == 2
            if self.target_area is not None:
                in_buffer &= areas != self.target_area
            out[in_buffer] = BUFFER
        if self.target_area is not None:
            out[areas == self.target_area] = TARGET
        else:
            out[cell_class == 1] = TARGET
        return out


def _to_int(cell: str) -> int:
    return int(h3.str_to_int(cell))


def _ring_cells(cells: Iterable[str]) -> frozenset[int]:
    """h3 rings 1–2 around a set of cells (the cells themselves excluded)."""
    inner = set(cells)
    around: set[str] = set()
    for cell in inner:
        around.update(h3.grid_disk(cell, 2))
    return frozenset(_to_int(c) for c in around - inner)


def _cells_near(lat: float, lon: float, radius_m: float) -> set[str]:
    """The cells whose centres lie within ``radius_m`` of a point (its own cell always)."""
    centre = h3.latlng_to_cell(lat, lon, H3_RESOLUTION)
    spacing = 2 * h3.average_hexagon_edge_length(H3_RESOLUTION, unit="m") * math.sqrt(3) / 2
    k = math.ceil(radius_m / spacing) + 1
    found = {centre}
    for cell in h3.grid_disk(centre, k):
        clat, clon = h3.cell_to_latlng(cell)
        if h3.great_circle_distance((lat, lon), (clat, clon), unit="m") <= radius_m:
            found.add(cell)
    return found


def _area_cells(geometry: dict[str, Any]) -> set[str]:
    try:
        return set(h3.geo_to_cells(geometry, H3_RESOLUTION))
    except Exception:  # a geometry h3 cannot read: no cells, the neighbours decide
        return set()


def _regions(
    action: Action,
    areas: dict[int, Area],
    control_areas: frozenset[int] | None,
    radius_m: float,
) -> _Regions | None:
    if action.place_id and action.place is not None:
        place = action.place
        cells = _cells_near(place.lat, place.lon, radius_m)
        return _Regions(
            None,
            frozenset(_to_int(c) for c in cells),
            frozenset(),
            _ring_cells(cells),
            control_areas,
            _("%(p)s (%(r)s m runt)") % {"p": place.name, "r": number_format(round(radius_m))},
            _("ringen runt %(p)s") % {"p": place.name},
        )
    if action.area_id and action.area_id in areas:
        target = areas[action.area_id]
        geom = shape(target.geometry)
        near = geom.buffer(NEIGHBOUR_DEGREES)
        neighbours = sorted(
            (
                a
                for pk, a in areas.items()
                if pk != target.pk and near.intersects(shape(a.geometry))
            ),
            key=lambda a: a.name,
        )
        if neighbours:
            return _Regions(
                target.pk,
                frozenset(),
                frozenset(a.pk for a in neighbours),
                frozenset(),
                control_areas,
                target.name,
                _("grannområdena (%(n)s)") % {"n": ", ".join(a.name for a in neighbours)},
            )
        return _Regions(
            target.pk,
            frozenset(),
            frozenset(),
            _ring_cells(_area_cells(target.geometry)),
            control_areas,
            target.name,
            _("ringen runt %(n)s") % {"n": target.name},
        )
    return None


# --- counting ------------------------------------------------------------------------------


def _week_of(day: dt.date) -> int:
    """The period index of the ISO week holding ``day`` (analysis.binning's weeks)."""
    return (day.toordinal() - dt.date(1970, 1, 1).toordinal() + 3) // 7


def _day_of_week_index(first_week: int) -> dt.date:
    """The Monday of a week index (analysis.binning's weeks)."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=7 * first_week - 3)


def _counts(
    partnership: Partnership,
    first_week: int,
    end_week: int,
    categories: Sequence[int],
    regions: _Regions,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(week index, delområde id, cell class, count) of the reports of the chosen categories
    in the weeks ``[first_week, end_week)``, counted by the database.

    A report counts in the week of its date (``occurred_on``, the local date the reporter
    gave; weeks as :mod:`samtrygg.analysis.binning` numbers them). The database groups by
    date, delområde and – when the target or the buffer are h3 cells – whether the report's
    cell is a target cell (1), a buffer cell (2) or neither (0), so a year of 100 000 reports
    arrives as a few thousand rows.
    """
    from django.db.models import Case, Count, IntegerField, Value, When
    from django.db.models.functions import Coalesce

    from samtrygg.observations.models import Observation

    cell_class: Any = Value(0, output_field=IntegerField())
    if regions.by_cell:
        whens = []
        if regions.target_cells:
            whens.append(When(h3_cell__in=sorted(regions.target_cells), then=Value(1)))
        if regions.buffer_cells:
            whens.append(When(h3_cell__in=sorted(regions.buffer_cells), then=Value(2)))
        cell_class = Case(*whens, default=Value(0), output_field=IntegerField())
    rows = (
        Observation.objects.filter(
            partnership=partnership,
            merged_into__isnull=True,
            occurred_on__gte=_day_of_week_index(first_week),
            occurred_on__lt=_day_of_week_index(end_week),
            category_id__in=list(categories),
        )
        .order_by()
        .values_list("occurred_on", Coalesce("area_id", Value(0)), cell_class)
        .annotate(n=Count("id"))
    )
    table = list(rows)
    if not table:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    epoch = dt.date(1970, 1, 1).toordinal()
    days = np.asarray([d.toordinal() - epoch for d, _a, _c, _n in table], dtype=np.int64)
    weeks = period_index(days * 86_400, "week", local=True)
    rest = np.asarray([(a, c, n) for _d, a, c, n in table], dtype=np.int64)
    return weeks, rest[:, 0], rest[:, 1], rest[:, 2]


def _police(
    partnership: Partnership, windows: list[tuple[int, int, int]], categories: Sequence[int]
) -> tuple[int, int]:
    """Police events in the kommun of the chosen categories (through the partnership's type
    mapping), before and after, summed over the actions' windows (counted by the database,
    one query per distinct window)."""
    from django.db.models import Count, Q
    from django.db.models.functions import Coalesce

    from samtrygg.observations.models import PoliceTypeMapping
    from samtrygg.sources.models import PoliceEvent

    types = list(
        PoliceTypeMapping.objects.filter(
            partnership=partnership, category_id__in=list(categories)
        ).values_list("police_type", flat=True)
    )
    if not types:
        return 0, 0
    before = after = 0
    for lo, mid, hi in sorted(set(windows)):
        start, middle, end = (
            dt.datetime.fromtimestamp(int(period_start(w, "week")), tz=dt.UTC)
            for w in (lo, mid, hi)
        )
        found = (
            PoliceEvent.objects.filter(
                municipality_id=partnership.municipality_id,
                is_summary=False,
                type__in=types,
                published__gte=start - dt.timedelta(days=7),
                published__lt=end + dt.timedelta(days=7),
            )
            .alias(when=Coalesce("occurred", "published"))
            .aggregate(
                before=Count("id", filter=Q(when__gte=start, when__lt=middle)),
                after=Count("id", filter=Q(when__gte=middle, when__lt=end)),
            )
        )
        before += found["before"]
        after += found["after"]
    return before, after


# --- the evaluation ------------------------------------------------------------------------


def _weeks_text(first: int, last: int) -> str:
    """``vecka 25–36 2026``, or ``vecka 50 2025 – vecka 9 2026`` across a new year."""
    a, b = period_label_sv(first, "week"), period_label_sv(last, "week")
    if a == b:
        return a
    wa, ya = a.rsplit(" ", 1)
    wb, yb = b.rsplit(" ", 1)
    if ya == yb:
        return f"{wa}–{wb.split()[-1]} {ya}"
    return f"{a} – {b}"


def evaluate_actions(
    actor: Actor,
    actions: Sequence[Action] | Iterable[Action],
    *,
    weeks_before: int = 12,
    weeks_after: int = 12,
    categories: Sequence[int] | None = None,
    control_areas: Sequence[int] | None = None,
    radius_m: float | None = None,
    title: str = "",
    today: dt.date | None = None,
) -> Effect:
    """The effect of the actions (pooled, each at its own start) on the reports of the chosen
    categories: rate ratio against the control, displacement to the buffer, the target's
    time series and the regression-to-the-mean check. Reads only; see the module docstring.
    """
    items = [a for a in actions if a.partnership_id == actor.partnership.pk]
    weeks_before = max(1, min(int(weeks_before), MAX_WEEKS))
    weeks_after = max(1, min(int(weeks_after), MAX_WEEKS))
    radius = float(radius_m) if radius_m else float(DEFAULT_RADIUS_M)
    partnership = actor.partnership
    heading = title or (items[0].title if len(items) == 1 else _("Insatsernas effekt"))
    effect = Effect(title=heading, status="no_target", action_ids=[a.pk for a in items])
    effect.weeks_before = weeks_before
    if not items:
        effect.status_text = _("Inga insatser att utvärdera.")
        return effect

    from samtrygg.observations.models import Category

    types = {a.type for a in items}
    if categories is None:
        chosen: list[int] = sorted({pk for t in types for pk in categories_for(partnership, t)})
    else:
        wanted = {int(c) for c in categories}
        chosen = sorted(
            Category.objects.filter(partnership=partnership, pk__in=wanted).values_list(
                "pk", flat=True
            )
        )
    names = list(
        Category.objects.filter(pk__in=chosen)
        .order_by("sort_order", "name")
        .values_list("name", flat=True)
    )
    effect.categories_text = ", ".join(names) if names else _("inga kategorier")

    areas = {a.pk: a for a in Area.objects.filter(partnership=partnership).order_by("name", "pk")}
    control = frozenset(int(a) for a in control_areas if int(a) in areas) if control_areas else None
    effect.control_label = (
        _("de valda delområdena (%(n)s)")
        % {"n": ", ".join(areas[pk].name for pk in sorted(control, key=lambda k: areas[k].name))}
        if control
        else _("övriga kommunen")
    )

    today = today or timezone.localdate()
    this_week = _week_of(today)
    plans: list[tuple[Action, _Regions, int, int]] = []
    for action in items:
        regions = _regions(action, areas, control, radius)
        if regions is None:
            continue
        start = _week_of(action.start_date)
        available = this_week - start  # whole weeks from the start week up to last week
        plans.append((action, regions, start, min(weeks_after, available)))
    if not plans:
        effect.status_text = _(
            "Insatsen har varken delområde eller plats, så det finns inget område att mäta i."
        )
        return effect
    first = plans[0]
    effect.target_label = (
        first[1].target_label
        if len(plans) == 1
        else ", ".join(sorted({p[1].target_label for p in plans}))
    )
    effect.buffer_label = (
        first[1].buffer_label if len(plans) == 1 else _("ringarna och grannområdena runt dem")
    )
    effect.subject = _("Händelserna i %(t)s") % {"t": effect.target_label}
    started = [p for p in plans if p[3] > 0]
    if not started:
        effect.status = "not_started"
        effect.status_text = _(
            "Insatsen har inte pågått en hel vecka än; effekten kan mätas från nästa vecka."
        )
        return effect

    history = max(weeks_before, RTM_WEEKS)
    lo = min(p[2] for p in started) - history
    hi = max(p[2] + p[3] for p in started)
    counted: dict[tuple[Any, ...], tuple[np.ndarray, ...]] = {}
    after_span = max(p[3] for p in started)
    span = history + after_span
    # series[region, k]: counts in week k of the pooled window (k = history: the start week)
    series = np.zeros((REGIONS, span), dtype=np.int64)
    after_weeks = 0
    windows: list[tuple[int, int, int]] = []
    marks = np.zeros(span, dtype=bool)
    for action, regions, start, n_after in started:
        key = regions.key()
        if key not in counted:
            counted[key] = _counts(partnership, lo, hi, chosen, regions)
        weeks, area_ids, cell_class, n = counted[key]
        codes = regions.codes(area_ids, cell_class)
        rel = weeks - start + history
        keep = (codes >= 0) & (rel >= 0) & (rel < history + n_after)
        flat = np.bincount(
            codes[keep] * span + rel[keep], weights=n[keep], minlength=REGIONS * span
        ).astype(np.int64)
        series += flat.reshape(REGIONS, span)
        after_weeks += n_after
        windows.append((start - weeks_before, start, start + n_after))
        end = min(_week_of(action.end_date) - start + history, span - 1)
        marks[history : end + 1] = True
    counts_before = series[:, history - weeks_before : history].sum(axis=1)
    counts_after = series[:, history:].sum(axis=1)
    effect.counts = {
        "target": (int(counts_before[TARGET]), int(counts_after[TARGET])),
        "buffer": (int(counts_before[BUFFER]), int(counts_after[BUFFER])),
        "control": (int(counts_before[CONTROL]), int(counts_after[CONTROL])),
    }
    effect.weeks_before = weeks_before * len(started)
    effect.weeks_after = after_weeks
    single_start = len({p[2] for p in started}) == 1
    origin = started[0][2]
    for k in range(history - weeks_before, span):
        offset = k - history
        label = (
            period_label_sv(origin + offset, "week")
            if single_start
            else _("vecka %(n)+d") % {"n": offset}
            if offset
            else _("startveckan")
        )
        effect.weeks.append(
            {
                "label": label,
                "short": _("v. %(n)s") % {"n": label.split()[1]} if single_start else label,
                "rel": offset,
                "target": int(series[TARGET, k]),
                "buffer": int(series[BUFFER, k]),
                "control": int(series[CONTROL, k]),
                "action": bool(marks[k]),
            }
        )
    if single_start:
        effect.periods_text = _("Före: %(b)s. Efter: %(a)s.") % {
            "b": _weeks_text(origin - weeks_before, origin - 1),
            "a": _weeks_text(origin, origin + after_span - 1),
        }
    else:
        effect.periods_text = ngettext(
            "%(b)d veckor före och upp till %(a)d vecka efter varje insats start.",
            "%(b)d veckor före och upp till %(a)d veckor efter varje insats start.",
            after_span,
        ) % {"b": weeks_before, "a": after_span}

    police_before, police_after = _police(partnership, windows, chosen)
    effect.police_text = _(
        "Polisens händelser i hela kommunen av samma slag, som sammanhang (de har ingen "
        "plats i målområdet): %(b)d före, %(a)d efter."
    ) % {"b": police_before, "a": police_after}

    # regression to the mean: only when the reports reach back over the whole check
    data_start = _first_report_week(partnership)
    if data_start is not None and data_start <= min(p[2] for p in started) - RTM_WEEKS:
        effect.rtm = stats.regression_to_mean(series[TARGET, :history])
        if effect.rtm.flag:
            effect.rtm_text = _(
                "Varning: insatsen startade efter en topp. De sista fyra veckorna före hade i "
                "snitt %(r)s händelser i veckan mot %(m)s under halvåret innan. En topp brukar "
                "sjunka av sig själv (återgång mot medelvärdet), så en minskning efteråt säger "
                "lite om insatsen."
            ) % {
                "r": number_format(effect.rtm.recent_mean, 1),
                "m": number_format(effect.rtm.baseline_mean, 1),
            }

    tb, ta = effect.counts["target"]
    cb, ca = effect.counts["control"]
    bb, ba = effect.counts["buffer"]
    if tb < MIN_TARGET_BEFORE or 0 in (tb, ta, cb, ca):
        effect.status = "too_little"
        effect.status_text = _(
            "För lite data för att säga något: målområdet behöver minst %(n)d händelser före "
            "och inget av antalen får vara 0."
        ) % {"n": MIN_TARGET_BEFORE}
        return effect
    effect.status = "ok"
    effect.did = stats.did(
        tb, ta, cb, ca, weeks_before=effect.weeks_before, weeks_after=effect.weeks_after
    )
    effect.rr_text = rate_ratio_text(effect.did, effect.subject, effect.control_label)
    effect.wdq = stats.read_wdq(tb, ta, bb, ba, cb, ca)
    effect.wdq_text = wdq_text(effect.wdq, effect.buffer_label)
    target_series = series[TARGET, history - weeks_before :]
    try:
        effect.its = stats.its(target_series, weeks_before)
    except stats.InsufficientData:
        effect.its_text = _("Tidsserien kan inte beräknas: för få veckor efter starten.")
    else:
        effect.its_text = its_text(effect.its)
    return effect


FOLLOW_UP_LIMIT = 5
FOLLOW_UP_WEEKS = 12


def follow_up_actions(actor: Actor, meeting: Any) -> list[Action]:
    """The actions a meeting follows up: those on its agenda, then those finished in the
    twelve weeks before it (most recent first), at most :data:`FOLLOW_UP_LIMIT`, each with a
    delområde or a place."""
    from samtrygg.actions.models import ActionStatus

    on_agenda = [e.get("action_id") for e in meeting.agenda or [] if e.get("action_id")]
    located = Action.objects.filter(partnership=actor.partnership).exclude(
        area__isnull=True, place__isnull=True
    )
    chosen = list(
        located.filter(pk__in=on_agenda).select_related("area", "place").order_by("end_date", "id")
    )
    since = meeting.held_on - dt.timedelta(weeks=FOLLOW_UP_WEEKS)
    finished = (
        located.filter(
            status=ActionStatus.GENOMFORD, end_date__gte=since, end_date__lte=meeting.held_on
        )
        .exclude(pk__in=[a.pk for a in chosen])
        .select_related("area", "place")
        .order_by("-end_date", "-id")
    )
    chosen += list(finished[: max(0, FOLLOW_UP_LIMIT - len(chosen))])
    return chosen[:FOLLOW_UP_LIMIT]


def follow_up_effects(actor: Actor, meeting: Any) -> list[Effect]:
    """The effect block of each action the meeting follows up (see
    :func:`follow_up_actions`)."""
    return [evaluate_actions(actor, [a]) for a in follow_up_actions(actor, meeting)]


def group_url(action: Action) -> str:
    """The effect page of every action of the same type in the same delområde (or at the
    same place)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    params: dict[str, Any] = {"type": action.type}
    if action.area_id:
        params["area"] = action.area_id
    elif action.place_id:
        params["place"] = action.place_id
    return f"{reverse('action-effect')}?{urlencode(params)}"


def _first_report_week(partnership: Partnership) -> int | None:
    """The week of the partnership's first report (None: no reports)."""
    from samtrygg.observations.models import Observation

    first = Observation.objects.filter(partnership=partnership).aggregate(m=Min("occurred_on"))["m"]
    return None if first is None else _week_of(first)
