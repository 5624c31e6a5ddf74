"""Tests of the police events feed parser and the kommun resolution (no Django needed)."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from samtrygg.sources.police_feed import (
    MONTHS,
    REFERENCE_DIR,
    FeedEvent,
    FeedProblem,
    KommunResolver,
    Resolution,
    load_reference,
    parse_occurred,
    parse_published,
    read_feed,
    read_feed_text,
    title_place,
)

DATA = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTS_SAMPLE = DATA / "police_events_sample.jsonl"
REVISIONS_SAMPLE = DATA / "police_event_revisions_sample.jsonl"
SNAPSHOT_SAMPLE = DATA / "api_snapshot_sample.json"
SAMPLES = (EVENTS_SAMPLE, REVISIONS_SAMPLE, SNAPSHOT_SAMPLE)
BAD_LINES = DATA / "constructed_bad_input.jsonl"
BAD_ARRAY = DATA / "constructed_bad_input_array.json"

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))


def split(items: Iterable[FeedEvent | FeedProblem]) -> tuple[list[FeedEvent], list[FeedProblem]]:
    events: list[FeedEvent] = []
    problems: list[FeedProblem] = []
    for item in items:
        if isinstance(item, FeedProblem):
            problems.append(item)
        else:
            events.append(item)
    return events, problems


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stand-in for pytest-django's ``settings``, which an autouse fixture in tests/conftest.py
    asks for: this module needs no Django and also runs with ``-p no:django``."""
    return SimpleNamespace()


@pytest.fixture(scope="module")
def resolver() -> KommunResolver:
    return KommunResolver()


# --------------------------------------------------------------------------- an independent oracle


class Oracle:
    """The resolution rule, written plainly from the reference CSVs, to check the parser."""

    def __init__(self) -> None:
        with (REFERENCE_DIR / "municipality_county.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.kommun = {
            row["municipality_name_short"].casefold(): (
                row["municipality_code"],
                row["county_code"],
            )
            for row in rows
        }
        with (REFERENCE_DIR / "counties.csv").open(encoding="utf-8") as handle:
            self.lan = {
                row["county_name"].casefold(): row["county_code"] for row in csv.DictReader(handle)
            }

    def check(self, event: FeedEvent) -> str:
        """Assert the resolution properties for one event; return where its kommun came from."""
        location = event.raw["location"]["name"]
        suffix = event.raw["name"].rsplit(",", 1)[-1].strip()
        by_location = self.kommun.get(location.casefold())
        by_suffix = self.kommun.get(suffix.casefold())
        # No event gets a kommun that neither its location nor its title suffix names.
        named = {found[0] for found in (by_location, by_suffix) if found is not None}
        assert event.kommunkod is None or event.kommunkod in named, event
        if by_location is not None:
            # Every event whose location names a kommun gets that kommun.
            assert (event.kommunkod, event.lan_kod, event.precision) == (
                by_location[0],
                by_location[1],
                "kommun",
            ), event
            assert event.kommun_source == "location"
            return "location"
        lan_kod = self.lan[location.casefold()]
        assert event.lan_kod == lan_kod, event
        if by_suffix is not None and by_suffix[1] == lan_kod:
            # Every län-level event whose title suffix names a kommun of its län gets it.
            assert (event.kommunkod, event.precision, event.kommun_source) == (
                by_suffix[0],
                "kommun",
                "title",
            ), event
            return "title"
        assert (event.kommunkod, event.precision, event.kommun_source) == (None, "lan", None)
        return "lan" if by_suffix is None else "lan, suffix in another län"


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle()


# --------------------------------------------------------------------------- reference data


def test_reference_lists_all_kommuner_and_lan() -> None:
    reference = load_reference()
    assert len(reference.kommuner) == 290
    assert len(reference.lan) == 21
    assert reference.kommuner["2081"] == ("Borlänge", "20")
    assert reference.lan["12"] == "Skåne län"
    assert load_reference(REFERENCE_DIR) == reference


def test_every_reference_name_resolves_to_itself(resolver: KommunResolver) -> None:
    reference = load_reference()
    for code, (name, lan_kod) in reference.kommuner.items():
        assert resolver.kommun(name) == (code, lan_kod)
        assert resolver.kommun(name.upper()) == (code, lan_kod)
        assert resolver.lan(name) is None
    for lan_kod, name in reference.lan.items():
        assert resolver.lan(name) == lan_kod
        assert resolver.kommun(name) is None


# --------------------------------------------------------------------------- parse_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-01 0:40:16 +01:00", datetime(2024, 1, 1, 0, 40, 16, tzinfo=CET)),
        ("2026-08-22 19:51:41 +02:00", datetime(2026, 8, 22, 19, 51, 41, tzinfo=CEST)),
        ("2023-03-27 10:50:06 +02:00", datetime(2023, 3, 27, 10, 50, 6, tzinfo=CEST)),
        ("2024-01-01T00:40:16+01:00", datetime(2024, 1, 1, 0, 40, 16, tzinfo=CET)),
        ("2024-01-01T00:40:16Z", datetime(2024, 1, 1, 0, 40, 16, tzinfo=UTC)),
        (
            "2024-01-01 7:05:00 -05:00",
            datetime(2024, 1, 1, 7, 5, tzinfo=timezone(-timedelta(hours=5))),
        ),
    ],
)
def test_parse_published(text: str, expected: datetime) -> None:
    parsed = parse_published(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()  # the published offset is kept


@pytest.mark.parametrize(
    "text",
    [
        "",
        "igår",
        "2024-01-01",
        "2024-01-01 0:40:16",  # no offset: never a naive datetime
        "2024-13-01 0:40:16 +01:00",
        "2024-02-30 10:00:00 +01:00",
        "2024-01-01 24:00:00 +01:00",
        "2024-01-01 10:60:00 +01:00",
        "2024-01-01 123:00:00 +01:00",
        "2024-W01-1 0:40:16 +01:00",
    ],
)
def test_parse_published_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_published(text)


# --------------------------------------------------------------------------- parse_occurred


def at(text: str) -> datetime:
    return parse_published(text)


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        # "." since spring 2023, ":" before
        (
            "22 augusti 17.59, Brand, Kävlinge",
            "2026-08-22 19:51:41 +02:00",
            datetime(2026, 8, 22, 17, 59),
        ),
        (
            "01 januari 07:56, Mord/dråp, försök, Nynäshamn",
            "2023-01-01 11:03:17 +01:00",
            datetime(2023, 1, 1, 7, 56),
        ),
        # the day before publication, across a new year
        (
            "31 december 00.07, Brand, Nacka",
            "2024-01-01 0:40:16 +01:00",
            datetime(2023, 12, 31, 0, 7),
        ),
        (
            "31 december 23:40, Brand, Nacka",
            "2024-01-01 0:40:16 +01:00",
            datetime(2023, 12, 31, 23, 40),
        ),
        # the day before publication within a month and across a month
        (
            "29 april 22:27, Sjölagen, Värmdö",
            "2023-05-01 10:06:53 +02:00",
            datetime(2023, 4, 29, 22, 27),
        ),
        # an announcement dated after publication, also across a new year
        (
            "17 juni 07.00, Övrigt, Örebro län",
            "2024-06-13 5:56:19 +02:00",
            datetime(2024, 6, 17, 7, 0),
        ),
        (
            "01 januari 00.10, Övrigt, Stockholm",
            "2023-12-31 23:50:00 +01:00",
            datetime(2024, 1, 1, 0, 10),
        ),
        # unpadded day, unpadded hour, month in capitals
        (
            "7 juli 15.01, Försvunnen person, Gävle",
            "2025-07-07 18:09:50 +02:00",
            datetime(2025, 7, 7, 15, 1),
        ),
        ("07 juli 9.05, Brand, Gävle", "2025-07-07 18:09:50 +02:00", datetime(2025, 7, 7, 9, 5)),
        ("07 Juli 09.05, Brand, Gävle", "2025-07-07 18:09:50 +02:00", datetime(2025, 7, 7, 9, 5)),
        # a leap day, published after it
        ("29 februari 12.00, Brand, Lund", "2024-03-01 9:00:00 +01:00", datetime(2024, 2, 29, 12)),
        # the time in the title only
        ("22 augusti 17.59", "2026-08-22 19:51:41 +02:00", datetime(2026, 8, 22, 17, 59)),
    ],
)
def test_parse_occurred(title: str, published: str, expected: datetime) -> None:
    occurred = parse_occurred(title, at(published))
    assert occurred == expected.replace(tzinfo=STOCKHOLM)
    assert occurred is not None and occurred.tzinfo is not None


def test_parse_occurred_uses_the_offset_of_its_own_date() -> None:
    # Published in summer time about the evening before the change to summer time.
    occurred = parse_occurred("30 mars 23.30, Brand, Lund", at("2024-03-31 3:10:00 +02:00"))
    assert occurred is not None
    assert occurred.utcoffset() == timedelta(hours=1)
    assert occurred.astimezone(UTC) == datetime(2024, 3, 30, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "published"),
    [
        ("22 augusti, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),  # no time
        ("Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),
        ("", "2026-08-22 19:51:41 +02:00"),
        ("22 augusti 17.59-18.30, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),  # a range
        ("22 augusti 17 59, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),
        ("22 augusti 24.00, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),
        ("22 augusti 17.60, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),
        ("22 augustus 17.59, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00"),
        ("31 juni 12.00, Brand, Kävlinge", "2026-06-22 19:51:41 +02:00"),
        ("0 juni 12.00, Brand, Kävlinge", "2026-06-22 19:51:41 +02:00"),
        ("Sammanfattning natt 22 augusti 17.59", "2026-08-22 19:51:41 +02:00"),
        # 29 February more than half a year from publication: no year fits, do not guess
        ("29 februari 12.00, Brand, Lund", "2025-03-01 9:00:00 +01:00"),
    ],
)
def test_parse_occurred_gives_none_rather_than_a_guess(title: str, published: str) -> None:
    assert parse_occurred(title, at(published)) is None


MONTH_NAMES = {number: name for name, number in MONTHS.items()}


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    occurred=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)),
    minutes_until_published=st.integers(min_value=-10 * 24 * 60, max_value=150 * 24 * 60),
    padded=st.booleans(),
    separator=st.sampled_from([":", "."]),
)
def test_parse_occurred_recovers_the_incident_time(
    occurred: datetime, minutes_until_published: int, padded: bool, separator: str
) -> None:
    occurred = occurred.replace(second=0, microsecond=0)
    day = f"{occurred.day:02d}" if padded else str(occurred.day)
    title = (
        f"{day} {MONTH_NAMES[occurred.month]} {occurred.hour:02d}{separator}"
        f"{occurred.minute:02d}, Brand, Kävlinge"
    )
    published = (occurred + timedelta(minutes=minutes_until_published)).replace(tzinfo=CEST)
    assert parse_occurred(title, published) == occurred.replace(tzinfo=STOCKHOLM)


# --------------------------------------------------------------------------- title_place


@pytest.mark.parametrize(
    ("title", "event_type", "expected"),
    [
        ("22 augusti 17.59, Brand, Kävlinge", "Brand", "Kävlinge"),
        ("22 augusti 17.59, Brand, Kävlinge", None, "Kävlinge"),
        ("01 januari 07:56, Mord/dråp, försök, Nynäshamn", "Mord/dråp, försök", "Nynäshamn"),
        ("01 januari 07:56, Mord/dråp, försök, Nynäshamn", None, "Nynäshamn"),
        ("07 september 00.38, Detonation, Malmö", "Explosion", "Malmö"),
        ("22 augusti 17.59, Brand, Bjuv, Åstorp", "Brand", "Bjuv, Åstorp"),
        ("22 augusti 17.59, Brand, Bjuv, Åstorp", None, "Åstorp"),
        ("20 maj 13.09, Trafikkontroll, ", "Trafikkontroll", ""),
        ("22 augusti 17.59, Brand", "Brand", None),
        ("Brand", None, None),
    ],
)
def test_title_place(title: str, event_type: str | None, expected: str | None) -> None:
    assert title_place(title, event_type) == expected


# --------------------------------------------------------------------------- KommunResolver


def title(place: str, event_type: str = "Brand") -> str:
    return f"22 augusti 17.59, {event_type}, {place}"


@pytest.mark.parametrize(
    ("location", "event_title", "event_type", "expected"),
    [
        # 1. location names a kommun: the kommun and its län, whatever the title says
        ("Kävlinge", title("Kävlinge"), "Brand", ("1261", "12", "kommun", "location")),
        ("Borlänge", title("Borlänge"), "Brand", ("2081", "20", "kommun", "location")),
        ("Upplands väsby", title("Upplands väsby"), "Brand", ("0114", "01", "kommun", "location")),
        ("Upplands-bro", title("Upplands-bro"), "Brand", ("0139", "01", "kommun", "location")),
        ("Östra göinge", title("Östra göinge"), "Brand", ("1256", "12", "kommun", "location")),
        ("Dals-ed", title("Dals-ed"), "Brand", ("1438", "14", "kommun", "location")),
        ("Lilla edet", title("Lilla edet"), "Brand", ("1462", "14", "kommun", "location")),
        ("Malung–Sälen", title("x"), "Brand", ("2023", "20", "kommun", "location")),
        ("Gotland", title("Gotland"), "Brand", ("0980", "09", "kommun", "location")),
        ("Region Gotland", title("Visby"), "Brand", ("0980", "09", "kommun", "location")),
        ("Falu kommun", title("Falun"), "Brand", ("2080", "20", "kommun", "location")),
        ("Stockholms kommun", title("x"), "Brand", ("0180", "01", "kommun", "location")),
        (
            "Järfälla",
            title("Upplands-Bro", "Farligt föremål, misstänkt"),
            "Farligt föremål, misstänkt",
            ("0123", "01", "kommun", "location"),
        ),
        ("Lund", title("Malmö"), "Brand", ("1281", "12", "kommun", "location")),
        # 2. location names a län: the title's place when it is a kommun of that län
        ("Skåne län", title("Kävlinge"), "Brand", ("1261", "12", "kommun", "title")),
        ("Dalarnas län", title("Borlänge"), "Brand", ("2081", "20", "kommun", "title")),
        (
            "Stockholms län",
            title("Sollentuna", "Trafikbrott"),
            "Trafikbrott",
            ("0163", "01", "kommun", "title"),
        ),
        ("Stockholms län", title("Stockholm"), "Brand", ("0180", "01", "kommun", "title")),
        ("Västra Götalands län", title("Lilla edet"), "Brand", ("1462", "14", "kommun", "title")),
        ("Dalarnas län", title("Malung–Sälen"), "Brand", ("2023", "20", "kommun", "title")),
        ("Dalarnas län", title("malung sälen"), "Brand", ("2023", "20", "kommun", "title")),
        ("Gotlands län", title("Gotland"), "Brand", ("0980", "09", "kommun", "title")),
        ("skåne LÄN", title("KÄVLINGE"), "Brand", ("1261", "12", "kommun", "title")),
        (
            "Skåne län",
            title("Nynäshamn", "Mord/dråp, försök"),
            "Mord/dråp, försök",
            (None, "12", "lan", None),  # Nynäshamn is in Stockholms län
        ),
        (
            "Stockholms län",
            title("Nynäshamn", "Mord/dråp, försök"),
            "Mord/dråp, försök",
            ("0192", "01", "kommun", "title"),
        ),
        # the title does not repeat the type (edited type): the last part still counts
        ("Skåne län", title("Malmö", "Detonation"), "Explosion", ("1280", "12", "kommun", "title")),
        # a district before the kommun does not stop it
        (
            "Västra Götalands län",
            title("Hisingen, Göteborg"),
            "Brand",
            ("1480", "14", "kommun", "title"),
        ),
        # ... the län alone otherwise
        ("Skåne län", title("Skåne län"), "Brand", (None, "12", "lan", None)),
        (
            "Skåne län",
            title("Göteborg"),
            "Brand",
            (None, "12", "lan", None),
        ),  # kommun of another län
        (
            "Uppsala län",
            title("Sala"),
            "Brand",
            (None, "03", "lan", None),
        ),  # Sala is in Västmanland
        ("Skåne län", title("Bjuv, Åstorp"), "Brand", (None, "12", "lan", None)),  # a list
        ("Skåne län", title("Bjuv, Åstorp"), None, (None, "12", "lan", None)),  # a list, no type
        ("Skåne län", title("Bjuv och Åstorp"), "Brand", (None, "12", "lan", None)),
        ("Skåne län", title("Skåne län, Malmö"), "Brand", (None, "12", "lan", None)),
        ("Stockholms län", title("Rinkeby"), "Brand", (None, "01", "lan", None)),  # a district
        ("Skåne län", title("Södra Sandby"), "Brand", (None, "12", "lan", None)),  # a locality
        ("Skåne län", title("Malmös"), "Brand", (None, "12", "lan", None)),  # never a prefix match
        ("Dalarnas län", title("Borlänge län"), "Brand", (None, "20", "lan", None)),
        ("Gotlands län", title("Visby"), "Brand", (None, "09", "lan", None)),
        (
            "Västerbottens län",
            "20 maj 13.09, Trafikkontroll, ",
            "Trafikkontroll",
            (None, "24", "lan", None),
        ),
        ("Skåne län", "22 augusti 17.59, Brand", "Brand", (None, "12", "lan", None)),
        ("Skåne län", "Kävlinge", None, (None, "12", "lan", None)),
    ],
)
def test_resolve(
    resolver: KommunResolver,
    location: str,
    event_title: str,
    event_type: str | None,
    expected: tuple[str | None, str, str, str | None],
) -> None:
    kommunkod, lan_kod, precision, source = expected
    wanted = Resolution(kommunkod, lan_kod, precision, source)  # type: ignore[arg-type]
    assert resolver.resolve(location, event_title, event_type) == wanted
    assert resolver.resolve(location, event_title, event_type) == wanted  # from the cache


@pytest.mark.parametrize(
    "location", ["Sverige", "Borlänge län", "Skåne", "Västra Götaland", "län", "", "Malmö stad"]
)
def test_resolve_unknown_location(resolver: KommunResolver, location: str) -> None:
    assert resolver.resolve(location, title("Malmö"), "Brand") is None


def test_single_kommun_lan_is_opt_in() -> None:
    resolver = KommunResolver(single_kommun_lan=True)
    assert resolver.resolve("Gotlands län", title("Visby"), "Brand") == Resolution(
        "0980", "09", "kommun", "lan"
    )
    assert resolver.resolve("Gotlands län", title("Gotland"), "Brand") == Resolution(
        "0980", "09", "kommun", "title"
    )
    assert resolver.resolve("Skåne län", title("Ystad"), "Brand") == Resolution(
        "1286", "12", "kommun", "title"
    )
    assert resolver.resolve("Skåne län", title("Lomma?"), "Brand") == Resolution(
        None, "12", "lan", None
    )


# --------------------------------------------------------------------------- read_feed: real subset


def test_read_events_sample(oracle: Oracle) -> None:
    events, problems = split(read_feed(EVENTS_SAMPLE))
    assert problems == []
    lines = EVENTS_SAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(events) == len(lines) == 255
    by_id = {event.id: event for event in events}
    assert len(by_id) == 255
    for number, (event, line) in enumerate(zip(events, lines, strict=True), start=1):
        assert event.raw == json.loads(line)
        assert event.line == number
        assert event.version is None and event.first_seen_utc is None
        assert event.url.startswith("https://polisen.se/aktuellt/handelser/")
        assert event.is_summary == event.type.startswith("Sammanfattning")
        assert event.occurred is not None
        assert event.published.tzinfo is not None
        assert abs(event.occurred - event.published) < timedelta(days=40)
        oracle.check(event)

    new_year = by_id[480687]
    assert new_year.published == datetime(2024, 1, 1, 0, 40, 16, tzinfo=CET)
    assert new_year.occurred == datetime(2023, 12, 31, 0, 7, tzinfo=STOCKHOLM)
    assert new_year.title == "31 december 00.07, Brand, Nacka"
    assert (new_year.kommunkod, new_year.lan_kod, new_year.precision) == ("0182", "01", "kommun")
    assert new_year.url == (
        "https://polisen.se/aktuellt/handelser/2023/december/31/31-december-00.07-brand-nacka/"
    )

    for artefact in (559515, 559812):
        event = by_id[artefact]
        assert (event.lat, event.lon) == (58.345364, 15.519784)
        assert (event.lan_kod, event.precision, event.kommunkod) == ("05", "lan", None)
        assert event.is_summary

    assert (by_id[581682].kommunkod, by_id[581682].kommun_source) == ("0163", "title")
    assert (by_id[586066].kommunkod, by_id[586066].lan_kod) == (None, "24")
    assert by_id[592505].occurred == datetime(2025, 7, 7, 15, 1, tzinfo=STOCKHOLM)

    located = Counter(event.location_name for event in events)
    for odd in (
        "Upplands väsby",
        "Upplands-bro",
        "Östra göinge",
        "Dals-ed",
        "Lilla edet",
        "Borlänge",
    ):
        assert located[odd] >= 1
    assert sum(1 for event in events if event.location_name.endswith(" län")) >= 21
    assert {event.type for event in events if event.is_summary} >= {
        "Sammanfattning natt",
        "Sammanfattning kväll och natt",
        "Sammanfattning dag",
        "Sammanfattning vecka",
    }
    separators = Counter(event.title[event.title.index(",") - 3] for event in events)
    assert separators[":"] > 10 and separators["."] > 10


def test_read_revisions_sample(oracle: Oracle) -> None:
    events, problems = split(read_feed(REVISIONS_SAMPLE))
    assert problems == []
    assert len(events) == 25
    versions: dict[int, list[int]] = defaultdict(list)
    for event in events:
        assert event.version is not None
        assert event.first_seen_utc is not None and event.first_seen_utc.utcoffset() == timedelta(0)
        assert "event" not in event.raw and event.raw["id"] == event.id
        versions[event.id].append(event.version)
        oracle.check(event)
    assert all(found == list(range(1, len(found) + 1)) for found in versions.values())
    assert max(len(found) for found in versions.values()) == 5

    moved = [event for event in events if event.id == 411697]
    assert [(e.version, e.kommunkod, e.lan_kod, e.precision) for e in moved] == [
        (1, "2480", "24", "kommun"),
        (2, None, "24", "lan"),
    ]
    retimed = [event.published for event in events if event.id == 560424]
    assert len(set(retimed)) == 2


def test_read_snapshot_sample(oracle: Oracle) -> None:
    events, problems = split(read_feed(SNAPSHOT_SAMPLE))
    assert problems == []
    assert len(events) == 52
    text = SNAPSHOT_SAMPLE.read_text(encoding="utf-8")
    assert [event.raw for event in events] == json.loads(text)
    lines = text.splitlines()
    for event in events:
        # each record is reported by the line where it starts
        assert lines[event.line - 1] == "  {"
        assert lines[event.line] == f'    "id": {event.id},'
    sources = Counter(oracle.check(event) for event in events)
    assert sources["title"] >= 5 and sources["lan"] >= 5
    by_title = {event.title: event for event in events}
    assert by_title["22 augusti 17.59, Brand, Kävlinge"].kommunkod == "1261"
    gotland = next(event for event in events if event.title.endswith(", Gotland"))
    assert (gotland.location_name, gotland.kommunkod, gotland.precision) == (
        "Gotlands län",
        "0980",
        "kommun",
    )
    borlange = next(event for event in events if event.title.endswith(", Borlänge"))
    assert (borlange.location_name, borlange.kommunkod) == ("Dalarnas län", "2081")
    lilla_edet = next(event for event in events if event.id == 649603)
    assert (lilla_edet.kommunkod, lilla_edet.kommun_source) == ("1462", "title")


def test_events_are_complete_frozen_dataclasses() -> None:
    event = next(item for item in read_feed(EVENTS_SAMPLE) if isinstance(item, FeedEvent))
    assert list(vars(event)) == [f.name for f in dataclasses.fields(FeedEvent)]
    assert FeedEvent(**vars(event)) == event
    assert hash(event) == hash(FeedEvent(**vars(event)))
    assert dataclasses.replace(event, line=99) == event  # the line is not compared
    assert dataclasses.replace(event, kommunkod=None) != event
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.kommunkod = None  # type: ignore[misc]


def test_reading_is_lazy_and_repeatable() -> None:
    items = read_feed(EVENTS_SAMPLE)
    assert isinstance(items, Iterator)
    first = next(items)
    assert isinstance(first, FeedEvent) and first.line == 1
    assert [first, *items] == list(read_feed(EVENTS_SAMPLE))


def test_format_is_detected_from_content(tmp_path: Path) -> None:
    from_array = list(read_feed(SNAPSHOT_SAMPLE))
    objects = json.loads(SNAPSHOT_SAMPLE.read_text(encoding="utf-8"))

    as_lines = tmp_path / "no_extension"
    as_lines.write_text(
        "\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n", encoding="utf-8"
    )
    assert list(read_feed(as_lines)) == from_array

    compact = tmp_path / "compact.jsonl"  # a one-line array despite the name
    compact.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    assert list(read_feed(compact)) == from_array

    bom_crlf = tmp_path / "bom_crlf.json"
    bom_crlf.write_bytes(
        b"\xef\xbb\xbf\r\n"
        + "\r\n".join(json.dumps(o) for o in objects).encode("utf-8")
        + b"\r\n\r\n"
    )
    assert list(read_feed(bom_crlf)) == from_array

    assert list(read_feed_text(SNAPSHOT_SAMPLE.read_text(encoding="utf-8"))) == from_array
    empty = tmp_path / "empty.json"
    empty.write_text("[]\n", encoding="utf-8")
    assert list(read_feed(empty)) == []


def test_revision_and_event_lines_may_be_mixed() -> None:
    revision = REVISIONS_SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    event = EVENTS_SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    events, problems = split(read_feed_text(f"{event}\n{revision}\n"))
    assert problems == []
    assert [e.version for e in events] == [None, 1]
    assert events[1].raw == json.loads(revision)["event"]


# --------------------------------------------------------------------------- read_feed: bad input


def test_bad_lines_are_reported_and_skipped() -> None:
    events, problems = split(read_feed(BAD_LINES))
    assert [(p.line, p.message) for p in problems] == [
        (2, "rad 2: ogiltig JSON (avkortad eller trasig rad)"),
        (3, "rad 3: saknar fältet id"),
        (4, "rad 4: saknar fältet datetime"),
        (5, "rad 5: saknar fältet location"),
        (8, "rad 8: posten är inte ett JSON-objekt"),
        (9, "rad 9: ogiltig tidpunkt i fältet datetime: igår 12:00"),
        (10, "rad 10: okänd plats i location.name: Sverige (varken kommun eller län)"),
        (11, "rad 11: saknar fältet location.name"),
        (12, "rad 12: saknar fälten id, datetime"),
        (15, "rad 15: ogiltigt versionsnummer två"),
        (16, "rad 16: ogiltig JSON (avkortad eller trasig rad)"),
    ]
    assert [p.event_id for p in problems] == [
        None,
        None,
        900003,
        900004,
        None,
        900006,
        900007,
        900008,
        None,
        900012,
        None,
    ]
    assert [(e.line, e.id) for e in events] == [
        (1, 480687),
        (7, 900005),
        (13, 900010),
        (14, 900011),
    ]
    revision, new_type, no_time = events[1:]
    assert (revision.version, revision.first_seen_utc) == (2, datetime(2024, 5, 2, 8, tzinfo=UTC))
    assert (new_type.type, new_type.is_summary) == ("Drönarobservation", False)
    assert (new_type.lat, new_type.lon) == (58.345364, 15.519784)
    assert (new_type.kommunkod, new_type.lan_kod, new_type.kommun_source) == ("0580", "05", "title")
    assert no_time.occurred is None
    assert (no_time.kommunkod, no_time.precision) == ("1281", "kommun")


def test_bad_array_records_are_reported_by_their_first_line() -> None:
    events, problems = split(read_feed(BAD_ARRAY))
    assert [(p.line, p.message) for p in problems] == [
        (14, "rad 14: saknar fältet id"),
        (25, "rad 25: ogiltig JSON (avkortad eller trasig post)"),
        (49, "rad 49: ogiltig JSON (avkortad eller trasig post)"),
    ]
    assert [(e.line, e.id, e.kommunkod, e.lan_kod) for e in events] == [
        (2, 900101, None, "12"),
        (37, 900104, "1261", "12"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[{"id": 1}',
            [
                (1, "rad 1: saknar fälten datetime, location"),
                (1, "rad 1: listan tar slut utan ] (avkortad fil?)"),
            ],
        ),
        (
            '[\n  {"id": 1}\n  {"id": 2}\n]',
            [
                (2, "rad 2: saknar fälten datetime, location"),
                (3, "rad 3: förväntade , eller ] mellan posterna"),
            ],
        ),
        ("[\n]\n  x", [(3, "rad 3: oväntat innehåll efter listans slut")]),
        ('[{"id": 1,', [(1, "rad 1: ogiltig JSON (avkortad eller trasig post)")]),
        (
            '{"id": 1, "datetime": "2024-01-01 0:40:16 +01:00", "location": "Lund"}',
            [(1, "rad 1: fältet location är inte ett objekt")],
        ),
        (
            '{"id": "x1", "datetime": "2024-01-01 0:40:16 +01:00", "location": {"name": "Lund"}}',
            [(1, "rad 1: ogiltigt id x1")],
        ),
        (
            '{"id": true, "datetime": "2024-01-01 0:40:16 +01:00", "location": {"name": "Lund"}}',
            [(1, "rad 1: ogiltigt id true")],
        ),
    ],
)
def test_odd_shapes_are_reported(text: str, expected: list[tuple[int, str]]) -> None:
    _, problems = split(read_feed_text(text))
    assert [(p.line, p.message) for p in problems] == expected


def test_invalid_utf8_is_one_bad_line(tmp_path: Path) -> None:
    good = EVENTS_SAMPLE.read_bytes().splitlines(keepends=True)[:2]
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(good[0] + '{"id": 5, "name": "Malmö"}\n'.encode("latin-1") + good[1])
    events, problems = split(read_feed(path))
    assert [p.line for p in problems] == [2]
    assert [e.line for e in events] == [1, 3]


def test_minimal_record_is_valid() -> None:
    text = '{"id": "7", "datetime": "2024-01-01 0:40:16 +01:00", "location": {"name": "Borlänge"}}'
    (event,) = list(read_feed_text(text))
    assert isinstance(event, FeedEvent)
    assert (event.id, event.title, event.summary, event.url, event.type) == (7, "", "", "", "")
    assert (event.lat, event.lon, event.occurred, event.is_summary) == (None, None, None, False)
    assert (event.kommunkod, event.lan_kod) == ("2081", "20")


@pytest.mark.parametrize("gps", ["", "58.1", "abc,def", "91.0,15.0", "nan,15.0", "58.1;15.2"])
def test_unreadable_gps_is_no_point(gps: str) -> None:
    text = json.dumps(
        {"id": 7, "datetime": "2024-01-01 0:40:16 +01:00", "location": {"name": "Lund", "gps": gps}}
    )
    (event,) = list(read_feed_text(text))
    assert isinstance(event, FeedEvent)
    assert (event.lat, event.lon) == (None, None)


# --------------------------------------------------------------------------- full data


def data_dir() -> Path:
    configured = os.environ.get("SAMTRYGG_DATA_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


@pytest.mark.fulldata
def test_full_data(oracle: Oracle) -> None:
    folder = data_dir() / "police_events"
    if not folder.is_dir():
        pytest.skip(f"the full police events data is not here: {folder} (set SAMTRYGG_DATA_DIR)")
    files = {
        "events": sorted(folder.glob("events_20*.jsonl")),
        "revisions": [folder / "event_revisions.jsonl"],
        "snapshot": sorted(folder.glob("api_snapshot_*.json")),
    }
    assert [p.name for p in files["events"]] == [
        f"events_{year}.jsonl" for year in range(2022, 2026)
    ]
    assert all(path.is_file() for paths in files.values() for path in paths)

    resolver = KommunResolver()
    counts: Counter[str] = Counter()
    sources: Counter[tuple[str, str]] = Counter()
    problems: list[FeedProblem] = []
    event_ids: set[int] = set()
    versions: dict[int, list[int]] = defaultdict(list)
    started = time.perf_counter()
    for kind, paths in files.items():
        for path in paths:
            for item in read_feed(path, resolver):
                if isinstance(item, FeedProblem):
                    problems.append(item)
                    continue
                counts[kind] += 1
                sources[(kind, oracle.check(item))] += 1
                assert item.occurred is not None, item
                assert abs(item.occurred - item.published) < timedelta(days=40), item
                assert item.is_summary == item.type.startswith("Sammanfattning")
                if kind == "events":
                    assert item.id not in event_ids
                    event_ids.add(item.id)
                elif kind == "revisions":
                    assert item.version is not None
                    versions[item.id].append(item.version)
    elapsed = time.perf_counter() - started

    assert problems == []
    assert counts == {"events": 70_289, "revisions": 4_078, "snapshot": 500}
    assert all(found == list(range(1, len(found) + 1)) for found in versions.values())
    assert len(versions) == 1_946
    # Numbers of the archive as read on 2026-08-22 (shared/data/README.md).
    assert sources[("events", "location")] == 52_115
    assert sources[("events", "title")] == 1
    assert sources[("events", "lan")] == 18_173
    assert sources[("snapshot", "title")] == 351
    assert sources[("snapshot", "lan")] == 149
    assert not any(source == "lan, suffix in another län" for _, source in sources)
    assert elapsed < 30, f"{sum(counts.values())} events took {elapsed:.1f} s"
