"""Database expressions that Django does not ship, written for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import models


class EpochSeconds(models.Func):
    """Whole seconds since 1970-01-01 UTC of a datetime column, computed by the database.

    Reading epoch seconds as integers spares Python the parsing of one datetime per row, which
    is most of the cost of loading a year of records as arrays. Truncated like
    ``int(datetime.timestamp())`` for the times after 1970 that the platform stores.
    """

    output_field = models.BigIntegerField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite stores aware datetimes as UTC text; strftime('%s') reads that text. Only
        # the first 19 characters (to the second): SQLite rounds a fraction to milliseconds,
        # which would turn 59.9996 into the next second. The percent sign is doubled twice:
        # once for this template, once for the backend, which turns %s into a parameter
        # placeholder and %% into %.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)",
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # date_part gives the seconds as a double, FLOOR so that .5 never rounds up. Exact:
        # the microseconds divided by a million are off by less than 2e-7 for any time within
        # a few centuries of 1970, and a fraction is never nearer a whole second than 1e-6.
        # (EXTRACT gives the same number as a numeric, which costs the database a third more
        # time for a million rows.)
        return self.as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(date_part('epoch', %(expressions)s)) AS BIGINT)",
        )
