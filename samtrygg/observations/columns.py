"""The reports as integer columns, for the lägesbild: built once per partnership and year,
read many times.

Reading a year of reports row by row is the cost of a lägesbild: 100 000 reports take the
database about 130 ms to gather, even as integer arrays (``core.columnar``). So each
partnership's non-merged reports of a calendar year (UTC) are also kept as seven integer
columns in one value (``ReportColumns.columns``), which the database sends as it is.

Kept columns are never wrong, whatever writes the reports: the database's triggers raise the
year's ``version`` on every write of a report (migration ``observations.0003``), and columns
count only while their ``built_version`` equals it. :func:`read` takes a year from its kept
columns when they are current and reads that year's reports otherwise, so a year that no one
has built yet, or that a write has just outdated, is read as before. :func:`build_outdated`
builds them again: after a write's commit (``ObservationsConfig.ready``) and with
``samtrygg buildreportcolumns``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import BigIntegerField, BinaryField, Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, CombinedExpression
from django.db.models.functions import Cast, Coalesce, ExtractYear, Greatest

from samtrygg.core.columnar import binary_rows, int_columns
from samtrygg.core.dbfunctions import EpochSeconds
from samtrygg.observations.models import Observation, ReportColumns, Source

logger = logging.getLogger(__name__)

# Source codes (−1 for none, else a position in the source keys) packed beside the band need
# this many values: −1 and up to six sources.
_SOURCE_SLOTS = 8
# The columns as they are kept, each an int64 (little-endian), one after the other.
_KEPT = ("times", "cells", "category_ids", "area_ids", "bands", "sources", "organisation_ids")


@dataclass
class Columns:
    """Reports as columns: epoch seconds, h3 cells, category ids, area ids (0: none), band
    seconds (0: an exact time), source codes (positions in ``source_keys``, −1: another) and
    organisation ids; ``partnership_ids`` says whose each report is."""

    times: np.ndarray
    cells: np.ndarray
    category_ids: np.ndarray
    area_ids: np.ndarray
    bands: np.ndarray
    sources: np.ndarray
    organisation_ids: np.ndarray
    partnership_ids: np.ndarray

    @classmethod
    def empty(cls) -> Columns:
        return cls(*(np.zeros(0, dtype=np.int64) for _ in range(8)))

    def __len__(self) -> int:
        return int(self.times.size)

    def where(self, keep: np.ndarray | slice) -> Columns:
        return Columns(**{name: getattr(self, name)[keep] for name in self.__dataclass_fields__})

    def in_time_order(self) -> Columns:
        return self.where(np.argsort(self.times, kind="stable"))

    def between(self, first_second: int, end_second: int) -> Columns:
        """The reports of [first_second, end_second), of columns in time order: a slice,
        which copies nothing."""
        first, end = np.searchsorted(self.times, [first_second, end_second])
        return self if first == 0 and end == len(self) else self.where(slice(first, end))

    @classmethod
    def joined(cls, parts: Sequence[Columns]) -> Columns:
        if not parts:
            return cls.empty()
        if len(parts) == 1:
            return parts[0]
        return cls(
            **{
                name: np.concatenate([getattr(part, name) for part in parts])
                for name in cls.__dataclass_fields__
            }
        )


def _year_of(seconds: int) -> int:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).year


def _year_start(year: int) -> dt.datetime:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC)


def _from_reports(qs: QuerySet[Observation], source_keys: Sequence[str]) -> Columns:
    """The columns of the non-merged reports of ``qs``, read from the reports.

    The database computes every column as an integer, and two pairs travel packed in one
    integer each – the category and area ids, and the band with the source code – since the
    database's time grows with the number of values it sends.
    """
    if len(source_keys) >= _SOURCE_SLOTS:
        raise ValueError("too many sources to pack beside the band")
    source_case = Case(
        *(When(source=key, then=Value(i)) for i, key in enumerate(source_keys)),
        default=Value(-1),
        output_field=BigIntegerField(),
    )
    band = Case(
        When(time_exact=True, then=Value(0)),
        default=EpochSeconds("occurred_end") - EpochSeconds("occurred_start"),
        output_field=BigIntegerField(),
    )
    rows = (
        qs.filter(merged_into__isnull=True)
        .order_by()
        .values_list(
            EpochSeconds("occurred_at"),
            "h3_cell",
            # category id in the high 32 bits, area id (or 0) in the low: both positive int4
            CombinedExpression(
                Cast("category_id", BigIntegerField()).bitleftshift(32),
                Combinable.BITOR,
                Cast(Coalesce("area_id", Value(0)), BigIntegerField()),
            ),
            # the band's seconds (never below 0) times 8, plus the source code + 1 (0 to 7)
            Greatest(band, Value(0)) * Value(_SOURCE_SLOTS) + source_case + Value(1),
            "organisation_id",
            "partnership_id",
        )
    )
    table = int_columns(rows, 6)
    ids, band_source = table[:, 2], table[:, 3]
    return Columns(
        times=np.ascontiguousarray(table[:, 0]),
        cells=np.ascontiguousarray(table[:, 1]),
        category_ids=ids >> 32,
        area_ids=ids & 0xFFFFFFFF,
        bands=band_source // _SOURCE_SLOTS,
        sources=band_source % _SOURCE_SLOTS - 1,
        organisation_ids=np.ascontiguousarray(table[:, 4]),
        partnership_ids=np.ascontiguousarray(table[:, 5]),
    )


# How a kept column is written: as it is (eight bytes a value), as offsets from its least
# value (four), or as codes into its distinct values (one, two or four). A year of 100 000
# reports then takes about 13 bytes a report instead of 56: the database reads, and sends,
# a quarter as much.
_RAW, _OFFSET, _DICTIONARY = 0, 1, 2
_HEADER = np.dtype("<i8")
# The form of the kept columns (in time order, each column in the smallest of the three
# forms), their first value. Columns of another form are not read (their
# years are read from the reports); a change of form comes with a migration that outdates the
# kept columns (``built_version = 0``), so that they are built again.
FORM = 1


def _code_type(n: int) -> np.dtype:
    return np.dtype("<u1" if n <= 1 << 8 else "<u2" if n <= 1 << 16 else "<u4")


def _encode_column(values: np.ndarray) -> list[np.ndarray]:
    """The column in the smallest of the three forms."""
    distinct, codes = np.unique(values, return_inverse=True)
    code_type = _code_type(distinct.size)
    sizes = {
        _DICTIONARY: distinct.size * 8 + values.size * code_type.itemsize,
        _RAW: values.size * 8,
    }
    base = int(distinct[0]) if distinct.size else 0
    if distinct.size and int(distinct[-1]) - base < 1 << 32:
        sizes[_OFFSET] = values.size * 4
    form = min(sizes, key=lambda kind: sizes[kind])
    if form == _DICTIONARY:
        header = np.asarray([_DICTIONARY, distinct.size, code_type.itemsize], _HEADER)
        return [header, distinct.astype(_HEADER), codes.astype(code_type)]
    if form == _OFFSET:
        return [np.asarray([_OFFSET, base, 4], _HEADER), (values - base).astype("<u4")]
    return [np.asarray([_RAW, 0, 8], _HEADER), values.astype(_HEADER)]


def _decode_column(data: bytes, at: int, n: int) -> tuple[np.ndarray, int]:
    """The column written at byte ``at`` of ``data`` (``n`` values) and where the next one
    starts."""
    kind, parameter, itemsize = (int(v) for v in np.frombuffer(data, _HEADER, 3, at))
    at += 3 * _HEADER.itemsize
    if kind == _DICTIONARY:
        distinct = np.frombuffer(data, _HEADER, parameter, at).astype(np.int64)
        at += parameter * _HEADER.itemsize
        codes = np.frombuffer(data, _code_type(1 << (8 * itemsize)), n, at)
        return distinct[codes], at + n * itemsize
    if kind == _OFFSET:
        return np.frombuffer(data, "<u4", n, at).astype(np.int64) + parameter, at + n * 4
    return np.frombuffer(data, _HEADER, n, at).astype(np.int64), at + n * 8


def _encode(columns: Columns) -> bytes:
    parts = [np.asarray([FORM, len(columns)], _HEADER)]
    for name in _KEPT:
        parts += _encode_column(np.asarray(getattr(columns, name), dtype=np.int64))
    return b"".join(part.tobytes() for part in parts)


def _form(data: bytes) -> int | None:
    return int(np.frombuffer(data, _HEADER, 1)[0]) if len(data) >= 2 * _HEADER.itemsize else None


def _decode(
    data: bytes, partnership_id: int, kept_keys: str, source_keys: Sequence[str]
) -> Columns:
    n = int(np.frombuffer(data, _HEADER, 1, _HEADER.itemsize)[0])
    at = 2 * _HEADER.itemsize
    values = {}
    for name in _KEPT:
        values[name], at = _decode_column(data, at, n) if n else (np.zeros(0, np.int64), at)
    # The codes were positions in the source keys of their day; now they are in today's.
    position = {key: i for i, key in enumerate(source_keys)}
    recode = np.asarray(
        [position.get(key, -1) for key in kept_keys.split(",") if key] + [-1], dtype=np.int64
    )
    values["sources"] = recode[values["sources"]]  # −1 (another source) takes the last: −1
    values["partnership_ids"] = np.full(n, partnership_id, dtype=np.int64)
    return Columns(**values)


def read(
    partnership_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
    source_keys: Sequence[str],
) -> Columns:
    """The non-merged reports of the partnerships that happened in [start, end): each year
    from its kept columns where they are current, from its reports where not."""
    ids = sorted(set(partnership_ids))
    first_second = int(start.timestamp())
    end_second = int(end.timestamp())
    if not ids or end_second <= first_second:
        return Columns.empty()
    years = range(_year_of(first_second), _year_of(end_second - 1) + 1)
    # One query for every year's version: the columns of each current year, and which years
    # to read from the reports: those outdated, and every year of a partnership with no
    # version in the window. A year with no version has no reports (the triggers add it with
    # the first) when its partnership has versions beside it; a partnership with none at all
    # either has no reports then, or lost its versions wholesale (a restore without this
    # table, a table emptied by hand), and is read from its reports, which costs little.
    years_kept = binary_rows(
        ReportColumns.objects.filter(partnership_id__in=ids, year__in=years).values_list(
            "partnership_id",
            "year",
            "source_keys",
            Case(
                When(built_version=F("version"), then="columns"),
                default=None,
                output_field=BinaryField(),
            ),
        )
    )
    parts = []
    by_year: dict[int, set[int]] = {year: set() for year in years}
    versioned = set()
    for partnership_id, year, kept_keys, data in years_kept:
        versioned.add(partnership_id)
        if data is not None and _form(data) == FORM:
            kept_year = _decode(bytes(data), partnership_id, kept_keys, source_keys)
            parts.append(kept_year.between(first_second, end_second))
        else:
            by_year[year].add(partnership_id)
    unversioned = set(ids) - versioned
    for year in years:
        by_year[year] |= unversioned
    by_year = {year: needed for year, needed in by_year.items() if needed}
    if by_year:
        # The rest from the reports, in one query with a term for each year.
        reports = Q()
        for year, needed in by_year.items():
            reports |= Q(
                partnership_id__in=sorted(needed),
                occurred_at__gte=max(_year_start(year), start),
                occurred_at__lt=min(_year_start(year + 1), end),
            )
        parts.append(_from_reports(Observation.objects.filter(reports), source_keys))
    return Columns.joined(parts)


def build(partnership_id: int, year: int) -> bool:
    """Build the kept columns of one partnership and year from its reports; False when the
    year has no version (no report of it was ever written), is current already, or is being
    written."""
    with transaction.atomic():
        # The version first, then the reports: a write that commits between the two raises
        # the version past the one these columns are labelled with, so they never count; the
        # other order could label columns that miss the write as current. The version is
        # locked until these columns are written (on PostgreSQL; SQLite has one writer at a
        # time anyway); a year that a write still holds is left to that write's own commit,
        # so that building never waits for an import.
        version = (
            ReportColumns.objects.select_for_update(skip_locked=True)
            .filter(partnership_id=partnership_id, year=year)
            .exclude(built_version=F("version"))
            .values_list("version", flat=True)
            .first()
        )
        if version is None:
            return False
        source_keys = list(Source.values)
        columns = _from_reports(
            Observation.objects.filter(
                partnership_id=partnership_id,
                occurred_at__gte=_year_start(year),
                occurred_at__lt=_year_start(year + 1),
            ),
            source_keys,
        ).in_time_order()
        ReportColumns.objects.filter(partnership_id=partnership_id, year=year).update(
            built_version=version, source_keys=",".join(source_keys), columns=_encode(columns)
        )
    return True


def add_missing_versions() -> int:
    """A version for every year that has reports but none (the triggers add it with a year's
    first report; this mends a table emptied by hand); how many were added."""
    have = set(ReportColumns.objects.values_list("partnership_id", "year"))
    years = (
        Observation.objects.order_by()
        .annotate(year=ExtractYear("occurred_at", tzinfo=dt.UTC))
        .values_list("partnership_id", "year")
        .distinct()
    )
    missing = [pair for pair in years if pair not in have]
    ReportColumns.objects.bulk_create(
        ReportColumns(partnership_id=partnership_id, year=year) for partnership_id, year in missing
    )
    return len(missing)


def outdated(partnership_id: int | None = None) -> list[tuple[int, int]]:
    """(partnership id, year) of every year whose kept columns are not current."""
    stale = ReportColumns.objects.exclude(built_version=F("version"))
    if partnership_id is not None:
        stale = stale.filter(partnership_id=partnership_id)
    return list(stale.order_by("partnership_id", "year").values_list("partnership_id", "year"))


def build_outdated(partnership_id: int | None = None) -> int:
    """Build every outdated year (of one partnership, or of all); how many were built."""
    return sum(build(partnership, year) for partnership, year in outdated(partnership_id))


def build_after_commit(partnership_id: int) -> None:
    """Build the partnership's outdated years now that a write has committed. A failure is
    logged and costs only speed: the lägesbild reads those years from the reports."""
    try:
        build_outdated(partnership_id)
    except Exception:
        logger.exception("the report columns of partnership %s were not built", partnership_id)
