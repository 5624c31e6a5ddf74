"""The stored snapshot of a lägesbild, typed: what :func:`samtrygg.situation.snapshot.build`
makes and what the pages, documents and charts read.

Versions: 1 stored the notes, the sentence per delområde and the names of levels, verdicts,
patterns and days as Swedish text; 2 stored the notes as codes with parameters; 3 stores codes
and numbers only (levels, verdicts, patterns and days as integers, the reasons as keys). Every
word is made when the snapshot is shown (:mod:`samtrygg.situation.wording`), and stored
snapshots of versions 1 and 2 are shown as they always were. The keys marked "version 1–2"
below exist only in such snapshots, or in the display copy that ``wording.localize`` makes.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from samtrygg.analysis.binning import Unit

SNAPSHOT_VERSION = 3


class PeriodInfo(TypedDict):
    unit: Unit
    index: int
    label: str  # 2025-W47, 2025-11, 2025-T3, 2025
    label_sv: str  # the period in Swedish words (file names and the XLSX title)
    start: str  # ISO timestamps
    end: str
    label_text: NotRequired[str]  # display copy: the period in the reader's language


class Suggested(TypedDict):
    level: int  # analysis.levels.Level
    level_key: str  # green, yellow, orange, red
    trend: int  # analysis.levels.Trend
    trend_symbol: str  # ↑ → ↓
    level_text: NotRequired[str]  # version 1–2, and the display copy
    level_meaning: NotRequired[str]  # version 1–2, and the display copy


class Rate(TypedDict):
    rate: float | None  # per 100 000 inhabitants and year
    lower: float | None
    upper: float | None


class AreaRow(TypedDict):
    id: int
    name: str
    count: int
    baseline_total: int
    expected: float | None
    ratio: float | None
    q: float | None
    verdict: int  # analysis.change.Verdict
    reason_keys: list[str]  # analysis.levels.AreaLevels.reason_keys
    cells_analysed: bool  # version 2 and later
    min_count: int  # version 2 and later: the threshold of small numbers
    hot_cells: int
    growing_cells: int
    previous_count: int | None
    population: int | None
    rate: Rate | None
    by_category: dict[str, int]
    suggested: Suggested
    verdict_text: NotRequired[str]  # version 1–2, and the display copy
    change_text: NotRequired[str]  # version 1–2 only
    sentence: NotRequired[str]  # version 1–2, and the display copy
    rate_shown: NotRequired[dict[str, Any] | None]  # display copy


class HotSpot(TypedDict):
    cell: str  # h3 id in hex
    cell_id: int
    area: str
    count: int
    z: float | None
    q: float | None
    bin: int  # +1 hot, -1 cold, 0
    significant: bool
    pattern: int  # analysis.emerging.Pattern
    emerging: bool
    pattern_text: NotRequired[str]  # version 1–2, and the display copy


class LevelChange(TypedDict):
    area: str
    count_before: int | None
    count_after: int
    level_before: int | str  # a Level (version 3) or its Swedish name (version 1–2)
    level_after: int | str
    level_changed: bool


class TopHour(TypedDict):
    day: int | str  # 0 = Monday (version 3) or the Swedish day name (version 1–2)
    hour: int
    observed: int
    expected: float | None
    flag: int


class HotTimes(TypedDict):
    window: list[str]  # first and last date
    total: list[int]  # per hour of the week
    band_only: Any
    flag: list[int]
    top: list[TopHour]


class Series(TypedDict):
    periods: list[str]
    labels: list[str]
    by_category: dict[str, list[int]]
    by_source: dict[str, list[int]]
    by_area: dict[str, list[int]]


class Totals(TypedDict):
    all: int
    in_areas: int
    police_events: int


class Note(TypedDict):
    code: str  # analysis.picture.NoteCode
    params: dict[str, Any]


class Snapshot(TypedDict):
    version: int
    generated_at: str
    partnership: str
    municipality: str
    period: PeriodInfo
    filters: dict[str, list[Any]]
    totals: Totals
    areas: list[AreaRow]
    categories: list[str]
    series: Series
    hot_times: HotTimes
    hotspots: list[HotSpot]
    new_hotspots: list[HotSpot]
    changes: list[LevelChange]
    notes: list[Note | str]  # a str: a version 1 note, a Swedish sentence
    # Added by pictures.compute_snapshot and, when adopted, by services._freeze.
    police: NotRequired[dict[str, Any]]
    crime: NotRequired[dict[str, Any]]
    charts: NotRequired[dict[str, dict[str, Any]]]
    map_svg: NotRequired[str]
    levels: NotRequired[list[dict[str, Any]]]
    assessment: NotRequired[str]
