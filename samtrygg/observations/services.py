"""Every write to EST reports: validation, one transaction, the audit entry.

Forms, the API, imports and jobs call these functions and nothing else to change reports,
categories, the police type mapping or time bands. Every channel validates through the same
:func:`clean_incident`, so a refusal reads the same wherever it comes from, and every
free-text field passes the privacy screen (``core.privacy.ensure_clean``) before anything is
stored. A refusal is a DomainError with a Swedish message; nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtrygg.core import audit, geo
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.models import AuditAction, Organisation, Partnership, Place
from samtrygg.core.permissions import Actor
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.privacy import PrivacyRefusal, ensure_clean, screen
from samtrygg.observations.models import (
    Category,
    Channel,
    LocationPrecision,
    Observation,
    PoliceTypeMapping,
    Report,
    ReportingSettings,
    Source,
    default_time_bands,
)
from samtrygg.observations.roles import CONFIG_ROLES, REPORT_ROLES, REVIEW_ROLES
from samtrygg.observations.timebands import (
    STOCKHOLM,
    TimeBand,
    band_of,
    bands_from_config,
    parse_clock,
)
from samtrygg.observations.vocabulary import DEFAULT_CATEGORIES, POLICE_TYPES

T = TypeVar("T")

# Bump when the shipped defaults (categories, police types) grow: ensure_defaults adds them.
DEFAULTS_VERSION = 1
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


# --- Defaults -------------------------------------------------------------------------------


def ensure_defaults(partnership: Partnership) -> ReportingSettings:
    """Create the partnership's default categories, police type mapping and time bands.

    Idempotent and cheap when done (one query): called from the pages, the API, imports and
    when a partnership is created. A category the coordinator has deleted is not brought back.
    Shipped defaults, like reference data, get no audit entry; every later change does.
    """
    settings = ReportingSettings.objects.filter(partnership=partnership).first()
    if settings is not None and settings.defaults_version >= DEFAULTS_VERSION:
        return settings
    try:
        with transaction.atomic():
            settings, created = ReportingSettings.objects.select_for_update().get_or_create(
                partnership=partnership, defaults={"time_bands": default_time_bands()}
            )
            if settings.defaults_version >= DEFAULTS_VERSION:
                return settings
            if created:
                existing = set(
                    Category.objects.filter(partnership=partnership).values_list("slug", flat=True)
                )
                Category.objects.bulk_create(
                    [
                        Category(
                            partnership=partnership,
                            name=name,
                            slug=slug,
                            is_default=True,
                            sort_order=index * 10,
                        )
                        for index, (slug, name) in enumerate(DEFAULT_CATEGORIES, start=1)
                        if slug not in existing
                    ]
                )
            by_slug = {c.slug: c for c in Category.objects.filter(partnership=partnership)}
            known = set(
                PoliceTypeMapping.objects.filter(partnership=partnership).values_list(
                    "police_type", flat=True
                )
            )
            PoliceTypeMapping.objects.bulk_create(
                [
                    PoliceTypeMapping(
                        partnership=partnership,
                        police_type=police_type,
                        category=by_slug.get(slug) if slug else None,
                    )
                    for police_type, slug in POLICE_TYPES.items()
                    if police_type not in known
                ]
            )
            settings.defaults_version = DEFAULTS_VERSION
            settings.save(update_fields=["defaults_version", "updated_at"])
    except IntegrityError:
        # Another request created them at the same moment.
        settings = ReportingSettings.objects.get(partnership=partnership)
    return settings


def time_bands_of(partnership: Partnership) -> list[TimeBand]:
    return bands_from_config(ensure_defaults(partnership).time_bands)


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


class InvalidReport(DomainError):
    """A report with one or more invalid incidents; ``incidents`` holds each refusal."""

    def __init__(self, incidents: Sequence[InvalidIncident]) -> None:
        self.incidents = list(incidents)
        message = "\n".join(incident.message for incident in self.incidents)
        super().__init__(message, field=self.incidents[0].field)

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
        elif isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
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
        elif isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
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
    if not text.lstrip("-").isdigit():
        raise DomainError(message(), field=field_name)
    return int(text)


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


def clean_incident(
    lookup: Lookup, raw: IncidentInput, *, keep_category: Category | None = None
) -> CleanIncident:
    """Validate one incident; raises InvalidIncident naming every invalid field."""
    errors: list[DomainError] = []

    def attempt(func: Callable[[], T]) -> T | None:
        try:
            return func()
        except DomainError as exc:
            errors.append(exc)
            return None

    category = attempt(lambda: lookup.category(raw.category, keep=keep_category))
    day = attempt(lambda: _date(raw.occurred_on, lookup.today))

    # When: an exact time (its band is derived), or a time band.
    clock = parse_clock(raw.time)
    if clock is None and str(raw.time or "").strip():
        errors.append(
            DomainError(
                _("Klockslaget %(v)s kan inte läsas. Skriv det som TT:MM, t.ex. 21:30.")
                % {"v": quote(raw.time)},
                field="time",
            )
        )
    band = attempt(lambda: lookup.band(raw.time_band))
    timing: tuple[str, bool, dt.datetime, dt.datetime, dt.datetime] | None = None
    if day is not None and not (clock is None and str(raw.time or "").strip()):
        if clock is not None:
            instant = dt.datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(dt.UTC)
            within = band_of(lookup.bands, clock)
            if band is not None and not band.contains(clock):
                errors.append(
                    DomainError(
                        _("Klockslaget %(t)s ligger inte i tidsbandet %(b)s (%(span)s).")
                        % {"t": clock.strftime("%H:%M"), "b": band.label, "span": band.span_text},
                        field="time_band",
                    )
                )
            elif instant > timezone.now() + dt.timedelta(minutes=5):
                errors.append(DomainError(_("Klockslaget ligger i framtiden."), field="time"))
            else:
                chosen = band or within
                key = chosen.key if chosen is not None else ""
                timing = (key, True, instant, instant, instant)
        elif band is not None:
            start, end = band.window(day)
            timing = (band.key, False, start + (end - start) / 2, start, end)
        elif str(raw.time_band or "").strip() == "":
            errors.append(
                DomainError(_("Ange klockslag eller välj ett tidsband."), field="time_band")
            )

    # Where: a named place, a tap on the map or the device position.
    location: tuple[Place | None, float, float, int | None, int, str] | None = None
    place = attempt(lambda: lookup.place(raw.place))
    lat = attempt(lambda: _coordinate(raw.lat, "lat"))
    lon = attempt(lambda: _coordinate(raw.lon, "lon"))
    precision = str(raw.location_precision or "").strip()
    if not precision:
        precision = LocationPrecision.PLACE if place is not None else LocationPrecision.POINT
    if precision not in _PRECISIONS:
        errors.append(DomainError(_("Okänd platsangivelse."), field="location"))
    elif precision == LocationPrecision.PLACE:
        if place is not None:
            location = (place, place.lat, place.lon, place.area_id, place.h3_cell, precision)
        elif not any(e.field == "place" for e in errors):
            errors.append(
                DomainError(
                    _("Välj en plats, peka på kartan eller använd din position."), field="location"
                )
            )
    elif lat is None or lon is None:
        if not any(e.field == "location" for e in errors):
            errors.append(
                DomainError(
                    _("Välj en plats, peka på kartan eller använd din position."), field="location"
                )
            )
    else:
        try:
            located = lookup.geometry.locate(lat, lon)
            location = (None, lat, lon, located.area_id, located.h3_cell, precision)
        except DomainError as exc:
            errors.append(DomainError(exc.message, field="location"))

    description = str(raw.description or "").strip()
    if not description:
        errors.append(DomainError(_("Beskriv kort vad som hände och var."), field="description"))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            DomainError(
                _("Beskrivningen får vara högst %(n)d tecken.") % {"n": MAX_DESCRIPTION},
                field="description",
            )
        )
    else:
        attempt(lambda: ensure_clean(description, field="description"))

    assessment = attempt(lambda: _int(raw.assessment, "assessment", _assessment_message))
    if (assessment is None and not any(e.field == "assessment" for e in errors)) or (
        assessment is not None and not 1 <= assessment <= 4
    ):
        errors.append(DomainError(_assessment_message(), field="assessment"))

    people = attempt(lambda: _int(raw.people_count, "people_count", _people_message))
    if people is not None and not 0 <= people <= MAX_PEOPLE:
        errors.append(
            DomainError(
                _("Antal personer ska vara mellan 0 och %(n)d.") % {"n": MAX_PEOPLE},
                field="people_count",
            )
        )

    source_text = str(raw.source or "").strip()
    source = lookup.sources.get(_fold(source_text)) if source_text else _OWN_SOURCE
    if source is None:
        labels = ", ".join(str(label).lower() for label in Source.labels)
        errors.append(
            DomainError(
                _("Okänd källa %(v)s. Välj en av: %(labels)s.")
                % {"v": quote(source_text), "labels": labels},
                field="source",
            )
        )
    police_reported = attempt(lambda: _bool(raw.police_reported))

    if errors:
        raise InvalidIncident(errors)
    assert category is not None and day is not None and timing is not None
    assert location is not None and assessment is not None and source is not None
    band_key, exact, occurred_at, start, end = timing
    place_obj, point_lat, point_lon, area_id, cell, precision = location
    return CleanIncident(
        category=category,
        occurred_on=day,
        time_band=band_key,
        time_exact=exact,
        occurred_at=occurred_at,
        occurred_start=start,
        occurred_end=end,
        place=place_obj,
        lat=point_lat,
        lon=point_lon,
        area_id=area_id,
        h3_cell=cell,
        location_precision=precision,
        description=description,
        assessment=assessment,
        people_count=people,
        source=source,
        police_reported=bool(police_reported),
    )


# --- Reports --------------------------------------------------------------------------------


def _organisation_for(actor: Actor, organisation: Organisation | int | None) -> Organisation:
    """The organisation a report is filed for: the reporter's own, or any for a coordinator."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    may_choose_any = actor.has(REVIEW_ROLES)
    if org_id is None:
        if len(actor.organisation_ids) == 1 or (actor.organisation_ids and not may_choose_any):
            org_id = actor.organisation_id
        else:
            raise DomainError(_("Välj vilken organisation rapporten gäller."), field="organisation")
    if org_id is None or (not may_choose_any and org_id not in actor.organisation_ids):
        raise PermissionDenied(_("Du kan bara rapportera för din egen organisation."))
    found = Organisation.objects.filter(partnership=actor.partnership, pk=org_id).first()
    if found is None:
        raise DomainError(_("Okänd organisation."), field="organisation")
    return found


@dataclass
class SubmitResult:
    report: Report
    created: bool
    observations: list[Observation] = field(default_factory=list)


def submit_report(
    actor: Actor,
    incidents: Sequence[IncidentInput],
    *,
    organisation: Organisation | int | None = None,
    client_uuid: uuid.UUID | str | None = None,
    channel: str = Channel.FORM,
) -> SubmitResult:
    """File a report with one or more incidents, exactly once per ``client_uuid``.

    Sending the same ``client_uuid`` again (a retry after a lost connection) returns the
    report already stored, unchanged, with ``created=False``.
    """
    actor.require(REPORT_ROLES)
    if client_uuid not in (None, ""):
        try:
            client_uuid = uuid.UUID(str(client_uuid))
        except ValueError as exc:
            raise DomainError(_("Ogiltigt rapport-id (client_uuid)."), field="client_uuid") from exc
        existing = _existing_report(actor, client_uuid)
        if existing is not None:
            return existing
    else:
        client_uuid = None
    org = _organisation_for(actor, organisation)
    if not incidents:
        raise DomainError(_("En rapport behöver minst en händelse."), field="incidents")
    if len(incidents) > MAX_INCIDENTS:
        raise DomainError(
            _("En rapport kan ha högst %(n)d händelser.") % {"n": MAX_INCIDENTS},
            field="incidents",
        )
    lookup = Lookup(actor.partnership)
    cleaned: list[CleanIncident] = []
    invalid: list[InvalidIncident] = []
    several = len(incidents) > 1
    for index, raw in enumerate(incidents):
        try:
            cleaned.append(clean_incident(lookup, raw))
        except InvalidIncident as exc:
            invalid.append(InvalidIncident(exc.errors, index=index if several else None))
    if invalid:
        raise InvalidReport(invalid)
    reporter = actor.user if getattr(actor.user, "pk", None) else None
    try:
        with transaction.atomic():
            report = Report.objects.create(
                partnership=actor.partnership,
                organisation=org,
                reporter=reporter,
                client_uuid=client_uuid,
                channel=channel,
            )
            observations = [
                Observation.objects.create(
                    report=report,
                    partnership=actor.partnership,
                    organisation=org,
                    **incident.values(),
                )
                for incident in cleaned
            ]
            audit.record(
                actor.user,
                AuditAction.CREATE,
                report,
                partnership=actor.partnership,
                after={
                    "organisation": org.name,
                    "channel": channel,
                    "observations": [o.pk for o in observations],
                },
            )
            for observation in observations:
                audit.record(
                    actor.user, AuditAction.CREATE, observation, partnership=actor.partnership
                )
    except IntegrityError:
        if client_uuid is None:
            raise
        existing = _existing_report(actor, client_uuid)
        if existing is None:
            raise
        return existing
    return SubmitResult(report, True, observations)


def _existing_report(actor: Actor, client_uuid: uuid.UUID) -> SubmitResult | None:
    report = Report.objects.filter(partnership=actor.partnership, client_uuid=client_uuid).first()
    if report is None:
        return None
    reporter_id = getattr(actor.user, "pk", None)
    if report.reporter_id != reporter_id:
        raise DomainError(
            _("En annan rapport har redan samma id. Ladda om sidan och skicka igen."),
            field="client_uuid",
        )
    return SubmitResult(report, False, list(report.observations.order_by("pk")))


def _may_edit(actor: Actor, observation: Observation) -> None:
    _own(actor, observation)
    if actor.has(REVIEW_ROLES):
        return
    if actor.has(REPORT_ROLES) and observation.organisation_id in actor.organisation_ids:
        return
    raise PermissionDenied(_("Din roll i den här samverkan får inte ändra rapporten."))


def update_observation(actor: Actor, observation: Observation, raw: IncidentInput) -> Observation:
    """Change an incident; the same validation as when it was filed. Audited with the diff."""
    _may_edit(actor, observation)
    incident = clean_incident(Lookup(actor.partnership), raw, keep_category=observation.category)
    with audit.change(actor, observation):
        for name, value in incident.values().items():
            setattr(observation, name, value)
    return observation


def set_reviewed(actor: Actor, observation: Observation, reviewed: bool = True) -> Observation:
    actor.require(REVIEW_ROLES)
    _own(actor, observation)
    if observation.is_reviewed == reviewed:
        return observation
    with audit.change(actor, observation, only=["reviewed_at", "reviewed_by"]):
        observation.reviewed_at = timezone.now() if reviewed else None
        user = actor.user if getattr(actor.user, "pk", None) else None
        observation.reviewed_by = user if reviewed else None
    return observation


def merge_observation(actor: Actor, duplicate: Observation, into: Observation) -> Observation:
    """Mark ``duplicate`` as a duplicate of ``into`` (reversible with :func:`undo_merge`)."""
    actor.require(REVIEW_ROLES)
    _own(actor, duplicate)
    _own(actor, into)
    if duplicate.pk == into.pk:
        raise DomainError(_("En händelse kan inte vara dubblett av sig själv."), field="into")
    if duplicate.merged_into_id is not None:
        raise DomainError(
            _("Händelse %(a)d är redan sammanslagen med händelse %(b)d. Ångra det först.")
            % {"a": duplicate.pk, "b": duplicate.merged_into_id},
            field="into",
        )
    if into.merged_into_id is not None:
        raise DomainError(
            _("Händelse %(b)d är själv en dubblett av händelse %(c)d. Slå ihop med den i stället.")
            % {"b": into.pk, "c": into.merged_into_id},
            field="into",
        )
    if Observation.objects.filter(merged_into=duplicate).exists():
        raise DomainError(
            _("Andra händelser är sammanslagna med händelse %(a)d. Ångra dem först.")
            % {"a": duplicate.pk},
            field="into",
        )
    with transaction.atomic():
        duplicate.merged_into = into
        duplicate.save(update_fields=["merged_into", "updated_at"])
        audit.record(
            actor.user,
            AuditAction.UPDATE,
            duplicate,
            partnership=actor.partnership,
            before={"merged_into": None},
            after={"merged_into": into.pk},
            object_repr=_("Händelse %(a)d, dubblett av händelse %(b)d")
            % {"a": duplicate.pk, "b": into.pk},
        )
    return duplicate


def undo_merge(actor: Actor, duplicate: Observation) -> Observation:
    actor.require(REVIEW_ROLES)
    _own(actor, duplicate)
    if duplicate.merged_into_id is None:
        raise DomainError(_("Händelsen är inte sammanslagen med någon annan."))
    with transaction.atomic():
        before = duplicate.merged_into_id
        duplicate.merged_into = None
        duplicate.save(update_fields=["merged_into", "updated_at"])
        audit.record(
            actor.user,
            AuditAction.UPDATE,
            duplicate,
            partnership=actor.partnership,
            before={"merged_into": before},
            after={"merged_into": None},
            object_repr=_("Händelse %(a)d, inte längre dubblett av händelse %(b)d")
            % {"a": duplicate.pk, "b": before},
        )
    return duplicate


# --- Imports (a partner's own log: all rows or none) -----------------------------------------


@dataclass
class ImportRow:
    """One row of a user's file: its number (1 = the header) and the incident it holds."""

    number: int
    incident: IncidentInput
    columns: Mapping[str, str]  # incident field -> column name, for messages


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    report: Report | None = None


class ImportRefused(DomainError):
    """A file refused as a whole. ``errors`` names the row and column of every problem."""

    SHOWN = 50

    def __init__(self, errors: Sequence[str], *, first_row: int | None = None) -> None:
        self.errors = list(errors)
        shown = self.errors[: self.SHOWN]
        lines = [
            _("Inget har sparats: filen har %(n)d fel. Rätta dem och importera filen igen.")
            % {"n": len(self.errors)},
            *shown,
        ]
        if len(self.errors) > len(shown):
            lines.append(_("… och %(n)d fel till.") % {"n": len(self.errors) - len(shown)})
        super().__init__("\n".join(lines), row=first_row)


Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


def _no_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


def row_error(number: int, column: str, message: str) -> str:
    return _("Rad %(r)d, kolumn %(c)s: %(m)s") % {"r": number, "c": column, "m": message}


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_rows(
    actor: Actor,
    rows: Sequence[ImportRow],
    *,
    organisation: Organisation | int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a partner's log: every row is validated (the privacy screen included) first.

    With one bad row nothing is saved, and every error names its row and column. A row
    already imported (same organisation and content) is left as it is, so importing the same
    file again changes nothing.
    """
    actor.require(REPORT_ROLES)
    org = _organisation_for(actor, organisation)
    if not rows:
        raise DomainError(_("Filen innehåller inga rader med händelser."))
    wrap = progress or _no_progress
    lookup = Lookup(actor.partnership)
    errors: list[str] = []
    first_bad: int | None = None
    cleaned: list[tuple[ImportRow, CleanIncident]] = []
    for row in wrap(rows, len(rows), _("Kontrollerar rader")):
        try:
            cleaned.append((row, clean_incident(lookup, row.incident)))
        except InvalidIncident as exc:
            first_bad = first_bad or row.number
            for error in exc.errors:
                column = row.columns.get(error.field or "", error.field or "")
                errors.append(row_error(row.number, column, error.message))
    if errors:
        raise ImportRefused(errors, first_row=first_bad)

    # Identical rows in one file are distinct incidents: the n-th copy gets its own key.
    seen: dict[str, int] = {}
    keyed: list[tuple[str, CleanIncident]] = []
    for _row, incident in cleaned:
        base = incident.key(org.pk)
        seen[base] = seen.get(base, 0) + 1
        key = (
            base if seen[base] == 1 else hashlib.sha256(f"{base}#{seen[base]}".encode()).hexdigest()
        )
        keyed.append((key, incident))
    existing: set[str] = set()
    for chunk in _chunks([key for key, _inc in keyed], 500):
        existing.update(
            Observation.objects.filter(
                partnership=actor.partnership, import_key__in=list(chunk)
            ).values_list("import_key", flat=True)
        )
    new = [(key, incident) for key, incident in keyed if key not in existing]
    result = ImportResult(created=len(new), unchanged=len(keyed) - len(new))
    if not new:
        return result
    reporter = actor.user if getattr(actor.user, "pk", None) else None
    try:
        with transaction.atomic():
            report = Report.objects.create(
                partnership=actor.partnership,
                organisation=org,
                reporter=reporter,
                channel=Channel.IMPORT,
            )
            batch = 500
            for chunk in wrap(
                list(_chunks(new, batch)), (len(new) + batch - 1) // batch, _("Sparar händelser")
            ):
                Observation.objects.bulk_create(
                    [
                        Observation(
                            report=report,
                            partnership=actor.partnership,
                            organisation=org,
                            import_key=key,
                            **incident.values(),
                        )
                        for key, incident in chunk
                    ]
                )
            audit.record(
                actor.user,
                AuditAction.CREATE,
                report,
                partnership=actor.partnership,
                after={
                    "organisation": org.name,
                    "channel": Channel.IMPORT,
                    "created": result.created,
                    "unchanged": result.unchanged,
                },
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Samma rader importeras just nu från ett annat håll. Försök igen om en stund.")
        ) from exc
    result.report = report
    return result


def queue_import(
    actor: Actor,
    rows: Sequence[ImportRow],
    data: bytes,
    filename: str,
    organisation: int | None,
) -> str:
    """Queue a large file for the background import and return the job's task id.

    The organisation and the free text are checked first (refused text is never written
    anywhere, not even to the queued file); then the file is kept for the job, readable by
    the server only, and the job is logged as queued so its page exists at once.
    """
    from samtrygg.core.jobs import note_queued
    from samtrygg.observations.tasks import import_dir, import_file

    _organisation_for(actor, organisation)
    refusals = []
    for row in rows:
        try:
            ensure_clean(str(row.incident.description or ""), field="description")
        except PrivacyRefusal as exc:
            refusals.append(row_error(row.number, row.columns["description"], exc.message))
    if refusals:
        raise ImportRefused(refusals)
    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    path = import_dir() / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    path.chmod(0o600)
    task_id = str(uuid.uuid4())
    note_queued(task_id, "samtrygg.observations.import_file", actor.partnership)
    import_file.apply_async(
        kwargs={
            "path": str(path),
            "filename": filename,
            "partnership_id": actor.partnership.pk,
            "organisation_id": organisation,
            "user_id": actor.user.pk,
        },
        task_id=task_id,
    )
    return task_id


# --- Categories -----------------------------------------------------------------------------


def _category_name(actor: Actor, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Ange ett namn på kategorin."), field="name")
    if len(name) > 100:
        raise DomainError(_("Namnet får vara högst 100 tecken."), field="name")
    ensure_clean(name, field="name")
    clash = Category.objects.filter(partnership=actor.partnership, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DomainError(
            _("Det finns redan en kategori som heter %(n)s.") % {"n": name}, field="name"
        )
    return name


def create_category(actor: Actor, *, name: str) -> Category:
    actor.require(CONFIG_ROLES)
    ensure_defaults(actor.partnership)
    name = _category_name(actor, name)
    base = slugify(name)[:50] or "kategori"
    slug, n = base, 1
    taken = set(
        Category.objects.filter(partnership=actor.partnership, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        last = (
            Category.objects.filter(partnership=actor.partnership).order_by("-sort_order").first()
        )
        category = audit.create(
            actor,
            Category,
            partnership=actor.partnership,
            name=name,
            slug=slug,
            sort_order=(last.sort_order + 10) if last else 10,
        )
    return category


def rename_category(actor: Actor, category: Category, *, name: str) -> Category:
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    name = _category_name(actor, name, exclude=category.pk)
    with audit.change(actor, category, only=["name"]):
        category.name = name
    return category


def retire_category(actor: Actor, category: Category, *, retired: bool = True) -> Category:
    """Retire a category (no longer offered for new reports) or bring it back."""
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    if category.is_retired == retired:
        return category
    if retired and not (
        Category.objects.filter(partnership=actor.partnership, retired_at__isnull=True)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise DomainError(_("Minst en kategori måste vara i bruk."))
    with audit.change(actor, category, only=["retired_at"]):
        category.retired_at = timezone.now() if retired else None
    return category


def delete_category(actor: Actor, category: Category) -> None:
    """Delete a category that no report uses; one in use can only be retired."""
    actor.require(CONFIG_ROLES)
    _own(actor, category)
    used = Observation.objects.filter(category=category).count()
    if used:
        raise DomainError(
            ngettext(
                "Kategorin %(c)s används av %(n)d händelse och kan inte tas bort. "
                "Avveckla den i stället.",
                "Kategorin %(c)s används av %(n)d händelser och kan inte tas bort. "
                "Avveckla den i stället.",
                used,
            )
            % {"c": category.name, "n": used}
        )
    if not (
        Category.objects.filter(partnership=actor.partnership, retired_at__isnull=True)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise DomainError(_("Minst en kategori måste vara i bruk."))
    audit.delete(actor, category)


# --- The police type mapping ---------------------------------------------------------------


def set_police_type_category(
    actor: Actor, mapping: PoliceTypeMapping, category: Category | None
) -> PoliceTypeMapping:
    """Map one police event type onto a category (None: not counted in any category)."""
    actor.require(CONFIG_ROLES)
    _own(actor, mapping)
    if category is not None:
        _own(actor, category)
    if mapping.category_id == (category.pk if category else None) and not mapping.needs_review:
        return mapping
    with audit.change(actor, mapping, only=["category", "needs_review"]):
        mapping.category = category
        mapping.needs_review = False
    return mapping


def set_police_type_categories(actor: Actor, choices: Mapping[int, int | None]) -> int:
    """Save the mapping page: {mapping id: category id or None}. Returns how many changed."""
    actor.require(CONFIG_ROLES)
    mappings = {
        m.pk: m
        for m in PoliceTypeMapping.objects.filter(partnership=actor.partnership, pk__in=choices)
    }
    categories = {c.pk: c for c in Category.objects.filter(partnership=actor.partnership)}
    changed = 0
    with transaction.atomic():
        for mapping_id, category_id in choices.items():
            mapping = mappings.get(mapping_id)
            if mapping is None:
                raise NotFound(_("Posten finns inte."))
            category = None
            if category_id is not None:
                category = categories.get(category_id)
                if category is None:
                    raise DomainError(_("Okänd kategori."), field="category")
            if mapping.category_id != category_id or mapping.needs_review:
                set_police_type_category(actor, mapping, category)
                changed += 1
    return changed


def note_police_types(partnership: Partnership | None, types: set[str]) -> int:
    """Record police event types never seen before, so they are kept and listed.

    Called by the police events import with the types of the events it read (for one
    partnership, or None for all). A type in the shipped list gets its default category; a
    new one is stored unmapped and flagged for the coordinator. Returns the rows created.
    """
    types = {t for t in types if isinstance(t, str) and t.strip()}
    if not types:
        return 0
    partnerships = (
        [partnership] if partnership is not None else list(Partnership.objects.order_by("pk"))
    )
    created = 0
    for p in partnerships:
        ensure_defaults(p)
        known = set(
            PoliceTypeMapping.objects.filter(partnership=p, police_type__in=types).values_list(
                "police_type", flat=True
            )
        )
        new = sorted(types - known)
        if not new:
            continue
        by_slug = {c.slug: c for c in Category.objects.filter(partnership=p)}
        with transaction.atomic():
            for police_type in new:
                slug = POLICE_TYPES.get(police_type)
                mapping, was_created = PoliceTypeMapping.objects.get_or_create(
                    partnership=p,
                    police_type=police_type[:120],
                    defaults={
                        "category": by_slug.get(slug) if slug else None,
                        "needs_review": police_type not in POLICE_TYPES,
                    },
                )
                if was_created:
                    created += 1
                    audit.record(None, AuditAction.CREATE, mapping, partnership=p)
    return created


# --- Time bands -----------------------------------------------------------------------------


def update_time_bands(actor: Actor, bands: Sequence[Mapping[str, Any]]) -> ReportingSettings:
    """Replace the partnership's time bands. Stored reports keep the times they were given."""
    actor.require(CONFIG_ROLES)
    settings = ensure_defaults(actor.partnership)
    if not bands:
        raise DomainError(_("Ange minst ett tidsband."), field="time_bands")
    if len(bands) > 8:
        raise DomainError(_("Högst åtta tidsband."), field="time_bands")
    clean: list[dict[str, str]] = []
    keys: set[str] = set()
    for index, band in enumerate(bands, start=1):
        label = " ".join(str(band.get("label") or "").split())
        prefix = _("Tidsband %(n)d: ") % {"n": index}
        if not label or len(label) > 40:
            raise DomainError(prefix + _("ange ett namn (högst 40 tecken)."), field="label")
        try:
            ensure_clean(label, field="label")
        except DomainError as exc:
            raise DomainError(prefix + exc.message, field="label") from exc
        key = slugify(str(band.get("key") or label))[:30] or f"band-{index}"
        if key in keys:
            raise DomainError(prefix + _("namnet finns redan."), field="label")
        keys.add(key)
        start = parse_clock(band.get("start"))
        end = parse_clock(band.get("end"))
        if start is None or end is None:
            raise DomainError(
                prefix + _("ange start och slut som TT:MM, t.ex. 06:00."), field="start"
            )
        if start == end:
            raise DomainError(prefix + _("start och slut kan inte vara samma."), field="end")
        clean.append({"key": key, "label": label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    with audit.change(actor, settings, only=["time_bands"]):
        settings.time_bands = clean
    return settings


def relocate_observations(partnership: Partnership) -> int:
    """Observations follow the delområden they lie in when the areas change.

    Called once per core service call that changed delområden (``core.signals.areas_changed``),
    as core does for places.
    The point is kept; only the derived delområde changes. Returns how many moved.
    """
    geometry = geo.geometry_for(partnership)
    moved: list[Observation] = []
    rows = Observation.objects.filter(partnership=partnership).values_list(
        "pk", "lat", "lon", "area_id"
    )
    for pk, lat, lon, area_id in rows.iterator(chunk_size=5000):
        try:
            located = geometry.locate(lat, lon)
        except DomainError:
            continue  # outside the kommun boundary as now drawn: keep what it had
        if located.area_id != area_id:
            moved.append(Observation(pk=pk, area_id=located.area_id))
    Observation.objects.bulk_update(moved, ["area"], batch_size=1000)
    return len(moved)


def log_export(actor: Actor, count: int, fmt: str) -> None:
    """Log who exported how many reports (DOMAIN.md §4: viewing reports is logged)."""
    # The entry is filed under the partnership's reporting settings (an export is a read:
    # it makes no record, not even settings that are missing).
    settings = ReportingSettings.objects.filter(
        partnership=actor.partnership
    ).first() or ReportingSettings(partnership=actor.partnership)
    audit.record(
        actor.user,
        AuditAction.VIEW,
        settings,
        partnership=actor.partnership,
        object_repr=_("Export av %(n)d händelser (%(f)s)") % {"n": count, "f": fmt.upper()},
    )


def log_view(actor: Actor, instance: Model) -> None:
    audit.record(actor.user, AuditAction.VIEW, instance, partnership=actor.partnership)
