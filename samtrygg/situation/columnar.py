"""Integer columns of a query as numpy arrays, without one Python object per value.

On PostgreSQL the rows travel in COPY's binary format: every column is cast to bigint and
non-null, so each row has the same width and numpy reads the whole answer as one structured
array. A year of 100 000 records, or four years of a million, then costs the database's time
to produce them, not Python's time to build a tuple and six integers per row. Other databases
fetch the rows and convert them in one pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# PGCOPY signature, flags and header-extension length; the trailer is a field count of -1.
_HEADER = 19
_TRAILER = 2


def int_columns(rows: QuerySet[Any], width: int) -> np.ndarray:
    """The ``values_list`` query ``rows`` (``width`` integer columns, none of them NULL) as
    an int64 array of shape (n, width), in the order the database returns them."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a filter no row can match, such as an empty list of sources
        return np.zeros((0, width), dtype=np.int64)
    connection = connections[rows.db]
    if connection.vendor == "postgresql" and width:
        return _binary_copy(connection, sql, params, width)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return np.array(fetched, dtype=np.int64).reshape(-1, width)


def _binary_copy(connection: Any, sql: str, params: Any, width: int) -> np.ndarray:
    from psycopg import ClientCursor

    names = ", ".join(f"c{i}" for i in range(width))
    casts = ", ".join(f"CAST(c{i} AS bigint)" for i in range(width))
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # COPY takes no parameters: the query Django compiled, with its parameters quoted by
        # psycopg as a client-side cursor does, is the inner SELECT.
        query = ClientCursor(raw.connection).mogrify(sql, tuple(params))
        statement = (
            f"COPY (SELECT {casts} FROM ({query}) AS q({names})) "  # noqa: S608
            "TO STDOUT (FORMAT BINARY)"
        )
        with raw.copy(statement) as copy:
            data = b"".join(bytes(chunk) for chunk in copy)
    body = memoryview(data)[_HEADER : len(data) - _TRAILER]
    fields: list[tuple[str, str]] = [("n", ">i2")]
    for i in range(width):
        fields += [(f"l{i}", ">i4"), (f"v{i}", ">i8")]
    table = np.frombuffer(body, dtype=np.dtype(fields))
    out = np.empty((table.size, width), dtype=np.int64)
    for i in range(width):
        if table.size and (table[f"l{i}"] != 8).any():
            raise ValueError("a column of the query is NULL; int_columns needs every value")
        out[:, i] = table[f"v{i}"]
    return out
