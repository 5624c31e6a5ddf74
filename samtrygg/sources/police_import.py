"""Storing police events: upsert by id, earlier versions kept, reruns change nothing.

Records are stored in batches, each batch in its own transaction, so an import that is
killed halfway keeps what it committed, and running it again completes it: every event ends
up exactly once, in its latest version.

Which version is the latest: every version carries a "seen" time, the archive's last-seen
time for a revisions file and the time of the import otherwise (the feed and the yearly
files hold the latest version the police published). A version seen later replaces the
current one, which is kept as an earlier version; a version seen earlier than the current
one is kept as an earlier version only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from samtrygg.sources.models import PoliceEvent, PoliceEventVersion
from samtrygg.sources.police_feed import FeedEvent, FeedProblem

BATCH_SIZE = 2000
T = TypeVar("T")


@dataclass
class PoliceImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    older_versions: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)


def content_hash(raw: dict[str, Any]) -> str:
    """A stable hash of an API object (key order does not matter)."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _fields(event: FeedEvent) -> dict[str, Any]:
    return {
        "published": event.published.astimezone(dt.UTC),
        "occurred": event.occurred.astimezone(dt.UTC) if event.occurred else None,
        "title": event.title[:300],
        "summary": event.summary,
        "url": event.url[:500],
        "type": event.type[:100],
        "is_summary": event.is_summary,
        "location_name": event.location_name[:100],
        "lat": event.lat,
        "lon": event.lon,
        "municipality_id": event.kommunkod,
        "county_id": event.lan_kod,
        "precision": event.precision,
        "raw": event.raw,
    }


def import_events(
    items: Iterable[FeedEvent | FeedProblem], *, seen_at: dt.datetime | None = None,
    label: str = "",
) -> PoliceImportResult:
    """Store parsed feed items (see the module docstring for the rules)."""
    now = seen_at or timezone.now()
    result = PoliceImportResult()
    prefix = f"{label}: " if label else ""
    for batch in _batches(items, BATCH_SIZE):
        events: dict[int, tuple[FeedEvent, str, dt.datetime]] = {}
        older: list[tuple[FeedEvent, str, dt.datetime]] = []
        for item in batch:
            if isinstance(item, FeedProblem):
                result.skipped += 1
                result.problems.append(prefix + item.message)
                continue
            result.types.add(item.type)
            # A revision is ordered by when the archive first saw it; anything else is the
            # latest version as of this import.
            version_seen = item.first_seen_utc if item.first_seen_utc is not None else now
            entry = (item, content_hash(item.raw), version_seen)
            previous = events.get(item.id)
            if previous is None or version_seen >= previous[2]:
                if previous is not None and previous[1] != entry[1]:
                    older.append(previous)
                events[item.id] = entry
            elif previous[1] != entry[1]:
                older.append(entry)
        with transaction.atomic():
            _store_batch(events, older, result)
    return result


def _store_batch(
    events: dict[int, tuple[FeedEvent, str, dt.datetime]],
    older: list[tuple[FeedEvent, str, dt.datetime]],
    result: PoliceImportResult,
) -> None:
    ids = list(events) + [entry[0].id for entry in older]
    existing = {
        row["id"]: row
        for row in PoliceEvent.objects.filter(id__in=ids).values(
            "id", "content_hash", "seen_at", "raw", "version_count")
    }
    known_versions = set(
        PoliceEventVersion.objects.filter(event_id__in=ids).values_list("event_id", "content_hash")
    )
    to_create: list[PoliceEvent] = []
    to_update: list[PoliceEvent] = []
    versions: list[PoliceEventVersion] = []

    def keep_version(event_id: int, digest: str, raw: dict[str, Any], seen: dt.datetime) -> bool:
        if (event_id, digest) in known_versions:
            return False
        known_versions.add((event_id, digest))
        versions.append(PoliceEventVersion(event_id=event_id, content_hash=digest, raw=raw,
                                           seen_at=seen))
        return True

    for event_id, (event, digest, seen) in events.items():
        row = existing.get(event_id)
        if row is None:
            to_create.append(PoliceEvent(id=event_id, content_hash=digest, seen_at=seen,
                                         **_fields(event)))
            result.created += 1
            existing[event_id] = {"id": event_id, "content_hash": digest, "seen_at": seen,
                                  "raw": event.raw, "version_count": 1}
            continue
        if row["content_hash"] == digest:
            result.unchanged += 1
            continue
        if seen > row["seen_at"]:
            keep_version(event_id, row["content_hash"], row["raw"], row["seen_at"])
            known = PoliceEvent(id=event_id, content_hash=digest, seen_at=seen,
                                version_count=row["version_count"] + 1, **_fields(event))
            to_update.append(known)
            result.updated += 1
        elif keep_version(event_id, digest, event.raw, seen):
            result.older_versions += 1
        else:
            result.unchanged += 1
    for event, digest, seen in older:
        row = existing.get(event.id)
        if row is not None and row["content_hash"] != digest and keep_version(
                event.id, digest, event.raw, seen):
            result.older_versions += 1
    if to_create:
        PoliceEvent.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        now = timezone.now()
        for obj in to_update:
            obj.updated_at = now
        PoliceEvent.objects.bulk_update(
            to_update,
            ["published", "occurred", "title", "summary", "url", "type", "is_summary",
             "location_name", "lat", "lon", "municipality", "county", "precision", "raw",
             "content_hash", "seen_at", "version_count", "updated_at"],
            batch_size=500,
        )
    if versions:
        PoliceEventVersion.objects.bulk_create(versions, batch_size=500)
    # version_count: the current version plus every earlier one kept.
    for event_id in {v.event_id for v in versions}:
        count = 1 + PoliceEventVersion.objects.filter(event_id=event_id).count()
        PoliceEvent.objects.filter(id=event_id).update(version_count=count)
