"""Reads of external facts, always for the acting user's partnership.

Police events and crime statistics are national public data, so every member of a
partnership may read them, but only those of its own kommun and län: the lists hold the
events placed in the partnership's kommun and the events placed only in its län (no kommun
named), and an event outside the län answers NotFound, like a missing one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema

from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.models import Municipality, Population
from samtrygg.core.permissions import Actor
from samtrygg.sources.bra import UNIT_COUNT, UNIT_PER_100K
from samtrygg.sources.models import (
    CrimeStatistic,
    FetchCall,
    FetchLock,
    PoliceEvent,
    PoliceEventVersion,
    SourceRun,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PER = 100_000
# The category filter's value for types the partnership has not mapped to a category.
UNMAPPED = "-"
FETCH_TASK = "samtrygg.sources.fetch_police_events"


# --------------------------------------------------------------------------- police events


@dataclass(frozen=True)
class EventFilter:
    """What a list of police events is narrowed to. Dates are Swedish dates of publication."""

    type: str = ""
    category: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_summaries: bool = False
    level: str = ""  # "" both, "kommun" placed in the kommun, "lan" only in the län

    @classmethod
    def from_params(cls, params: Any) -> EventFilter:
        """From the page's query string: typ, kategori, fran, till, sammanfattningar, niva."""
        return EventFilterParams.from_page(params).parsed()


# Control characters other than tab, line feed and carriage return (as core.services).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EventFilterParams(FilterSchema):
    """The one definition of the police-events list's filters: the API reads its query
    string through it, and the page (whose query string has Swedish names, `PAGE_NAMES`)
    through :meth:`from_page`; :meth:`parsed` is what the queries take."""

    type: str = Field("", description="Polisens händelsetyp, t.ex. `Inbrott`.")
    category: str = Field(
        "",
        description=f"Samverkans kategori enligt typtabellen; `{UNMAPPED}`: typer utan kategori.",
    )
    date_from: dt.date | None = Field(None, description="Publicerad från och med, ÅÅÅÅ-MM-DD.")
    date_to: dt.date | None = Field(None, description="Publicerad till och med, ÅÅÅÅ-MM-DD.")
    include_summaries: bool = Field(False, description="Ta med polisens sammanfattningar.")
    level: str = Field("", description="`kommun`, `lan`, eller tomt för båda.")

    PAGE_NAMES: ClassVar[dict[str, str]] = {
        "typ": "type",
        "kategori": "category",
        "fran": "date_from",
        "till": "date_to",
        "sammanfattningar": "include_summaries",
        "niva": "level",
    }

    @classmethod
    def from_page(cls, params: Any) -> EventFilterParams:
        """From the page's query string; a date that cannot be read is a DomainError."""
        return cls(
            type=(params.get("typ") or "").strip(),
            category=(params.get("kategori") or "").strip(),
            date_from=_date(params.get("fran"), _("Från")),
            date_to=_date(params.get("till"), _("Till")),
            include_summaries=str(params.get("sammanfattningar") or "") in ("1", "on", "true"),
            level=params.get("niva", "") or "",
        )

    def parsed(self) -> EventFilter:
        """The filter the queries take; text with control characters (a NUL byte, which
        PostgreSQL cannot compare) is a DomainError, not a database error."""
        for value, label in ((self.type, _("Typ")), (self.category, _("Kategori"))):
            if _CONTROL_CHARACTERS.search(value):
                raise DomainError(
                    _("%(label)s innehåller otillåtna tecken (styrtecken, t.ex. NUL). Ta bort dem.")
                    % {"label": label}
                )
        return EventFilter(
            type=self.type,
            category=self.category,
            date_from=self.date_from,
            date_to=self.date_to,
            include_summaries=self.include_summaries,
            level=self.level if self.level in ("kommun", "lan") else "",
        )


def _date(value: Any, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(
            _("Ogiltigt datum i %(l)s: %(v)s (skriv ÅÅÅÅ-MM-DD).") % {"l": label, "v": value}
        ) from exc


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=STOCKHOLM)


def type_categories(actor: Actor) -> dict[str, str | None]:
    """The partnership's police type → category table (None: not mapped yet)."""
    from samtrygg.observations.queries import police_type_categories

    return police_type_categories(actor.partnership)


def _area(actor: Actor) -> Q:
    municipality = actor.partnership.municipality
    return Q(municipality_id=municipality.code) | Q(
        municipality__isnull=True, county_id=municipality.county_id
    )


def police_events(
    actor: Actor,
    filters: EventFilter | None = None,
    *,
    categories: dict[str, str | None] | None = None,
) -> QuerySet[PoliceEvent]:
    """Events placed in the partnership's kommun, and those placed only in its län."""
    filters = filters or EventFilter()
    municipality = actor.partnership.municipality
    if filters.level == "kommun":
        qs = PoliceEvent.objects.filter(municipality_id=municipality.code)
    elif filters.level == "lan":
        qs = PoliceEvent.objects.filter(municipality__isnull=True, county_id=municipality.county_id)
    else:
        qs = PoliceEvent.objects.filter(_area(actor))
    if not filters.include_summaries:
        qs = qs.filter(is_summary=False)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.category:
        table = categories if categories is not None else type_categories(actor)
        if filters.category == UNMAPPED:
            mapped = [t for t, category in table.items() if category]
            qs = qs.exclude(type__in=mapped)
        else:
            qs = qs.filter(type__in=[t for t, c in table.items() if c == filters.category])
    if filters.date_from:
        qs = qs.filter(published__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(published__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs.select_related("municipality", "county").order_by("-published", "-id")


def with_categories(
    qs: QuerySet[PoliceEvent], categories: dict[str, str | None]
) -> QuerySet[PoliceEvent]:
    """Annotate each event with ``category``: the partnership's category for its type."""
    whens = [When(type=t, then=Value(c)) for t, c in categories.items() if c]
    if not whens:
        return qs.annotate(category=Value(None, output_field=CharField()))
    return qs.annotate(category=Case(*whens, default=Value(None), output_field=CharField()))


def police_event(actor: Actor, pk: Any) -> PoliceEvent:
    """One event of the partnership's län (of any of its kommuner), else NotFound."""
    try:
        return PoliceEvent.objects.select_related("municipality", "county").get(
            pk=int(pk), county_id=actor.partnership.municipality.county_id
        )
    except (ValueError, TypeError, PoliceEvent.DoesNotExist) as exc:
        raise NotFound(_("Händelsen finns inte.")) from exc


@dataclass(frozen=True)
class EventCounts:
    kommun: int
    lan: int
    summaries: int  # summaries in the same filter, left out of the two counts unless asked


def police_event_versions(event: PoliceEvent) -> QuerySet[PoliceEventVersion]:
    """The earlier wordings of an event the actor has been allowed to see, newest first."""
    return PoliceEventVersion.objects.filter(event=event).order_by("-seen_at")


def police_event_counts(
    actor: Actor, filters: EventFilter, *, categories: dict[str, str | None] | None = None
) -> EventCounts:
    qs = police_events(
        actor,
        dataclasses.replace(filters, include_summaries=True, level=""),
        categories=categories,
    )
    municipality_code = actor.partnership.municipality.code
    rows = qs.order_by().values("municipality_id", "is_summary").annotate(n=Count("id"))
    kommun = lan = summaries = 0
    for row in rows:
        if row["is_summary"]:
            summaries += row["n"]
            if not filters.include_summaries:
                continue
        if row["municipality_id"] == municipality_code:
            kommun += row["n"]
        else:
            lan += row["n"]
    if filters.level == "kommun":
        lan = 0
    elif filters.level == "lan":
        kommun = 0
    return EventCounts(kommun=kommun, lan=lan, summaries=summaries)


def police_event_types(actor: Actor) -> list[tuple[str, int]]:
    """The event types in the partnership's kommun and län, with how many (summaries too)."""
    rows = (
        PoliceEvent.objects.filter(_area(actor))
        .order_by()
        .values("type")
        .annotate(n=Count("id"))
        .order_by("type")
    )
    return [(row["type"], row["n"]) for row in rows]


# --------------------------------------------------------------------------- crime statistics


@dataclass(frozen=True)
class CrimeRate:
    """One crime category and year for the partnership's kommun, with its län beside it.

    ``rate`` is per 100 000 inhabitants: as Brå published it (``published_rate``) where Brå
    publishes one, otherwise computed from the count and SCB's population of the same year
    (``population_year``; no rate without it). The län's rate is computed from its kommuner
    with a value (``lan_kommuner`` of ``lan_total``); see :func:`kommun_crime_rates`.
    """

    year: int
    category: str
    published_rate: bool
    count: int | None
    rate: float | None
    population: int | None
    population_year: int | None
    lan_count: int | None
    lan_rate: float | None
    lan_population: int | None
    lan_population_years: tuple[int, ...]
    lan_kommuner: int
    lan_total: int

    @property
    def population_year_differs(self) -> bool:
        return self.population_year is not None and self.population_year != self.year


def crime_rates(actor: Actor) -> list[CrimeRate]:
    """Brå's statistics for the partnership's kommun, newest year first, with the län's."""
    return kommun_crime_rates(actor.partnership.municipality)


def kommun_crime_rates(municipality: Municipality) -> list[CrimeRate]:
    """Brå's statistics for a kommun, newest year first, with its län beside it.

    A rate is the one Brå published where there is one (Orsa 2021: 7 147 per 100 000);
    otherwise the count over SCB's population of the same year, and none when that year's
    population is missing (a count over another year's population is not that year's rate).
    The län's rate adds up its kommuner's counts and populations; a kommun with Brå's count
    and rate counts with the population Brå divided by (count ÷ rate), so the län's rate is
    the one Brå's own figures give.
    """
    county_codes = list(
        Municipality.objects.filter(county_id=municipality.county_id).values_list("code", flat=True)
    )
    populations: dict[tuple[str, int], int] = {}
    for code, year, inhabitants in Population.objects.filter(
        municipality_id__in=county_codes
    ).values_list("municipality_id", "year", "population"):
        populations[(code, year)] = inhabitants
    stats: dict[tuple[int, str], dict[str, dict[str, float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for code, year, category, unit, value in CrimeStatistic.objects.filter(
        municipality_id__in=county_codes
    ).values_list("municipality_id", "year", "category", "unit", "value"):
        stats[(year, category)][code][unit] = value

    def count_and_people(
        code: str, year: int, values: dict[str, float | None]
    ) -> tuple[float | None, float | None]:
        """The kommun's count and the population it is a rate of (Brå's where published)."""
        count, rate = values.get(UNIT_COUNT), values.get(UNIT_PER_100K)
        people = populations.get((code, year))
        if count is not None and rate:
            return count, count * PER / rate
        if count is not None and people:
            return count, people
        if rate is not None and people:
            return rate * people / PER, people
        return None, None

    out: list[CrimeRate] = []
    for (year, category), by_kommun in stats.items():
        own = by_kommun.get(municipality.code)
        if own is None:
            continue
        count, published = own.get(UNIT_COUNT), own.get(UNIT_PER_100K)
        people = populations.get((municipality.code, year))
        if published is not None:
            rate: float | None = published
        else:
            rate = count * PER / people if count is not None and people else None
        lan_count, lan_people, lan_kommuner = 0.0, 0.0, 0
        for code, values in by_kommun.items():
            k_count, k_people = count_and_people(code, year, values)
            if k_count is None or not k_people:
                continue
            lan_count += k_count
            lan_people += k_people
            lan_kommuner += 1
        out.append(
            CrimeRate(
                year=year,
                category=category,
                published_rate=published is not None,
                count=int(count) if count is not None else None,
                rate=rate,
                population=people,
                population_year=year if people else None,
                lan_count=round(lan_count) if lan_kommuner and count is not None else None,
                lan_rate=lan_count * PER / lan_people if lan_people else None,
                lan_population=round(lan_people) or None,
                lan_population_years=(year,) if lan_kommuner else (),
                lan_kommuner=lan_kommuner,
                lan_total=len(county_codes),
            )
        )
    out.sort(key=lambda r: (-r.year, r.count is None, r.category))
    return out


# --------------------------------------------------------------------------- source status


@dataclass
class SourceStatus:
    """What the source-status page and the API show."""

    police_total: int = 0
    police_kommun: int = 0
    police_lan: int = 0
    police_summaries: int = 0
    police_national: int = 0
    police_latest: dt.datetime | None = None
    last_import: SourceRun | None = None
    last_fetch: SourceRun | None = None
    recent_failures: list[SourceRun] = field(default_factory=list)
    fetch_url: str = ""
    fetch_enabled: bool = False
    fetch_https: bool = True
    calls_last_hour: int = 0
    calls_last_day: int = 0
    backoff_until: dt.datetime | None = None
    failures_in_row: int = 0
    next_fetch: dt.datetime | None = None
    next_fetch_note: str = ""
    unmapped_types: list[tuple[str, int]] = field(default_factory=list)
    bra_last_import: SourceRun | None = None
    bra_years: list[int] = field(default_factory=list)
    bra_categories: list[str] = field(default_factory=list)
    bra_rows: int = 0
    population_years: list[tuple[int, int]] = field(default_factory=list)


def _latest(source: str, kind: str) -> SourceRun | None:
    return (
        SourceRun.objects.filter(source=source, kind=kind, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )


def _next_scheduled(last_fetch: SourceRun | None, now: dt.datetime) -> dt.datetime | None:
    """When the schedule (django-celery-beat, else CELERY_BEAT_SCHEDULE) runs the fetch next."""
    from django_celery_beat.models import PeriodicTask

    try:
        task = PeriodicTask.objects.filter(task=FETCH_TASK, enabled=True).first()
    except DatabaseError:  # the schedule's tables are missing: use the settings
        task = None
    if task is not None:
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            remaining: dt.timedelta = task.schedule.remaining_estimate(task.last_run_at or now)
            return max(now, now + remaining)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry.get("task") == FETCH_TASK:
            schedule = entry.get("schedule")
            seconds = (
                schedule.total_seconds()
                if isinstance(schedule, dt.timedelta)
                else float(schedule)
                if isinstance(schedule, int | float)
                else None
            )
            if seconds is None:
                return None
            base = last_fetch.started_at if last_fetch else now
            step = dt.timedelta(seconds=seconds)
            upcoming = base + step
            while upcoming < now:
                upcoming += step
            return upcoming
    return None


def source_status(actor: Actor, *, now: dt.datetime | None = None) -> SourceStatus:
    now = now or timezone.now()
    municipality = actor.partnership.municipality
    status = SourceStatus()
    in_area = PoliceEvent.objects.filter(_area(actor)).order_by()
    for row in in_area.values("municipality_id", "is_summary").annotate(n=Count("id")):
        status.police_total += row["n"]
        if row["is_summary"]:
            status.police_summaries += row["n"]
        elif row["municipality_id"] == municipality.code:
            status.police_kommun += row["n"]
        else:
            status.police_lan += row["n"]
    status.police_national = PoliceEvent.objects.count()
    status.police_latest = (
        PoliceEvent.objects.order_by("-published").values_list("published", flat=True).first()
    )
    status.last_import = _latest("police-events", SourceRun.Kind.IMPORT)
    status.last_fetch = _latest("police-events", SourceRun.Kind.FETCH)
    status.recent_failures = list(
        SourceRun.objects.filter(ok=False).order_by("-started_at", "-id")[:5]
    )
    status.fetch_url = settings.POLICE_EVENTS_URL
    status.fetch_enabled = bool(settings.POLICE_EVENTS_URL)
    status.fetch_https = settings.POLICE_EVENTS_URL.lower().startswith("https://")
    status.calls_last_hour = FetchCall.objects.filter(at__gt=now - dt.timedelta(hours=1)).count()
    status.calls_last_day = FetchCall.objects.filter(at__gt=now - dt.timedelta(days=1)).count()
    lock = FetchLock.objects.filter(name="police-events").first()
    if lock is not None:
        status.failures_in_row = lock.failures
        if lock.backoff_until and lock.backoff_until > now:
            status.backoff_until = lock.backoff_until
    if status.fetch_enabled and status.fetch_https:
        status.next_fetch = _next_scheduled(status.last_fetch, now)
        if status.backoff_until and (
            status.next_fetch is None or status.backoff_until > status.next_fetch
        ):
            status.next_fetch_note = _("Väntar efter fel till %(t)s.") % {
                "t": timezone.localtime(status.backoff_until).strftime("%Y-%m-%d %H:%M")
            }
    categories = type_categories(actor)
    counts = dict(police_event_types(actor))
    unmapped = {t for t, category in categories.items() if not category}
    unmapped |= {t for t in counts if t not in categories}
    status.unmapped_types = sorted(
        ((t, counts.get(t, 0)) for t in unmapped), key=lambda pair: (-pair[1], pair[0])
    )
    status.bra_last_import = _latest("bra-crime", SourceRun.Kind.IMPORT)
    status.bra_years = sorted(
        set(CrimeStatistic.objects.values_list("year", flat=True).distinct()), reverse=True
    )
    status.bra_categories = sorted(
        set(CrimeStatistic.objects.values_list("category", flat=True).distinct())
    )
    status.bra_rows = CrimeStatistic.objects.count()
    status.population_years = [
        (row["year"], row["n"])
        for row in Population.objects.order_by()
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    ]
    return status
