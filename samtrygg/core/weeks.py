"""ISO weeks as lists, filters, exports and job keys write them: ``2025-W47``."""

from __future__ import annotations

import datetime as dt


def iso_week(day: dt.date) -> str:
    """The ISO week ``day`` falls in, with the week's own year (which may differ from the
    date's at the turn of the year)."""
    year, week, _day = day.isocalendar()
    return f"{year}-W{week:02d}"
