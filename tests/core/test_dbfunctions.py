"""EpochSeconds: the database's epoch seconds equal Python's for the same stored datetime."""

from __future__ import annotations

import datetime as dt

import pytest

from samtrygg.core.dbfunctions import EpochSeconds
from samtrygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MOMENTS = [
    dt.datetime(2025, 1, 1, 0, 0, 0, tzinfo=dt.UTC),
    # a fraction above one half must not round up to the next second
    dt.datetime(2025, 3, 30, 0, 59, 59, 700_000, tzinfo=dt.UTC),
    # nor one that rounds to a whole second at millisecond precision
    dt.datetime(2025, 12, 31, 23, 59, 59, 999_600, tzinfo=dt.UTC),
    # the night summer time starts in Stockholm, given in Stockholm time
    dt.datetime(2025, 3, 30, 3, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.datetime(2025, 10, 26, 2, 30, 15, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=dt.UTC),  # past the 32-bit limit
    # a microsecond either side of a whole second (PostgreSQL reads the seconds as a double)
    dt.datetime(2025, 6, 1, 12, 0, 0, 999_999, tzinfo=dt.UTC),
    dt.datetime(2025, 6, 1, 12, 0, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
    dt.datetime(2099, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
]


def test_epoch_seconds_equal_python_timestamp() -> None:
    ids = [
        AuditEntry.objects.create(at=moment, action="create", model="test", object_id=str(i)).pk
        for i, moment in enumerate(MOMENTS)
    ]
    got = dict(AuditEntry.objects.filter(pk__in=ids).values_list("object_id", EpochSeconds("at")))
    assert [got[str(i)] for i in range(len(MOMENTS))] == [int(m.timestamp()) for m in MOMENTS]
