"""Shared helpers of the sources tests: file paths, importing through the command, events."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
DATA = HERE / "data"
FIXTURES = HERE / "fixtures"
EVENTS_SAMPLE = DATA / "police_events_sample.jsonl"
REVISIONS_SAMPLE = DATA / "police_event_revisions_sample.jsonl"
SNAPSHOT_SAMPLE = DATA / "api_snapshot_sample.json"
SAMPLES = (EVENTS_SAMPLE, REVISIONS_SAMPLE, SNAPSHOT_SAMPLE)
BAD_LINES = DATA / "constructed_bad_input.jsonl"
BAD_ARRAY = DATA / "constructed_bad_input_array.json"
REFERENCE = HERE.parents[1] / "samtrygg" / "core" / "reference"


def data_dir() -> Path:
    """The full shared data set (SAMTRYGG_DATA_DIR, default ../shared/data)."""
    configured = os.environ.get("SAMTRYGG_DATA_DIR")
    return Path(configured) if configured else HERE.parents[2] / "shared" / "data"


def run_command(*args: str) -> tuple[int, str, str]:
    """``samtrygg <args>`` through call_command: (exit code, stdout, stderr)."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


class NameOracle:
    """The resolution rule for stored events, written plainly from the reference lists."""

    def __init__(self) -> None:
        with (REFERENCE / "municipality_county.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.kommun = {
            row["municipality_name_short"].casefold(): (
                row["municipality_code"],
                row["county_code"],
            )
            for row in rows
        }
        with (REFERENCE / "counties.csv").open(encoding="utf-8") as handle:
            self.lan = {
                row["county_name"].casefold(): row["county_code"] for row in csv.DictReader(handle)
            }

    def expected(self, raw: dict[str, Any]) -> tuple[str | None, str, str]:
        """(kommunkod, lan_kod, precision) an event with this API object must get."""
        location = raw["location"]["name"]
        by_location = self.kommun.get(location.casefold())
        if by_location is not None:
            return by_location[0], by_location[1], "kommun"
        lan_kod = self.lan[location.casefold()]
        suffix = raw["name"].rsplit(",", 1)[-1].strip()
        by_suffix = self.kommun.get(suffix.casefold())
        if by_suffix is not None and by_suffix[1] == lan_kod:
            return by_suffix[0], lan_kod, "kommun"
        return None, lan_kod, "lan"


@pytest.fixture(scope="session")
def name_oracle() -> NameOracle:
    return NameOracle()


def make_event(
    event_id: int,
    *,
    kommunkod: str | None,
    lan_kod: str,
    type: str = "Brand",
    published: dt.datetime | None = None,
    title: str = "",
    marker: str = "",
) -> Any:
    """A stored police event (for pages and API tests), created directly."""
    from samtrygg.sources.models import PoliceEvent

    published = published or dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)
    is_summary = type.startswith("Sammanfattning")
    event, _created = PoliceEvent.objects.update_or_create(
        id=event_id,
        defaults={
            "published": published,
            "occurred": published - dt.timedelta(minutes=30),
            "title": title or f"10 mars 12.30, {type}, {marker or kommunkod or lan_kod}",
            "summary": f"Sammanfattning av händelse {event_id} {marker}".strip(),
            "url": f"https://polisen.se/aktuellt/handelser/2025/mars/10/{event_id}/",
            "type": type,
            "is_summary": is_summary,
            "location_name": marker or "Plats",
            "lat": 60.0,
            "lon": 15.0,
            "municipality_id": kommunkod,
            "county_id": lan_kod,
            "precision": "kommun" if kommunkod else "lan",
            "raw": {"id": event_id, "type": type},
            "content_hash": f"h{event_id}",
            "seen_at": published,
        },
    )
    return event
