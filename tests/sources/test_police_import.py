"""``samtrygg import police-events``: the real subset through the database, upsert with versions,
skip and report, summaries, unmapped types, and the full data set when it is here."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.sources.conftest import (
    BAD_ARRAY,
    BAD_LINES,
    EVENTS_SAMPLE,
    REVISIONS_SAMPLE,
    SAMPLES,
    SNAPSHOT_SAMPLE,
    NameOracle,
    data_dir,
    run_command,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CET = dt.timezone(dt.timedelta(hours=1))


def _import(*paths: Path) -> tuple[int, str, str]:
    return run_command("import", "police-events", *map(str, paths))


def _latest_versions(*paths: Path) -> dict[int, dict[str, Any]]:
    """The API object each id must end with: the last line of the events files, or the
    revision first seen last."""
    latest: dict[int, tuple[str, dict[str, Any]]] = {}
    for path in paths:
        if path.suffix == ".json":
            records = [("9999", obj) for obj in json.loads(path.read_text(encoding="utf-8"))]
        else:
            records = []
            for line in path.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                if "event" in obj:
                    records.append((obj["first_seen_utc"], obj["event"]))
                else:
                    records.append(("9999", obj))
        for seen, obj in records:
            known = latest.get(obj["id"])
            if known is None or seen >= known[0]:
                latest[obj["id"]] = (seen, obj)
    return {event_id: obj for event_id, (_seen, obj) in latest.items()}


def test_shipped_subset_gets_the_named_kommun(name_oracle: NameOracle) -> None:
    from samtrygg.sources.models import PoliceEvent

    code, out, err = _import(*SAMPLES)
    assert code == 0, err
    assert "0 överhoppade" in out
    expected_ids = {json.loads(line)["id"] for line in EVENTS_SAMPLE.read_text().splitlines()}
    expected_ids |= {json.loads(line)["id"] for line in REVISIONS_SAMPLE.read_text().splitlines()}
    expected_ids |= {obj["id"] for obj in json.loads(SNAPSHOT_SAMPLE.read_text())}
    stored = {e.id: e for e in PoliceEvent.objects.all()}
    assert set(stored) == expected_ids
    sources: Counter[str] = Counter()
    for event in stored.values():
        kommunkod, lan_kod, precision = name_oracle.expected(event.raw)
        assert (event.municipality_id, event.county_id, event.precision) == (
            kommunkod,
            lan_kod,
            precision,
        ), event.raw
        if kommunkod is None:
            sources["lan"] += 1
        elif event.raw["location"]["name"].endswith(" län"):
            sources["title"] += 1
        else:
            sources["location"] += 1
        assert event.lat is not None and event.lon is not None
    # All three ways occur in the subset: by location, by title within the län, län only.
    assert sources["location"] > 100 and sources["title"] > 10 and sources["lan"] > 10

    new_year = stored[480687]
    assert new_year.published == dt.datetime(2024, 1, 1, 0, 40, 16, tzinfo=CET)
    assert new_year.occurred == dt.datetime(2023, 12, 31, 0, 7, tzinfo=STOCKHOLM)
    assert (new_year.municipality_id, new_year.county_id) == ("0182", "01")
    assert new_year.url.startswith("https://polisen.se/aktuellt/handelser/2023/december/31/")
    assert stored[581682].municipality_id == "0163"  # Stockholms län, title ends Sollentuna
    assert (stored[586066].municipality_id, stored[586066].county_id) == (None, "24")
    for artefact in (559515, 559812):  # the float artefact in gps is a valid point
        assert (stored[artefact].lat, stored[artefact].lon) == (58.345364, 15.519784)
        assert stored[artefact].is_summary
    for event in stored.values():
        assert event.is_summary == event.type.startswith("Sammanfattning")


def test_rerun_changes_nothing() -> None:
    from samtrygg.sources.models import PoliceEvent, PoliceEventVersion

    _import(*SAMPLES)
    before = {
        e["id"]: e
        for e in PoliceEvent.objects.values(
            "id", "content_hash", "seen_at", "updated_at", "version_count"
        )
    }
    versions = set(PoliceEventVersion.objects.values_list("event_id", "content_hash", "seen_at"))
    code, out, _err = _import(*SAMPLES)
    assert code == 0
    records = 255 + 25 + 52
    assert out.startswith(f"0 nya, 0 uppdaterade, {records} oförändrade, 0 överhoppade.")
    after = {
        e["id"]: e
        for e in PoliceEvent.objects.values(
            "id", "content_hash", "seen_at", "updated_at", "version_count"
        )
    }
    assert after == before
    assert (
        set(PoliceEventVersion.objects.values_list("event_id", "content_hash", "seen_at"))
        == versions
    )


def test_revisions_keep_every_earlier_version_and_end_with_the_latest() -> None:
    from samtrygg.sources.models import PoliceEvent, PoliceEventVersion
    from samtrygg.sources.police_import import content_hash

    _import(REVISIONS_SAMPLE)
    latest = _latest_versions(REVISIONS_SAMPLE)
    distinct: dict[int, set[str]] = {}
    for line in REVISIONS_SAMPLE.read_text().splitlines():
        obj = json.loads(line)
        distinct.setdefault(obj["id"], set()).add(content_hash(obj["event"]))
    for event in PoliceEvent.objects.all():
        assert event.raw == latest[event.id]
        kept = set(
            PoliceEventVersion.objects.filter(event=event).values_list("content_hash", flat=True)
        )
        assert kept == distinct[event.id] - {event.content_hash}
        assert event.version_count == 1 + len(kept)
    assert PoliceEvent.objects.get(id=529769).version_count == 5
    umea = PoliceEvent.objects.get(id=411697)  # moved from Umeå to Västerbottens län
    assert umea.raw["location"]["name"] == latest[411697]["location"]["name"]


def test_an_edited_event_replaces_the_stored_one(tmp_path: Path) -> None:
    from samtrygg.sources.models import PoliceEvent

    original = json.loads(EVENTS_SAMPLE.read_text().splitlines()[0])
    edited = {**original, "type": "Rån", "name": original["name"] + " (uppdaterad)"}
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(original, ensure_ascii=False) + "\n")
    second.write_text(json.dumps(edited, ensure_ascii=False) + "\n")
    assert _import(first)[1].startswith("1 nya")
    _code, out, _err = _import(second)
    assert out.startswith("0 nya, 1 uppdaterade")
    event = PoliceEvent.objects.get(id=original["id"])
    assert (event.type, event.title, event.version_count) == ("Rån", edited["name"], 2)
    assert [v.raw for v in event.versions.all()] == [original]
    assert _import(second)[1].startswith("0 nya, 0 uppdaterade, 1 oförändrade")
    assert PoliceEvent.objects.count() == 1


def test_bad_lines_are_reported_with_line_numbers_and_skipped() -> None:
    from samtrygg.sources.models import PoliceEvent, SourceRun

    code, out, err = _import(BAD_LINES)
    assert code == 1
    assert "11 överhoppade" in out
    for line, text in [
        (2, "ogiltig JSON"),
        (3, "saknar fältet id"),
        (4, "saknar fältet datetime"),
        (5, "saknar fältet location"),
        (12, "saknar fälten id, datetime"),
        (16, "ogiltig JSON"),
    ]:
        assert f"constructed_bad_input.jsonl: rad {line}: {text}" in err
    stored = set(PoliceEvent.objects.values_list("id", flat=True))
    assert 480687 in stored and len(stored) == 4
    novel = PoliceEvent.objects.exclude(id=480687).filter(lat=58.345364)
    assert novel.exists()  # the float artefact record went in
    run = SourceRun.objects.get(kind="import")
    assert (run.created, run.skipped, run.ok) == (4, 11, True)
    assert "rad 3: saknar fältet id" in run.detail

    code, out, err = _import(BAD_ARRAY)
    assert code == 1
    assert "rad 14: saknar fältet id" in err and "rad 25:" in err and "rad 49:" in err


def test_a_type_never_seen_is_stored_and_listed_as_unmapped(orsa: Any) -> None:
    from samtrygg.observations.queries import police_type_categories
    from samtrygg.sources.models import PoliceEvent

    _import(BAD_LINES)
    types = set(PoliceEvent.objects.values_list("type", flat=True))
    new = {t for t in types if t not in police_type_categories(orsa.partnership)} | {
        t for t, c in police_type_categories(orsa.partnership).items() if c is None and t in types
    }
    assert new, types
    mapping = police_type_categories(orsa.partnership)
    for police_type in new:
        assert mapping.get(police_type, "missing") is None


def test_summaries_are_stored_but_not_counted_unless_asked(orsa: Any, actor_of: Any) -> None:
    from samtrygg.sources import queries
    from tests.sources.conftest import make_event

    make_event(1, kommunkod="2034", lan_kod="20", type="Brand")
    make_event(2, kommunkod="2034", lan_kod="20", type="Sammanfattning natt")
    make_event(3, kommunkod=None, lan_kod="20", type="Sammanfattning kväll och natt")
    make_event(4, kommunkod=None, lan_kod="20", type="Stöld")
    actor = actor_of(orsa.user("analytiker"), orsa.partnership)
    counts = queries.police_event_counts(actor, queries.EventFilter())
    assert (counts.kommun, counts.lan, counts.summaries) == (1, 1, 2)
    counts = queries.police_event_counts(actor, queries.EventFilter(include_summaries=True))
    assert (counts.kommun, counts.lan) == (2, 2)
    assert queries.police_events(actor).count() == 2
    assert queries.police_events(actor, queries.EventFilter(include_summaries=True)).count() == 4


def test_import_refuses_a_missing_file() -> None:
    code, _out, err = _import(Path("/finns/inte.jsonl"))
    assert code == 2
    assert "Filen finns inte" in err


@pytest.mark.fulldata
def test_full_data_through_the_database(name_oracle: NameOracle) -> None:
    """Every real event 2022–2025, the revisions and the 2026 snapshot: the kommun every
    location or title names, never a wrong one, and each event once in its latest version."""
    from samtrygg.sources.models import PoliceEvent

    folder = data_dir() / "police_events"
    if not folder.is_dir():
        pytest.skip(f"the full police events data is not here: {folder} (set SAMTRYGG_DATA_DIR)")
    files = [folder / f"events_{year}.jsonl" for year in range(2022, 2026)]
    files += [folder / "event_revisions.jsonl", *sorted(folder.glob("api_snapshot_*.json"))]
    code, _out, err = _import(*files)
    assert code == 0, err[-2000:]
    assert PoliceEvent.objects.count() == 70_289 + 500
    latest = _latest_versions(*files)
    by_precision: Counter[str] = Counter()
    rows = PoliceEvent.objects.values_list(
        "id", "raw", "municipality_id", "county_id", "precision"
    ).iterator(chunk_size=5000)
    for event_id, raw, kommunkod, lan_kod, precision in rows:
        assert (kommunkod, lan_kod, precision) == name_oracle.expected(raw), raw
        assert raw == latest[event_id]
        by_precision[precision] += 1
    assert by_precision["kommun"] == 52_115 + 1 + 351
    assert by_precision["lan"] == 18_173 + 149
