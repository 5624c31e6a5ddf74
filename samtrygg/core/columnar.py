"""Integer columns of a query as numpy arrays, without one Python object per value.

On PostgreSQL the database gathers each column into one array (``array_agg``) and sends the
arrays in their binary form, so the whole answer is one row of a few large values that numpy
reads as they are. A year of 100 000 records, or four years of a million, then costs the
database's time to produce them, not Python's time to build a tuple and six integers per row
(nor a message per row, as COPY sends). Other databases fetch the rows and convert them in
one pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# PostgreSQL's binary form of a one-dimensional array: the number of dimensions, a flag for
# NULL elements and the element type, then the length and lower bound of the dimension; then
# each element as its byte length and its value.
_ARRAY_HEADER = 20
_ELEMENT = np.dtype([("length", ">i4"), ("value", ">i8")])


def int_columns(rows: QuerySet[Any], width: int) -> np.ndarray:
    """The ``values_list`` query ``rows`` (``width`` integer columns, none of them NULL) as
    an int64 array of shape (n, width), in the order the database returns them."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a filter no row can match, such as an empty list of sources
        return np.zeros((0, width), dtype=np.int64)
    connection = connections[rows.db]
    if connection.vendor == "postgresql" and width:
        names = ", ".join(f"c{i}" for i in range(width))
        # One aggregate node feeds every array the same rows in the same order: the order of
        # the inner query (a subquery with ORDER BY is sorted before it is aggregated).
        arrays = ", ".join(f"array_send(array_agg(CAST(c{i} AS bigint)))" for i in range(width))
        found = _binary(connection, f"SELECT {arrays} FROM ({sql}) AS q({names})", params)  # noqa: S608
        row = found[0] if found else [None] * width
        columns = [_int8_array(data) for data in row]
        out = np.empty((columns[0].size, width), dtype=np.int64)
        for i, column in enumerate(columns):
            out[:, i] = column
        return out
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return np.array(fetched, dtype=np.int64).reshape(-1, width)


def binary_rows(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of the ``values_list`` query ``rows``; on PostgreSQL sent in the binary form,
    so that a ``bytea`` value arrives as its bytes rather than as hexadecimal text twice its
    size that the client must decode."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return []
    connection = connections[rows.db]
    if connection.vendor == "postgresql":
        return [tuple(row) for row in _binary(connection, sql, params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _binary(connection: Any, sql: str, params: Any) -> list[Any]:
    from psycopg import Cursor

    # Django's own cursors cannot ask for binary results, so the query Django compiled runs on
    # a plain psycopg cursor of the same connection, with its parameters sent apart from it:
    # the text of the query is then the same from one call to the next, and psycopg prepares
    # it once it has been run a few times, so that PostgreSQL plans it once, not every call.
    with connection.cursor() as cursor, Cursor(cursor.cursor.connection) as binary:
        binary.execute(sql, tuple(params), binary=True)
        return binary.fetchall()


def _int8_array(data: bytes | None) -> np.ndarray:
    """A bigint[] in PostgreSQL's binary form as an int64 array (no rows: NULL, empty)."""
    if data is None:
        return np.zeros(0, dtype=np.int64)
    ndim, has_null = np.frombuffer(data, dtype=">i4", count=2)
    if ndim == 0:
        return np.zeros(0, dtype=np.int64)
    if has_null:
        raise ValueError("a column of the query is NULL; int_columns needs every value")
    (n,) = np.frombuffer(data, dtype=">i4", count=1, offset=12)
    items = np.frombuffer(data, dtype=_ELEMENT, count=int(n), offset=_ARRAY_HEADER)
    return items["value"].astype(np.int64)
