"""int_columns: a query's integer columns as one array, equal to the rows read one by one,
in the query's order; no rows give an empty array, and a NULL is refused. Run on PostgreSQL
(one binary array per column) with DATABASE_URL=postgres://…, and on SQLite."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from samtrygg.core.columnar import int_columns
from samtrygg.core.dbfunctions import EpochSeconds
from samtrygg.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[int]:
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return [
        AuditEntry.objects.create(
            at=start + dt.timedelta(seconds=7919 * i, microseconds=999_999 * (i % 2)),
            action="create",
            model="test",
            object_id=str((i * 37) % n),
        ).pk
        for i in range(n)
    ]


def test_the_columns_are_the_rows_in_order() -> None:
    ids = _entries(50)
    rows = (
        AuditEntry.objects.filter(pk__in=ids)
        .order_by("-object_id", "id")
        .values_list("id", EpochSeconds("at"), F("id").bitleftshift(33), Coalesce("actor", -7))
    )
    expected = [
        (pk, int(at.timestamp()), pk << 33, -7)
        for pk, at in AuditEntry.objects.filter(pk__in=ids)
        .order_by("-object_id", "id")
        .values_list("id", "at")
    ]
    table = int_columns(rows, 4)
    assert table.dtype == np.int64 and table.shape == (50, 4)
    assert [tuple(int(v) for v in row) for row in table] == expected


def test_no_rows_give_an_empty_array() -> None:
    _entries(3)
    none = AuditEntry.objects.filter(model="other").values_list("id", EpochSeconds("at"))
    assert int_columns(none, 2).shape == (0, 2)
    impossible = AuditEntry.objects.filter(pk__in=[]).values_list("id", Value(1))
    assert int_columns(impossible, 2).shape == (0, 2)


def test_a_null_is_refused() -> None:
    _entries(3)
    rows = AuditEntry.objects.values_list("id", "actor_id")
    with pytest.raises((ValueError, TypeError)):
        int_columns(rows, 2)
