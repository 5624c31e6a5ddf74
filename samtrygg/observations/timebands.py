"""Time bands: parsing a partnership's configuration and placing a date and time in it.

A band is a key, a label and a local start and end time. A band whose end is not after its
start runs past midnight (natt 22–06): on a date D it covers D 22:00 to D+1 06:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class TimeBand:
    key: str
    label: str
    start: dt.time
    end: dt.time

    @property
    def wraps(self) -> bool:
        return self.end <= self.start

    def contains(self, moment: dt.time) -> bool:
        if self.wraps:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The band on ``day`` as aware UTC instants (start, end)."""
        start = dt.datetime.combine(day, self.start, tzinfo=STOCKHOLM)
        end_day = day + dt.timedelta(days=1) if self.wraps else day
        end = dt.datetime.combine(end_day, self.end, tzinfo=STOCKHOLM)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    @property
    def span_text(self) -> str:
        return f"{self.start:%H}–{self.end:%H}"

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "label": self.label,
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }


def parse_clock(value: Any) -> dt.time | None:
    """A clock time from ``dt.time``, ``"14:30"``, ``"14.30"``, ``"1430"`` or ``"9"``.

    Returns None when the value cannot be read as a time of day.
    """
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = str(value or "").strip().replace(".", ":")
    if not text or not text.isascii():  # "²" and other digits int() cannot read
        return None
    if ":" not in text and text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    if ":" not in text and text.isdigit() and len(text) <= 2:
        text = f"{text}:00"
    parts = text.split(":")
    if len(parts) == 3 and parts[2].isdigit():  # "14:30:00" from a spreadsheet
        parts = parts[:2]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def bands_from_config(config: Iterable[Mapping[str, Any]]) -> list[TimeBand]:
    """Bands from stored configuration (already validated when it was saved)."""
    out = []
    for item in config:
        start = parse_clock(item.get("start"))
        end = parse_clock(item.get("end"))
        if start is None or end is None:
            continue
        out.append(TimeBand(str(item["key"]), str(item["label"]), start, end))
    return out


def band_of(bands: Iterable[TimeBand], moment: dt.time) -> TimeBand | None:
    """The first band that holds a time of day, if any."""
    return next((band for band in bands if band.contains(moment)), None)
