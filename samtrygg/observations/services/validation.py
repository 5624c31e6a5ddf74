"""Validation of one incident, the same for every channel: the form, the API, imports and
jobs. A refusal reads the same wherever it comes from; free text passes the privacy screen
before anything is stored."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import geo
from samtrygg.core.errors import DomainError
from samtrygg.core.models import Partnership, Place
from samtrygg.core.privacy import ensure_clean, screen
from samtrygg.core.services import refuse_control_characters
from samtrygg.observations.models import (
    Category,
    LocationPrecision,
    Source,
)
from samtrygg.observations.services.vocabulary import time_bands_of
from samtrygg.observations.timebands import (
    STOCKHOLM,
    TimeBand,
    band_of,
    parse_clock,
)

T = TypeVar("T")

MAX_DESCRIPTION = 2000
MAX_PEOPLE = 999
MAX_INCIDENTS = 20
EARLIEST_DATE = dt.date(2000, 1, 1)


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lower case without diacritics and surrounding space, for lenient matching."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def quote(value: Any, limit: int = 40) -> str:
    """A user's value for an error message, unless it holds an identifier (never repeated)."""
    text = str(value).strip()
    if screen(text):
        return _("(värdet visas inte)")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"”{text}”"


# --- Validation of one incident (every channel) ---------------------------------------------


@dataclass
class IncidentInput:
    """One incident as a channel received it; values may be typed or text.

    ``category``: Category, slug or name. ``occurred_on``: date or ``YYYY-MM-DD``. ``time``:
    time or ``HH:MM``. ``time_band``: key or label. ``place``: Place, id or name. ``lat`` and
    ``lon``: numbers or text (decimal comma allowed). ``location_precision``: ``plats``,
    ``punkt`` or ``position``, derived when empty. ``assessment``: 1–4. ``people_count``:
    a whole number or empty. ``source``: key or label, ``egen_iakttagelse`` when empty.
    ``police_reported``: bool or ja/nej.
    """

    category: Any = None
    occurred_on: Any = None
    time: Any = None
    time_band: Any = None
    place: Any = None
    lat: Any = None
    lon: Any = None
    location_precision: Any = ""
    description: Any = ""
    assessment: Any = None
    people_count: Any = None
    source: Any = None
    police_reported: Any = False


@dataclass
class CleanIncident:
    category: Category
    occurred_on: dt.date
    time_band: str
    time_exact: bool
    occurred_at: dt.datetime
    occurred_start: dt.datetime
    occurred_end: dt.datetime
    place: Place | None
    lat: float
    lon: float
    area_id: int | None
    h3_cell: int
    location_precision: str
    description: str
    assessment: int
    people_count: int | None
    source: str
    police_reported: bool

    def values(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "occurred_on": self.occurred_on,
            "time_band": self.time_band,
            "time_exact": self.time_exact,
            "occurred_at": self.occurred_at,
            "occurred_start": self.occurred_start,
            "occurred_end": self.occurred_end,
            "place": self.place,
            "lat": self.lat,
            "lon": self.lon,
            "area_id": self.area_id,
            "h3_cell": self.h3_cell,
            "location_precision": self.location_precision,
            "description": self.description,
            "assessment": self.assessment,
            "people_count": self.people_count,
            "source": self.source,
            "police_reported": self.police_reported,
        }

    def key(self, organisation_id: int) -> str:
        """A fingerprint of the content, for idempotent imports."""
        parts = [
            organisation_id,
            self.category.pk,
            self.occurred_on.isoformat(),
            self.time_band,
            self.occurred_at.isoformat() if self.time_exact else "",
            self.place.pk if self.place else "",
            f"{self.lat:.6f}",
            f"{self.lon:.6f}",
            self.location_precision,
            self.description,
            self.assessment,
            self.people_count if self.people_count is not None else "",
            self.source,
            int(self.police_reported),
        ]
        return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


class InvalidIncident(DomainError):
    """An incident with one or more invalid fields; ``errors`` holds each, with its field."""

    def __init__(self, errors: Sequence[DomainError], *, index: int | None = None) -> None:
        self.errors = list(errors)
        self.index = index
        message = " ".join(error.message for error in self.errors)
        name = self.errors[0].field or ""
        if index is not None:
            message = _("Händelse %(n)d: %(msg)s") % {"n": index + 1, "msg": message}
            name = f"incidents[{index}].{name}"
        super().__init__(message, field=name)

    def refusals(self) -> list[DomainError]:
        """Each field's refusal, its field named as the message names it (``incidents[N].``
        first when the incident is one of several)."""
        if self.index is None:
            return list(self.errors)
        return [
            DomainError(error.message, field=f"incidents[{self.index}].{error.field or ''}")
            for error in self.errors
        ]


class InvalidReport(DomainError):
    """A report with one or more invalid incidents; ``incidents`` holds each refusal."""

    def __init__(self, incidents: Sequence[InvalidIncident]) -> None:
        self.incidents = list(incidents)
        message = "\n".join(incident.message for incident in self.incidents)
        super().__init__(message, field=self.incidents[0].field)

    def refusals(self) -> list[DomainError]:
        return [error for incident in self.incidents for error in incident.refusals()]

    def field_errors(self) -> dict[tuple[int, str], str]:
        """{(incident index, field): message} for showing each error beside its field."""
        out: dict[tuple[int, str], str] = {}
        for incident in self.incidents:
            for error in incident.errors:
                key = (incident.index or 0, error.field or "")
                out[key] = f"{out[key]} {error.message}" if key in out else error.message
        return out


_TRUE = {"1", "ja", "j", "x", "true", "sant", "yes", "on", "polisanmald"}
_FALSE = {"", "0", "nej", "n", "false", "falskt", "no", "off"}


class Lookup:
    """What validating incidents needs of a partnership, fetched once (imports: per file)."""

    def __init__(self, partnership: Partnership) -> None:
        self.partnership = partnership
        self.bands = time_bands_of(partnership)
        self.bands_by_key = {b.key: b for b in self.bands}
        self.bands_by_name = {_fold(b.label): b for b in self.bands}
        self.bands_by_name.update({_fold(b.key): b for b in self.bands})
        categories = list(Category.objects.filter(partnership=partnership))
        self.categories = {c.pk: c for c in categories}
        self.categories_by_name: dict[str, Category] = {}
        for c in categories:
            self.categories_by_name[_fold(c.slug)] = c
        for c in categories:
            self.categories_by_name[_fold(c.name)] = c
        places = list(Place.objects.filter(partnership=partnership))
        self.places = {p.pk: p for p in places}
        self.places_by_name = {_fold(p.name): p for p in places}
        self.geometry = geo.geometry_for(partnership)
        self.sources = {_fold(value): value for value in Source.values}
        self.sources.update({_fold(str(label)): value for value, label in Source.choices})
        self.today = timezone.localdate()

    def category(self, value: Any, *, keep: Category | None = None) -> Category:
        if isinstance(value, Category):
            found: Category | None = self.categories.get(value.pk)
        elif isinstance(value, int) or (isinstance(value, str) and _is_number(value.strip())):
            found = self.categories.get(int(value))
        else:
            found = self.categories_by_name.get(_fold(value or ""))
        if not str(value or "").strip() and not isinstance(value, Category):
            raise DomainError(_("Välj en kategori."), field="category")
        if found is None:
            raise DomainError(
                _("Okänd kategori %(v)s. Välj en av samverkans kategorier.") % {"v": quote(value)},
                field="category",
            )
        if found.is_retired and found != keep:
            raise DomainError(
                _("Kategorin %(c)s är avvecklad och kan inte väljas för nya händelser.")
                % {"c": found.name},
                field="category",
            )
        return found

    def band(self, value: Any) -> TimeBand | None:
        text = str(value or "").strip()
        if not text:
            return None
        found = self.bands_by_key.get(text) or self.bands_by_name.get(_fold(text))
        if found is None:
            names = ", ".join(f"{b.label} ({b.span_text})" for b in self.bands)
            raise DomainError(
                _("Okänt tidsband %(v)s. Välj ett av: %(names)s.")
                % {"v": quote(value), "names": names},
                field="time_band",
            )
        return found

    def place(self, value: Any) -> Place | None:
        if value is None or value == "":
            return None
        if isinstance(value, Place):
            found: Place | None = self.places.get(value.pk)
        elif isinstance(value, int) or (isinstance(value, str) and _is_number(value.strip())):
            found = self.places.get(int(value))
        else:
            found = self.places_by_name.get(_fold(value))
        if found is None:
            raise DomainError(
                _("Okänd plats %(v)s. Välj en av samverkans namngivna platser eller ange en punkt.")
                % {"v": quote(value)},
                field="place",
            )
        return found


def _date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        if not text:
            raise DomainError(_("Ange datum."), field="occurred_on")
        try:
            day = dt.date.fromisoformat(text[:10])
        except ValueError as exc:
            raise DomainError(
                _("Datumet %(v)s kan inte läsas. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2025-11-20.")
                % {"v": quote(value)},
                field="occurred_on",
            ) from exc
    if day > today:
        raise DomainError(_("Datumet ligger i framtiden."), field="occurred_on")
    if day < EARLIEST_DATE:
        raise DomainError(_("Datumet är orimligt tidigt."), field="occurred_on")
    return day


def _coordinate(value: Any, which: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else value
        return float(number)
    except (TypeError, ValueError) as exc:
        name = _("Latituden") if which == "lat" else _("Longituden")
        raise DomainError(
            _("%(n)s %(v)s är inget tal.") % {"n": name, "v": quote(value)}, field="location"
        ) from exc


def _int(value: Any, field_name: str, message: Callable[[], str]) -> int | None:
    """A whole number from a number or text; ``message`` (made only when needed) on error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise DomainError(message(), field=field_name)
    if isinstance(value, float):
        if not value.is_integer():
            raise DomainError(message(), field=field_name)
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not _is_number(text.lstrip("-")):
        raise DomainError(message(), field=field_name)
    return int(text)


def _is_number(text: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` also takes "²" and the like, which ``int`` refuses."""
    return text.isascii() and text.isdigit()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = _fold(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DomainError(
        _("Polisanmält ska vara ja eller nej, inte %(v)s.") % {"v": quote(value)},
        field="police_reported",
    )


def _assessment_message() -> str:
    return _("Välj en bedömning mellan 1 och 4.")


def _people_message() -> str:
    return _("Ange ungefärligt antal personer som ett heltal, t.ex. 5.")


_PRECISIONS = frozenset(LocationPrecision.values)
_OWN_SOURCE = Source.OWN.value


class _Errors:
    """The refusals met while validating one incident, each with its field, in order."""

    def __init__(self) -> None:
        self.items: list[DomainError] = []

    def add(self, message: str, field: str) -> None:
        self.items.append(DomainError(message, field=field))

    def attempt(self, func: Callable[[], T]) -> T | None:
        try:
            return func()
        except DomainError as exc:
            self.items.append(exc)
            return None

    def about(self, field: str) -> bool:
        return any(error.field == field for error in self.items)


@dataclass(frozen=True)
class Timing:
    """When an incident happened: its time band, whether the time is exact, and the instant
    (the middle of the band) with the window it lies in."""

    band: str
    exact: bool
    at: dt.datetime
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Location:
    """Where an incident happened: a named place or a point, placed in its delområde."""

    place: Place | None
    lat: float
    lon: float
    area_id: int | None
    h3_cell: int
    precision: str


def _when(
    lookup: Lookup, raw: IncidentInput, day: dt.date | None, errors: _Errors
) -> Timing | None:
    """An exact time (its band is derived), or a time band."""
    clock = parse_clock(raw.time)
    unreadable = clock is None and bool(str(raw.time or "").strip())
    if unreadable:
        errors.add(
            _("Klockslaget %(v)s kan inte läsas. Skriv det som TT:MM, t.ex. 21:30.")
            % {"v": quote(raw.time)},
            "time",
        )
    band = errors.attempt(lambda: lookup.band(raw.time_band))
    if day is None or unreadable:
        return None
    if clock is not None:
        instant = dt.datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(dt.UTC)
        if band is not None and not band.contains(clock):
            errors.add(
                _("Klockslaget %(t)s ligger inte i tidsbandet %(b)s (%(span)s).")
                % {"t": clock.strftime("%H:%M"), "b": band.label, "span": band.span_text},
                "time_band",
            )
            return None
        if instant > timezone.now() + dt.timedelta(minutes=5):
            errors.add(_("Klockslaget ligger i framtiden."), "time")
            return None
        chosen = band or band_of(lookup.bands, clock)
        return Timing(chosen.key if chosen is not None else "", True, instant, instant, instant)
    if band is not None:
        start, end = band.window(day)
        return Timing(band.key, False, start + (end - start) / 2, start, end)
    if str(raw.time_band or "").strip() == "":
        errors.add(_("Ange klockslag eller välj ett tidsband."), "time_band")
    return None


def _where(lookup: Lookup, raw: IncidentInput, errors: _Errors) -> Location | None:
    """A named place, a tap on the map or the device position."""
    place = errors.attempt(lambda: lookup.place(raw.place))
    lat = errors.attempt(lambda: _coordinate(raw.lat, "lat"))
    lon = errors.attempt(lambda: _coordinate(raw.lon, "lon"))
    precision = str(raw.location_precision or "").strip()
    if not precision:
        precision = LocationPrecision.PLACE if place is not None else LocationPrecision.POINT
    missing = _("Välj en plats, peka på kartan eller använd din position.")
    if precision not in _PRECISIONS:
        errors.add(_("Okänd platsangivelse."), "location")
    elif precision == LocationPrecision.PLACE:
        if place is not None:
            return Location(place, place.lat, place.lon, place.area_id, place.h3_cell, precision)
        if not errors.about("place"):
            errors.add(missing, "location")
    elif lat is None or lon is None:
        if not errors.about("location"):
            errors.add(missing, "location")
    else:
        try:
            located = lookup.geometry.locate(lat, lon)
            return Location(None, lat, lon, located.area_id, located.h3_cell, precision)
        except DomainError as exc:
            errors.add(exc.message, "location")
    return None


def _description(raw: IncidentInput, errors: _Errors) -> str:
    description = str(raw.description or "").strip()
    if not description:
        errors.add(_("Beskriv kort vad som hände och var."), "description")
    elif len(description) > MAX_DESCRIPTION:
        errors.add(
            _("Beskrivningen får vara högst %(n)d tecken.") % {"n": MAX_DESCRIPTION},
            "description",
        )
    else:
        errors.attempt(
            lambda: refuse_control_characters(
                description, field="description", label=_("Beskrivningen")
            )
        )
        if not errors.about("description"):
            errors.attempt(lambda: ensure_clean(description, field="description"))
    return description


def _assessment(raw: IncidentInput, errors: _Errors) -> int | None:
    assessment = errors.attempt(lambda: _int(raw.assessment, "assessment", _assessment_message))
    if (assessment is None and not errors.about("assessment")) or (
        assessment is not None and not 1 <= assessment <= 4
    ):
        errors.add(_assessment_message(), "assessment")
    return assessment


def _people(raw: IncidentInput, errors: _Errors) -> int | None:
    people = errors.attempt(lambda: _int(raw.people_count, "people_count", _people_message))
    if people is not None and not 0 <= people <= MAX_PEOPLE:
        errors.add(
            _("Antal personer ska vara mellan 0 och %(n)d.") % {"n": MAX_PEOPLE}, "people_count"
        )
    return people


def _source(lookup: Lookup, raw: IncidentInput, errors: _Errors) -> str | None:
    source_text = str(raw.source or "").strip()
    source = lookup.sources.get(_fold(source_text)) if source_text else _OWN_SOURCE
    if source is None:
        labels = ", ".join(str(label).lower() for label in Source.labels)
        errors.add(
            _("Okänd källa %(v)s. Välj en av: %(labels)s.")
            % {"v": quote(source_text), "labels": labels},
            "source",
        )
    return source


def clean_incident(
    lookup: Lookup, raw: IncidentInput, *, keep_category: Category | None = None
) -> CleanIncident:
    """Validate one incident; raises InvalidIncident naming every invalid field (in the
    order of the form: what, when, where, description, assessment, people, source)."""
    errors = _Errors()
    category = errors.attempt(lambda: lookup.category(raw.category, keep=keep_category))
    day = errors.attempt(lambda: _date(raw.occurred_on, lookup.today))
    timing = _when(lookup, raw, day, errors)
    location = _where(lookup, raw, errors)
    description = _description(raw, errors)
    assessment = _assessment(raw, errors)
    people = _people(raw, errors)
    source = _source(lookup, raw, errors)
    police_reported = errors.attempt(lambda: _bool(raw.police_reported))
    if errors.items:
        raise InvalidIncident(errors.items)
    assert category is not None and day is not None and timing is not None
    assert location is not None and assessment is not None and source is not None
    return CleanIncident(
        category=category,
        occurred_on=day,
        time_band=timing.band,
        time_exact=timing.exact,
        occurred_at=timing.at,
        occurred_start=timing.start,
        occurred_end=timing.end,
        place=location.place,
        lat=location.lat,
        lon=location.lon,
        area_id=location.area_id,
        h3_cell=location.h3_cell,
        location_precision=location.precision,
        description=description,
        assessment=assessment,
        people_count=people,
        source=source,
        police_reported=bool(police_reported),
    )
