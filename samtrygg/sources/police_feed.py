"""Parsing of the police events feed (polisen.se ``/api/events``) and kommun resolution.

Pure Python, no Django: this module turns feed files into plain records; an importer decides
what to store. Everything here is deterministic and reads only the files it is given plus the
reference lists in ``samtrygg/core/reference/``.

Public API
==========

``read_feed(path)``
    Stream a feed file as ``FeedEvent`` and ``FeedProblem`` items, in file order. Three formats
    are recognised from the content, not from the file name:

    * a JSON **array** of API objects (one API response, e.g. ``api_snapshot_*.json``,
      pretty-printed or compact): the first non-blank character is ``[``;
    * **JSON Lines** of API objects (``events_*.jsonl``): one object per line;
    * **JSON Lines of revisions** (``event_revisions.jsonl``): one object per line with the API
      object under ``"event"`` and ``version`` / ``first_seen_utc`` beside it. Revision lines are
      recognised line by line (an object with an ``"event"`` object), so the two line formats
      may even be mixed.

    JSON Lines are read line by line (memory stays flat for large files); an array is one API
    response (about 500 events) and is read whole, then decoded element by element.

``read_feed_text(text)``
    The same for content already in memory, e.g. the body of an API call.

``parse_published(s) -> datetime``
    The ``datetime`` field as the API really writes it (``"2024-01-01 0:40:16 +01:00"``: a space
    before the time, an unpadded hour, a space before the offset) to an aware ``datetime`` that
    keeps the published offset. ISO 8601 (``T``, ``Z``) is accepted too. Raises ``ValueError``.

``parse_occurred(title, published) -> datetime | None``
    The incident date and time from the title (``"22 augusti 17.59, Brand, Kävlinge"``), as an
    aware datetime in Europe/Stockholm, or ``None`` when the title does not start with a clear
    ``<day> <month> <hh>[:.]<mm>,``.

``KommunResolver().resolve(location_name, title, event_type=None) -> Resolution | None``
    Which kommun and län an event belongs to, by name only (see *Kommun resolution*).

``title_place(title, event_type=None) -> str | None``
    The place part of a title (what follows the date, time and type).

``load_reference(directory=None) -> Reference``
    The kommun and län code lists (cached for the default directory).

Records
-------

``FeedEvent`` (frozen): ``id``, ``published``, ``occurred``, ``title``, ``summary``, ``url``
(absolute, ``https://polisen.se`` prefixed), ``type``, ``is_summary`` (type starts with
``"Sammanfattning"``), ``location_name``, ``lat`` / ``lon`` (the published point, a kommun or
län centre, ``None`` when missing or unreadable), ``kommunkod``, ``lan_kod``, ``precision``
(``"kommun"`` or ``"lan"``), ``kommun_source`` (``"location"``, ``"title"``, ``"lan"`` for
the only kommun of a single-kommun län when that option is on, else ``None``),
``version`` and ``first_seen_utc`` (from a revisions file, else ``None``), ``raw`` (the API
object exactly as decoded, without the revision wrapper) and ``line`` (where the record starts;
not compared, so the same event read from two files is equal).

``FeedProblem`` (frozen): ``line`` (1-based; for an array, the line where the record starts),
``message`` in Swedish (``"rad 17: saknar fältet id"``) and ``event_id`` when known.

Skip and report
---------------

The feed is a machine feed: a bad record is reported and skipped, the rest goes in. A record is
bad when its line is not valid JSON (e.g. truncated), when it is not an object, when ``id``,
``datetime`` or ``location`` (with a ``name``) is missing or unreadable, or when
``location.name`` is neither a kommun nor a län. Everything else is tolerated: an unknown
``type`` (the police add new ones), a missing ``summary`` / ``url`` / ``name`` (empty string), an
unreadable ``gps`` (no point), a float artefact in ``gps`` (``"58.345364000000004,15.519784"``:
the point is rounded to 6 decimals, about 0.1 m, so the same centre always compares equal).

Kommun resolution
=================

The published point is the centre of a kommun or a län, never the place of the incident, so a
point-in-polygon lookup would put a län-level event in whatever kommun holds the län centre.
The kommun is therefore resolved **by name only**, in this order:

1. ``location.name`` names a kommun → that kommun, and its län from the reference list
   (precision ``"kommun"``, source ``"location"``). The structured field wins over the title
   when both name a kommun and they differ (it happens: location ``Järfälla``, title
   ``…, Upplands-Bro``), because it is the field the police set as the event's place.
2. ``location.name`` names a län → ``lan_kod`` from ``counties.csv`` by name. Then the title's
   place part is used when its **last comma-separated part** names a kommun **in that län**
   (precision ``"kommun"``, source ``"title"``). The place part is what follows
   ``"<date time>, <type>,"`` when the title repeats the event's ``type`` (types contain commas:
   ``"Mord/dråp, försök"``); when it does not (the police edit one without the other), the last
   comma-separated part, with the part before it as the only other part. It is not used when

   * it names a kommun of another län (a mistake in one of the two fields; we cannot tell
     which, so we do not guess);
   * another part of the place also names a kommun or a län (``"Bjuv, Åstorp"`` is a list:
     the event is in two kommuner, picking one would be a guess). A non-kommun part before it
     (``"Hisingen, Göteborg"``) is a district and does not stop the kommun;
   * it names a district, a locality that is not a kommun name, or a län.

   Otherwise only the län is kept: precision ``"lan"``, ``kommunkod`` ``None``. A län with a
   single kommun (Gotlands län) also stays at län precision, since the rule is that a kommun is
   *named*; pass ``KommunResolver(single_kommun_lan=True)`` to resolve such a län to its only
   kommun.
3. ``location.name`` names neither → ``None`` (``read_feed`` reports the record and skips it).

Matching a name is exact after normalisation, never by substring or prefix: case-insensitive
(the API writes ``Upplands väsby``, ``Upplands-bro``, ``Östra göinge``, ``Dals-ed``,
``Lilla edet``), whitespace collapsed, every dash variant (hyphen, en dash, em dash, minus …)
and a space treated alike (``Malung–Sälen``, ``Malung Sälen``, ``Malung-Sälen``). ``Borlänge``
is a kommun although it contains "län"; a län is only a name from ``counties.csv``
(``"Skåne län"``). Accepted kommun names are the short name (``Gotland``, ``Falun``), the
reference's long name (``Gotlands kommun``) and the official names that differ from it
(``Region Gotland``, ``Falu kommun``). A name that is both a kommun and a locality
(``Mora``, ``Kävlinge``) is read as the kommun; when the locality lies in another län the län
check above rejects it (a locality inside the same län named like another kommun of that län
cannot be told apart by name; no real title shows one). A summary (``is_summary``) is resolved
like any event, although it may cover more than the kommun its title names; the flag lets an
importer weigh it differently.

Year of the incident date
=========================

The title has no year. Of the previous, the same and the next year (relative to publication)
the date closest to the publication date is taken: ``"31 december 00.07"`` published
``2024-01-01 0:40`` is 2023-12-31, and an announcement ``"17 juni 07.00"`` published on 13 June
stays in June of that year. When even the closest candidate is more than 182 days away (only
possible for 29 februari outside leap years) or two are equally far, the result is ``None``
rather than a wrong year. The choice depends on dates only, never on the clock time.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, Any, Final, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from samtrygg.analysis.binning import MONTHS_SV

__all__ = [
    "FeedEvent",
    "FeedProblem",
    "KommunResolver",
    "Precision",
    "Reference",
    "Resolution",
    "load_reference",
    "parse_occurred",
    "parse_published",
    "read_feed",
    "read_feed_text",
    "title_place",
]

REFERENCE_DIR: Final = Path(__file__).parent.parent / "core" / "reference"
POLICE_BASE_URL: Final = "https://polisen.se"
SUMMARY_TYPE_PREFIX: Final = "Sammanfattning"

Precision = Literal["kommun", "lan"]
KommunSource = Literal["location", "title", "lan"]

MONTHS: Final[dict[str, int]] = {name: number for number, name in enumerate(MONTHS_SV, start=1)}

# Official names that differ from the reference's short and long names.
_EXTRA_KOMMUN_NAMES: Final[dict[str, str]] = {
    "Region Gotland": "0980",
    "Falu kommun": "2080",
}

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
_DASHES: Final = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), " ")

# "22 augusti 17.59," / "01 januari 07:56," / "7 juli 15.01" - date and time at the start.
_TITLE_HEAD: Final = re.compile(r"\s*(\d{1,2}) ([^\W\d_]+) (\d{1,2})[:.](\d{2})\s*(?:,\s*|$)")

# "2024-01-01 0:40:16 +01:00" as published; also ISO 8601 with "T" and "Z".
_PUBLISHED: Final = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r" ?(?:(Z)|([+-])(\d{2}):?(\d{2}))\s*"
)

_PUBLISHED_USUAL: Final = re.compile(
    r"(\d{4}-\d\d-\d\d) (\d{1,2})(:\d\d:\d\d) ([+-]\d\d:\d\d)", re.ASCII
)

_MAX_YEAR_DISTANCE_DAYS: Final = 182


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True, slots=True)
class Reference:
    """The code lists: kommunkod → (short name, lan_kod) and lan_kod → län name."""

    kommuner: dict[str, tuple[str, str]]
    lan: dict[str, str]
    long_names: dict[str, str] = field(default_factory=dict)  # kommunkod → "X kommun"


def _read_csv(path: Path) -> list[dict[str, str]]:
    from samtrygg.core.tabular import read_csv_file

    return read_csv_file(path)


def _load_reference(directory: Path) -> Reference:
    kommuner: dict[str, tuple[str, str]] = {}
    long_names: dict[str, str] = {}
    for row in _read_csv(directory / "municipality_county.csv"):
        code = row["municipality_code"].strip()
        kommuner[code] = (row["municipality_name_short"].strip(), row["county_code"].strip())
        if row.get("municipality_name"):
            long_names[code] = row["municipality_name"].strip()
    lan = {
        row["county_code"].strip(): row["county_name"].strip()
        for row in _read_csv(directory / "counties.csv")
    }
    return Reference(kommuner=kommuner, lan=lan, long_names=long_names)


@lru_cache(maxsize=1)
def _default_reference() -> Reference:
    return _load_reference(REFERENCE_DIR)


def load_reference(directory: str | os.PathLike[str] | None = None) -> Reference:
    """Load ``municipality_county.csv`` and ``counties.csv`` (cached for the shipped copy)."""
    if directory is None:
        return _default_reference()
    return _load_reference(Path(directory))


def _name_key(name: str) -> str:
    """Normalise a place name for exact matching: casefold, dashes as spaces, one space."""
    return " ".join(name.translate(_DASHES).casefold().split())


# --------------------------------------------------------------------------- kommun resolution


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where an event belongs. ``kommun_source`` says which name gave the kommun."""

    kommunkod: str | None
    lan_kod: str | None
    precision: Precision
    kommun_source: KommunSource | None = None


def _place_text(title: str, head_end: int, event_type: str | None) -> tuple[str, bool] | None:
    """The raw place text of a title and whether it was delimited by the type.

    ``head_end`` is where the date and time end (-1 when the title has none). With the type
    known, the place is everything after ``"<date time>, <type>,"`` (types may contain commas:
    ``"Mord/dråp, försök"``), so every comma-separated part belongs to the place. Without it, or
    when the title does not carry the type (the police sometimes edit one and not the other),
    the text after the date is returned and only its last two parts count: the last is the
    candidate, the one before may be the end of the type or the first item of a list.
    """
    start = head_end if head_end > 0 else 0
    if event_type and head_end >= 0:
        prefix = event_type.strip()
        if title.startswith(prefix, start):
            rest = title[start + len(prefix) :].lstrip()
            if rest.startswith(","):
                return rest[1:], True
            if not rest:
                return None
    text = title[start:]
    if "," not in text:
        return None
    return text, False


def _place_parts(text: str, typed: bool) -> list[str]:
    if typed:
        return [part.strip() for part in text.split(",")]
    return [part.strip() for part in text.rsplit(",", 2)[-2:]]


def _head_end(title: str) -> int:
    head = _TITLE_HEAD.match(title)
    return -1 if head is None else head.end()


def title_place(title: str, event_type: str | None = None) -> str | None:
    """The place part of a title, e.g. ``"Kävlinge"`` in ``"22 augusti 17.59, Brand, Kävlinge"``.

    With ``event_type`` the whole place after the type is returned (it may be a list,
    ``"Bjuv, Åstorp"``); without it, or when the title does not contain the type, the part
    after the last comma. ``None`` when the title has no such part.
    """
    place = _place_text(title, _head_end(title), event_type)
    if place is None:
        return None
    text, typed = place
    return ", ".join(_place_parts(text, True)) if typed else _place_parts(text, False)[-1]


class KommunResolver:
    """Resolve an event's kommun and län from its names (see the module docstring).

    Precedence: (1) ``location.name`` naming a kommun; (2) ``location.name`` naming a län, then
    the title's last place part when it names a kommun in that län and no other part of the
    place names a kommun or län; (3) the län alone. Never by the published point, never by
    substring, never across län borders. Results are cached per (location, place).
    """

    def __init__(
        self, reference: Reference | None = None, *, single_kommun_lan: bool = False
    ) -> None:
        ref = reference if reference is not None else load_reference()
        self.reference = ref
        self.single_kommun_lan = single_kommun_lan
        self._kommun: dict[str, tuple[str, str]] = {}
        for code, (short, lan_kod) in ref.kommuner.items():
            names = [short, ref.long_names.get(code, "")]
            for name in names:
                if name:
                    self._add_kommun_name(name, code, lan_kod)
        for name, code in _EXTRA_KOMMUN_NAMES.items():
            if code in ref.kommuner:
                self._add_kommun_name(name, code, ref.kommuner[code][1])
        self._lan: dict[str, str] = {_name_key(name): code for code, name in ref.lan.items()}
        clash = self._kommun.keys() & self._lan.keys()
        if clash:
            raise ValueError(f"namn som är både kommun och län: {sorted(clash)}")
        per_lan: dict[str, list[str]] = {}
        for code, (_, lan_kod) in ref.kommuner.items():
            per_lan.setdefault(lan_kod, []).append(code)
        self._only_kommun = {lan: codes[0] for lan, codes in per_lan.items() if len(codes) == 1}
        self._by_location: dict[str, Resolution] = {}
        self._cache: dict[tuple[str, tuple[str, bool] | None], Resolution | None] = {}

    def _add_kommun_name(self, name: str, code: str, lan_kod: str) -> None:
        key = _name_key(name)
        known = self._kommun.get(key)
        if known is not None and known[0] != code:
            raise ValueError(f"kommunnamnet {name!r} är tvetydigt ({known[0]}, {code})")
        self._kommun[key] = (code, lan_kod)

    def kommun(self, name: str) -> tuple[str, str] | None:
        """(kommunkod, lan_kod) for an exact kommun name, any casing and dash; else ``None``."""
        return self._kommun.get(_name_key(name))

    def lan(self, name: str) -> str | None:
        """lan_kod for a län name such as ``"Skåne län"`` (any casing); else ``None``."""
        return self._lan.get(_name_key(name))

    def resolve(
        self, location_name: str, title: str, event_type: str | None = None
    ) -> Resolution | None:
        """Resolve one event; ``None`` when ``location_name`` is neither a kommun nor a län."""
        return self._resolve(location_name, title, _head_end(title), event_type)

    def _resolve(
        self, location_name: str, title: str, head_end: int, event_type: str | None
    ) -> Resolution | None:
        by_location = self._by_location.get(location_name)
        if by_location is not None:  # location names a kommun: the title does not matter
            return by_location
        place = _place_text(title, head_end, event_type)
        cache_key = (location_name, place)
        cache = self._cache
        if cache_key in cache:
            return cache[cache_key]
        parts = () if place is None else tuple(_place_parts(*place))
        result = self._resolve_uncached(location_name, parts, place is not None and place[1])
        if result is not None and result.kommun_source == "location":
            self._by_location[location_name] = result
        elif len(cache) < 100_000:
            cache[cache_key] = result
        return result

    def _names_a_place(self, part: str) -> bool:
        key = _name_key(part)
        return key in self._kommun or key in self._lan

    def _resolve_uncached(
        self, location_name: str, parts: tuple[str, ...], typed: bool
    ) -> Resolution | None:
        location_key = _name_key(location_name)
        kommun = self._kommun.get(location_key)
        if kommun is not None:
            return Resolution(kommun[0], kommun[1], "kommun", "location")
        lan_kod = self._lan.get(location_key)
        if lan_kod is None:
            return None
        if parts:
            candidate = self._kommun.get(_name_key(parts[-1]))
            others = parts[:-1] if typed else parts[-2:-1]
            if (
                candidate is not None
                and candidate[1] == lan_kod
                and not any(self._names_a_place(part) for part in others)
            ):
                return Resolution(candidate[0], lan_kod, "kommun", "title")
        if self.single_kommun_lan and lan_kod in self._only_kommun:
            return Resolution(self._only_kommun[lan_kod], lan_kod, "kommun", "lan")
        return Resolution(None, lan_kod, "lan", None)


# --------------------------------------------------------------------------- dates and times


@lru_cache(maxsize=64)
def _fixed_offset(sign: str, hours: str, minutes: str) -> timezone:
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta >= timedelta(hours=24):
        raise ValueError("offset out of range")
    return timezone(-delta if sign == "-" else delta)


def parse_published(s: str) -> datetime:
    """Parse the feed's ``datetime`` (``"2024-01-01 0:40:16 +01:00"``) to an aware datetime.

    The published offset is kept. Raises ``ValueError`` for anything else.
    """
    if type(s) is str:
        usual = _PUBLISHED_USUAL.fullmatch(s)
        if usual is not None:  # the feed's own shape: checked here, built (and range-checked) in C
            day, hour, rest, offset = usual.groups()
            try:
                return datetime.fromisoformat(f"{day}T{hour:0>2}{rest}{offset}")
            except ValueError:
                raise ValueError(f"not a feed timestamp: {s!r}") from None
    match = _PUBLISHED.fullmatch(s) if isinstance(s, str) else None
    if match is None:
        raise ValueError(f"not a feed timestamp: {s!r}")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    tz = UTC if zulu else _fixed_offset(sign, off_h, off_m)
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second) if second else 0,
        int(fraction.ljust(6, "0")) if fraction else 0,
        tzinfo=tz,
    )


def _stockholm_zone() -> tzinfo | None:
    try:
        return ZoneInfo("Europe/Stockholm")
    except ZoneInfoNotFoundError:  # pragma: no cover - no tz database on this system
        return None


_STOCKHOLM: Final = _stockholm_zone()


def parse_occurred(title: str, published: datetime) -> datetime | None:
    """The incident date and time from a title, in Europe/Stockholm, or ``None``.

    ``"22 augusti 17.59, Brand, Kävlinge"``: day (padded or not), Swedish month name, hour and
    minute separated by ``:`` (titles until spring 2023) or ``.`` (after), then a comma or the
    end. Any other start (no time, a time range, an impossible date) gives ``None``. The year
    is the one that puts the date closest to ``published`` (see the module docstring).
    """
    head = _TITLE_HEAD.match(title)
    return None if head is None else _occurred(head, published)


def _occurred(head: re.Match[str], published: datetime) -> datetime | None:
    day_s, month_s, hour_s, minute_s = head.groups()
    month = MONTHS.get(month_s.lower())
    hour, minute, day = int(hour_s), int(minute_s), int(day_s)
    if month is None or hour > 23 or minute > 59 or not 1 <= day <= 31:
        return None
    # The published wall-clock date is Swedish local time, like the title.
    published_date = published.date()
    zone = _STOCKHOLM if _STOCKHOLM is not None else published.tzinfo
    if month == published_date.month:
        try:
            return datetime(published_date.year, month, day, hour, minute, tzinfo=zone)
        except ValueError:
            return None
    best: date | None = None
    best_days = _MAX_YEAR_DISTANCE_DAYS + 1
    for year in (published_date.year - 1, published_date.year, published_date.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        days = abs((candidate - published_date).days)
        if days < best_days:
            best, best_days = candidate, days
        elif days == best_days:  # exactly half a leap year either way: no honest answer
            best = None
    if best is None:
        return None
    return datetime(best.year, month, day, hour, minute, tzinfo=zone)


def _parse_utc(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class FeedEvent:
    """One event of the feed, parsed and placed. ``raw`` is the API object as decoded."""

    id: int
    published: datetime
    occurred: datetime | None
    title: str
    summary: str
    url: str
    type: str
    is_summary: bool
    location_name: str
    lat: float | None
    lon: float | None
    kommunkod: str | None
    lan_kod: str | None
    precision: Precision
    kommun_source: KommunSource | None
    version: int | None
    first_seen_utc: datetime | None
    raw: dict[str, Any] = field(repr=False, hash=False)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """A record that was skipped, with its line and a Swedish message."""

    line: int
    message: str
    event_id: int | None = None


FeedItem = FeedEvent | FeedProblem


def _parse_gps(value: Any) -> tuple[float | None, float | None]:
    if not isinstance(value, str):
        return None, None
    lat_s, sep, lon_s = value.partition(",")
    if not sep:
        return None, None
    try:
        lat, lon = round(float(lat_s), 6), round(float(lon_s), 6)
    except ValueError:
        return None, None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also rejects NaN
        return None, None
    return lat, lon


def _absolute_url(url: str) -> str:
    if not url or url.startswith(("https://", "http://")):
        return url
    if not url.startswith("/"):
        url = "/" + url
    return POLICE_BASE_URL + url


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Parser:
    """Turns decoded objects into events; holds the resolver and per-run caches."""

    def __init__(self, resolver: KommunResolver) -> None:
        self.resolver = resolver
        self._gps: dict[str, tuple[float | None, float | None]] = {}  # few distinct centres

    def event(self, obj: Any, line: int) -> FeedItem:
        if type(obj) is not dict:
            return FeedProblem(line, f"rad {line}: posten är inte ett JSON-objekt")
        version: int | None = None
        first_seen: datetime | None = None
        inner = obj.get("event")
        if type(inner) is dict:
            raw_version = obj.get("version")
            if raw_version is not None:
                if type(raw_version) is not int or raw_version < 1:
                    return FeedProblem(
                        line,
                        f"rad {line}: ogiltigt versionsnummer {_short(raw_version)}",
                        _event_id(inner.get("id")),
                    )
                version = raw_version
            first_seen = _parse_utc(obj.get("first_seen_utc"))
            obj = inner

        raw_id = obj.get("id")
        raw_published = obj.get("datetime")
        location = obj.get("location")
        if raw_id is None or raw_published is None or location is None:
            missing = [
                name
                for name, value in (
                    ("id", raw_id),
                    ("datetime", raw_published),
                    ("location", location),
                )
                if value is None
            ]
            fields = "fältet " + missing[0] if len(missing) == 1 else "fälten " + ", ".join(missing)
            return FeedProblem(line, f"rad {line}: saknar {fields}", _event_id(raw_id))

        event_id = _event_id(raw_id)
        if event_id is None:
            return FeedProblem(line, f"rad {line}: ogiltigt id {_short(raw_id)}")
        try:
            published = parse_published(raw_published)
        except (ValueError, TypeError):
            return FeedProblem(
                line,
                f"rad {line}: ogiltig tidpunkt i fältet datetime: {_short(raw_published)}",
                event_id,
            )
        if type(location) is not dict:
            return FeedProblem(line, f"rad {line}: fältet location är inte ett objekt", event_id)
        location_name = location.get("name")
        if type(location_name) is not str or not location_name.strip():
            return FeedProblem(line, f"rad {line}: saknar fältet location.name", event_id)

        title = obj.get("name")
        if type(title) is not str:
            title = ""
        event_type = obj.get("type")
        if type(event_type) is not str:
            event_type = ""
        head = _TITLE_HEAD.match(title)
        resolution = self.resolver._resolve(
            location_name, title, -1 if head is None else head.end(), event_type
        )
        if resolution is None:
            return FeedProblem(
                line,
                f"rad {line}: okänd plats i location.name: {_short(location_name)} "
                "(varken kommun eller län)",
                event_id,
            )
        gps = location.get("gps")
        point = self._gps.get(gps) if type(gps) is str else None
        if point is None:
            point = _parse_gps(gps)
            if type(gps) is str and len(self._gps) < 10_000:
                self._gps[gps] = point
        summary = obj.get("summary")
        url = obj.get("url")
        return _build_event(
            {
                "id": event_id,
                "published": published,
                "occurred": None if head is None else _occurred(head, published),
                "title": title,
                "summary": summary if type(summary) is str else "",
                "url": _absolute_url(url) if type(url) is str else "",
                "type": event_type,
                "is_summary": event_type.startswith(SUMMARY_TYPE_PREFIX),
                "location_name": location_name,
                "lat": point[0],
                "lon": point[1],
                "kommunkod": resolution.kommunkod,
                "lan_kod": resolution.lan_kod,
                "precision": resolution.precision,
                "kommun_source": resolution.kommun_source,
                "version": version,
                "first_seen_utc": first_seen,
                "raw": obj,
                "line": line,
            }
        )


_new_object: Final = object.__new__
_set_attribute: Final = object.__setattr__


def _build_event(values: dict[str, Any]) -> FeedEvent:
    """A ``FeedEvent`` from a mapping of all its fields, without the frozen ``__init__``.

    The generated ``__init__`` of a frozen dataclass sets each of the 19 fields through
    ``object.__setattr__``; giving the new instance its ``__dict__`` in one step is several
    times faster and yields an equal object (the reader's hot path). The tests check that the
    keys are exactly ``dataclasses.fields(FeedEvent)``.
    """
    event: FeedEvent = _new_object(FeedEvent)
    _set_attribute(event, "__dict__", values)
    return event


def _event_id(value: Any) -> int | None:
    if type(value) is int:
        return value if value > 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


# --------------------------------------------------------------------------- readers

_JSON_WHITESPACE: Final = frozenset(" \t\r\n")
_DECODER: Final = json.JSONDecoder()


def _skip_whitespace(text: str, pos: int) -> int:
    end = len(text)
    while pos < end and text[pos] in _JSON_WHITESPACE:
        pos += 1
    return pos


def _iter_lines(lines: Iterable[bytes], first_line: int, parser: _Parser) -> Iterator[FeedItem]:
    loads = json.loads
    make = parser.event
    for line_number, raw_line in enumerate(lines, start=first_line):
        line = raw_line.strip()
        if not line:
            continue
        try:
            obj = loads(line.decode("utf-8"))
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            yield FeedProblem(
                line_number,
                f"rad {line_number}: ogiltig JSON (avkortad eller trasig rad)",
            )
            continue
        yield make(obj, line_number)


def _iter_array(text: str, first_line: int, parser: _Parser) -> Iterator[FeedItem]:
    """Decode a JSON array element by element, reporting broken elements by start line."""
    line = first_line
    counted = 0

    def line_at(pos: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, pos)
        counted = pos
        return line

    pos = _skip_whitespace(text, text.index("[") + 1)
    while True:
        if text.startswith("]", pos):
            rest = _skip_whitespace(text, pos + 1)
            if rest < len(text):
                where = line_at(rest)
                yield FeedProblem(where, f"rad {where}: oväntat innehåll efter listans slut")
            return
        start = pos
        try:
            obj, pos = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            where = line_at(start)
            yield FeedProblem(where, f"rad {where}: ogiltig JSON (avkortad eller trasig post)")
            resume = _resync(text, start)
            if resume is None:
                return
            pos = resume
            continue
        yield parser.event(obj, line_at(start))
        pos = _skip_whitespace(text, pos)
        if text.startswith(",", pos):
            pos = _skip_whitespace(text, pos + 1)
            continue
        if text.startswith("]", pos):
            continue
        where = line_at(min(pos, len(text)))
        if pos >= len(text):
            yield FeedProblem(where, f"rad {where}: listan tar slut utan ] (avkortad fil?)")
            return
        yield FeedProblem(where, f"rad {where}: förväntade , eller ] mellan posterna")
        resume = _resync(text, start)
        if resume is None:
            return
        pos = resume


def _resync(text: str, start: int) -> int | None:
    """Find the next element of a pretty-printed array after a broken one.

    Elements of a pretty-printed array start on a line holding only ``{`` at the indentation
    of the broken element; nested objects follow a key on their line, so they never match.
    Compact arrays have no such lines and are not resumed.
    """
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    if indent.strip():
        return None
    pattern = re.compile(r"\n" + re.escape(indent) + r"\{[ \t\r]*\n")
    match = pattern.search(text, start)
    return None if match is None else match.start() + 1 + len(indent)


def _iter_bytes_lines(lines: Iterator[bytes], parser: _Parser) -> Iterator[FeedItem]:
    line_number = 0
    for raw_line in lines:
        line_number += 1
        stripped = raw_line.strip()
        if line_number == 1 and stripped.startswith(b"\xef\xbb\xbf"):
            stripped = stripped[3:].strip()
            raw_line = stripped
        if not stripped:
            continue
        if stripped.startswith(b"["):
            data = b"".join(chain([raw_line], lines))
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                where = line_number + data.count(b"\n", 0, error.start)
                yield FeedProblem(where, f"rad {where}: filen är inte giltig UTF-8")
                return
            yield from _iter_array(text, line_number, parser)
        else:
            yield from _iter_lines(chain([raw_line], lines), line_number, parser)
        return


def read_feed(
    path: str | os.PathLike[str], resolver: KommunResolver | None = None
) -> Iterator[FeedEvent | FeedProblem]:
    """Stream the events of a feed file, with a ``FeedProblem`` for each skipped record.

    The format (JSON array, JSON Lines of events or of revisions) is detected from the content;
    see the module docstring. A name ending in ``.gz`` is read through gzip. The file is opened
    when iteration starts and closed at its end.
    """
    parser = _Parser(resolver if resolver is not None else KommunResolver())
    with open_feed(path) as handle:
        yield from _iter_bytes_lines(iter(handle), parser)


def open_feed(path: str | os.PathLike[str]) -> IO[bytes]:
    """A feed file opened for reading bytes, through gzip when its name ends in ``.gz``."""
    if str(path).endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def read_feed_text(
    text: str, resolver: KommunResolver | None = None
) -> Iterator[FeedEvent | FeedProblem]:
    """Like ``read_feed`` for content in memory (e.g. the body of one API response)."""
    parser = _Parser(resolver if resolver is not None else KommunResolver())
    data = text.encode("utf-8")
    return _iter_bytes_lines(iter(data.splitlines(keepends=True)), parser)
