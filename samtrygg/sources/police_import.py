"""Storing police events: upsert by id, earlier versions kept, reruns change nothing.

Records are stored in batches, each batch in its own transaction, so an import that is
killed halfway keeps what it committed, and running it again completes it: every event ends
up exactly once, in its latest version.

Which version is the latest: every version carries a "seen" time, the archive's first-seen
time for a revisions file and the time of the import otherwise (the feed and the yearly
files hold the latest version the police published). A version seen later replaces the
current one, which is kept as an earlier version; a version seen earlier than the current
one is kept as an earlier version only. Within one import a later line wins over an earlier
one seen at the same time; between imports, an equal time keeps what is stored (so a rerun
changes nothing). Every record read is counted once: new, updated, unchanged (also a version
already kept) or an earlier version newly kept.

The rows are written with ``executemany`` and plain SQL (``INSERT … ON CONFLICT DO NOTHING``
and ``UPDATE … WHERE id = %s``, valid on SQLite and PostgreSQL) rather than through model
instances: building 70 000 model objects and letting the ORM prepare every value took four
fifths of the import time. The API object is serialised once, with sorted keys, both for its
hash and for the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.generations import data_changed
from samtrygg.sources.models import PoliceEvent, PoliceEventVersion
from samtrygg.sources.police_feed import FeedEvent, FeedProblem

BATCH_SIZE = 2000
T = TypeVar("T")


@dataclass
class PoliceImportResult(dataio.ImportOutcome):
    """An import's counts, with the earlier versions stored and the event types seen."""

    older_versions: int = 0
    types: set[str] = field(default_factory=set)

    def summary(self) -> str:
        text = super().summary()
        if self.older_versions:
            text += " " + _("%(n)d tidigare versioner sparade.") % {"n": self.older_versions}
        return text

    def add(self, other: dataio.ImportOutcome) -> None:
        super().add(other)
        if isinstance(other, PoliceImportResult):
            self.older_versions += other.older_versions
            self.types |= other.types


def _canonical(raw: dict[str, Any]) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(raw: dict[str, Any]) -> str:
    """A stable hash of an API object (key order does not matter)."""
    return hashlib.sha256(_canonical(raw).encode()).hexdigest()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# An event as read: (event, its canonical JSON text, its hash, when this version was seen).
Entry = tuple[FeedEvent, str, str, dt.datetime]


def import_events(
    items: Iterable[FeedEvent | FeedProblem],
    *,
    seen_at: dt.datetime | None = None,
    label: str = "",
) -> PoliceImportResult:
    """Store parsed feed items (see the module docstring for the rules)."""
    now = seen_at or timezone.now()
    result = PoliceImportResult()
    prefix = f"{label}: " if label else ""
    writer = _Writer(now)
    with _sqlite_tuned():
        _import_batches(items, now, result, prefix, writer)
    return result


# SQLite settings while importing: a page cache that holds the indexes being filled, and fewer
# checkpoints of the write-ahead log (each one copies the log into the database file).
_SQLITE_PRAGMAS = {"cache_size": -65536, "wal_autocheckpoint": 10000}


@contextlib.contextmanager
def _sqlite_tuned() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in _SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


def _import_batches(
    items: Iterable[FeedEvent | FeedProblem],
    now: dt.datetime,
    result: PoliceImportResult,
    prefix: str,
    writer: _Writer,
) -> None:
    sha256 = hashlib.sha256
    for batch in _batches(items, BATCH_SIZE):
        events: dict[int, Entry] = {}
        older: list[Entry] = []
        for item in batch:
            if isinstance(item, FeedProblem):
                result.skipped += 1
                result.problems.append(prefix + item.message)
                continue
            result.types.add(item.type)
            # A revision is ordered by when the archive first saw it; anything else is the
            # latest version as of this import.
            version_seen = item.first_seen_utc if item.first_seen_utc is not None else now
            text = _canonical(item.raw)
            entry = (item, text, sha256(text.encode()).hexdigest(), version_seen)
            previous = events.get(item.id)
            if previous is None or version_seen >= previous[3]:
                events[item.id] = entry
                dropped = previous
            else:
                dropped = entry
            if dropped is not None:
                if dropped[2] != events[item.id][2]:
                    older.append(dropped)
                else:  # the same content twice in one batch
                    result.unchanged += 1
        if events or older:
            stored_before = (result.created, result.updated, result.older_versions)
            with transaction.atomic():
                writer.store(events, older, result)
                # Stored in bulk, without signals: every kept lägesbild counts police events.
                # A fetch every few minutes mostly finds what it has (nothing to outdate).
                if (result.created, result.updated, result.older_versions) != stored_before:
                    data_changed()


# --------------------------------------------------------------------------- plain SQL


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [connection.ops.quote_name(by_attname[name]) for name in names]


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _placeholder(model: type[models.Model], name: str) -> str:
    """``%s``, cast to jsonb on PostgreSQL for a JSON column (the value is JSON text)."""
    model_field = next(f for f in model._meta.concrete_fields if f.attname == name)
    if isinstance(model_field, models.JSONField) and connection.vendor == "postgresql":
        return "%s::jsonb"
    return "%s"


def _insert_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    values = ", ".join(_placeholder(model, name) for name in names)
    return (
        f"INSERT INTO {_table(model)} ({', '.join(_columns(model, names))}) "  # noqa: S608
        f"VALUES ({values}) ON CONFLICT DO NOTHING"
    )


def _update_sql(model: type[models.Model], names: tuple[str, ...], key: str) -> str:
    assignments = ", ".join(
        f"{column} = {_placeholder(model, name)}"
        for column, name in zip(_columns(model, names), names, strict=True)
    )
    (key_column,) = _columns(model, [key])
    return f"UPDATE {_table(model)} SET {assignments} WHERE {key_column} = %s"  # noqa: S608


def _select(
    model: type[models.Model], names: tuple[str, ...], key: str, values: list[Any]
) -> list[tuple[Any, ...]]:
    """``SELECT names FROM model WHERE key IN values`` in plain SQL (no lookup objects)."""
    if not values:
        return []
    (key_column,) = _columns(model, [key])
    sql = (
        f"SELECT {', '.join(_columns(model, names))} FROM {_table(model)} "  # noqa: S608
        f"WHERE {key_column} IN ({', '.join(['%s'] * len(values))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return list(cursor.fetchall())


def _executemany(sql: str, params: list[tuple[Any, ...]]) -> None:
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _can_copy() -> bool:
    """PostgreSQL through psycopg 3, whose cursors have ``copy()``."""
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return hasattr(connection.connection.cursor(), "copy")


def _copy_insert(model: type[models.Model], names: tuple[str, ...], rows: list[Any]) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then insert what is not there yet.

    One COPY and one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per batch instead of a
    statement per row (the client-side binding Django uses parses each row's statement).
    """
    table = _table(model)
    scratch = connection.ops.quote_name(f"_import_{model._meta.db_table}")
    columns = ", ".join(_columns(model, names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} (LIKE {table} INCLUDING DEFAULTS)"
        )
        cursor.execute(f"DELETE FROM {scratch}")  # noqa: S608
        with cursor.cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )


def _aware(value: Any) -> dt.datetime:
    """A datetime column read in plain SQL: aware on PostgreSQL, UTC text on SQLite."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


def _datetime_adapter() -> Callable[[dt.datetime | None], Any]:
    """A datetime as the driver takes it: UTC text on SQLite (as Django writes it), else as is."""
    if connection.vendor != "sqlite":
        return lambda value: value
    utc = dt.UTC

    def adapt(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        return value.astimezone(utc).replace(tzinfo=None).isoformat(" ")

    return adapt


# Columns of an event row, in the order of the tuples built by ``_Writer._row``.
_EVENT_COLUMNS = (
    "published",
    "occurred",
    "title",
    "summary",
    "url",
    "type",
    "is_summary",
    "location_name",
    "lat",
    "lon",
    "municipality_id",
    "county_id",
    "precision",
    "raw",
    "content_hash",
    "seen_at",
    "updated_at",
)


class _Writer:
    """Stores batches; the SQL is prepared once per import."""

    def __init__(self, now: dt.datetime) -> None:
        self.adapt_datetime = _datetime_adapter()
        self.now = now
        self.now_db = self.adapt_datetime(now)
        self.event_columns = ("id", *_EVENT_COLUMNS, "version_count", "imported_at")
        self.insert_event = _insert_sql(PoliceEvent, self.event_columns)
        self.update_event = _update_sql(PoliceEvent, _EVENT_COLUMNS, "id")
        self.insert_version = _insert_sql(
            PoliceEventVersion, ("event_id", "content_hash", "raw", "seen_at")
        )
        self.update_count = _update_sql(PoliceEvent, ("version_count",), "id")

    def _row(self, entry: Entry) -> tuple[Any, ...]:
        event, text, digest, seen = entry
        adapt = self.adapt_datetime
        return (
            adapt(event.published),
            adapt(event.occurred),
            event.title[:300],
            event.summary,
            event.url[:500],
            event.type[:100],
            event.is_summary,
            event.location_name[:100],
            event.lat,
            event.lon,
            event.kommunkod,
            event.lan_kod,
            event.precision,
            text,
            digest,
            self.now_db if seen is self.now else adapt(seen),
            self.now_db,
        )

    def store(
        self, events: dict[int, Entry], older: list[Entry], result: PoliceImportResult
    ) -> None:
        ids = list(set(events) | {entry[0].id for entry in older})
        # id -> (content_hash, seen_at); the raw object is read only for rows that change.
        existing: dict[int, tuple[str, dt.datetime]] = {
            event_id: (digest, _aware(seen))
            for event_id, digest, seen in _select(
                PoliceEvent, ("id", "content_hash", "seen_at"), "id", ids
            )
        }
        known_versions: set[tuple[int, str]] = set(
            _select(PoliceEventVersion, ("event_id", "content_hash"), "event_id", ids)
        )
        created: list[tuple[Any, ...]] = []
        updated: list[tuple[Any, ...]] = []
        updated_ids: list[int] = []
        superseded: dict[int, tuple[str, dt.datetime]] = {}
        versions: list[tuple[Any, ...]] = []
        touched: set[int] = set()

        def keep_version(event_id: int, digest: str, text: str, seen: dt.datetime) -> bool:
            if (event_id, digest) in known_versions:
                return False
            known_versions.add((event_id, digest))
            versions.append((event_id, digest, text, self.adapt_datetime(seen)))
            touched.add(event_id)
            return True

        for event_id, entry in events.items():
            text, digest, seen = entry[1:]
            row = existing.get(event_id)
            if row is None:
                created.append((event_id, *self._row(entry), 1, self.now_db))
                existing[event_id] = (digest, seen)
                result.created += 1
            elif row[0] == digest:
                result.unchanged += 1
            elif seen > row[1] or seen == row[1] == self.now:
                # The stored version becomes an earlier one (its raw object is read below).
                superseded[event_id] = row
                updated.append((*self._row(entry), event_id))
                updated_ids.append(event_id)
                touched.add(event_id)
                existing[event_id] = (digest, seen)
                result.updated += 1
            elif keep_version(event_id, digest, text, seen):
                result.older_versions += 1
            else:
                result.unchanged += 1
        missing = [i for i, (digest, _s) in superseded.items() if (i, digest) not in known_versions]
        if missing:
            raws = dict(PoliceEvent.objects.filter(id__in=missing).values_list("id", "raw"))
            for event_id in missing:
                digest, seen = superseded[event_id]
                keep_version(event_id, digest, _canonical(raws[event_id]), seen)
        for event, text, digest, seen in older:
            row = existing.get(event.id)
            if row is not None and row[0] != digest and keep_version(event.id, digest, text, seen):
                result.older_versions += 1
            else:
                result.unchanged += 1

        if _can_copy() and len(created) > 50:
            _copy_insert(PoliceEvent, self.event_columns, created)
        else:
            _executemany(self.insert_event, created)
        _executemany(self.update_event, updated)
        _executemany(self.insert_version, versions)
        if touched:
            # version_count: the current version plus every earlier one kept.
            counts = dict.fromkeys(touched, 1)
            for event_id, _digest in _select(
                PoliceEventVersion, ("event_id", "content_hash"), "event_id", list(touched)
            ):
                counts[event_id] += 1
            _executemany(self.update_count, [(n, event_id) for event_id, n in counts.items()])
