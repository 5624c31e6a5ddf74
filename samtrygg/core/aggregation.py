"""The public aggregation: the only way any public page or endpoint reads records.

Records become counts by delområde and period. Counts under the partnership's minimum
(default 5) are suppressed and shown as "färre än 5"; places are coarsened to their
delområde (the input carries no point, so none can leak); records marked not for
publication are dropped before counting. While a period's total is shown, more counts are
hidden (shown as "–") until no suppressed count can be worked out from the total by
subtraction (secondary suppression; see :func:`public_counts`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Period = Literal["week", "month", "tertial", "year"]

DEFAULT_MIN_COUNT = 5
# Shown for a count hidden only so that a small count cannot be worked out from the total.
SECONDARY_DISPLAY = "–"


@dataclass(frozen=True)
class PublicRecord:
    """What a public count may know of a record: its delområde, time, category, publishability.

    ``area`` is the delområde name (None: outside every delområde of the kommun).
    """

    area: str | None
    occurred: dt.datetime
    category: str | None = None
    publishable: bool = True


@dataclass(frozen=True)
class PublicCount:
    """One published cell: ``count`` is None when suppressed; ``display`` is what to show."""

    area: str
    period: str
    category: str | None
    count: int | None
    display: str

    @property
    def suppressed(self) -> bool:
        return self.count is None


def period_label(moment: dt.datetime, period: Period) -> str:
    """The Stockholm-time period of a moment: 2025-W47, 2025-11, 2025-T3, 2025."""
    local = moment.astimezone(STOCKHOLM)
    if period == "week":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{local.year}-{local.month:02d}"
    if period == "tertial":
        return f"{local.year}-T{(local.month - 1) // 4 + 1}"
    return str(local.year)


def _display(count: int | None, min_count: int) -> str:
    if count is None:
        return _("färre än %(n)d") % {"n": min_count}
    return str(count)


def public_counts(
    records: Iterable[PublicRecord],
    *,
    period: Period = "month",
    min_count: int = DEFAULT_MIN_COUNT,
    by_category: bool = False,
    other_area_label: str | None = None,
) -> list[PublicCount]:
    """Aggregate records for publication (see the module docstring for the rules).

    Returns one row per (area, period[, category]) with records, plus a total row per
    period with area "Hela kommunen"; rows are sorted by period, area and category.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    other = other_area_label or _("Utanför delområden")
    total_label = _("Hela kommunen")
    cells: Counter[tuple[str, str, str | None]] = Counter()
    for record in records:
        if not record.publishable:
            continue
        key = (
            period_label(record.occurred, period),
            record.area or other,
            record.category if by_category else None,
        )
        cells[key] += 1
    totals: Counter[tuple[str, str | None]] = Counter()
    for (period_key, _area, category), count in cells.items():
        totals[(period_key, category)] += count

    primary = {key for key, count in cells.items() if count < min_count}
    secondary: set[tuple[str, str, str | None]] = set()
    total_hidden = {key for key, count in totals.items() if count < min_count}
    total_secondary: set[tuple[str, str | None]] = set()
    # Secondary suppression: while a period's total is shown, the hidden cells must not be
    # pinned down by it. Hidden cells are pinned when there is one, when their sum leaves
    # each at its lowest possible value (1 for a small count, min_count for a cell hidden
    # only to protect another), or when only small counts are hidden and their sum leaves
    # each at its highest (min_count - 1). Then the next smallest shown cell is hidden too,
    # or the total when none is left.
    for group_key in totals:
        if group_key in total_hidden:
            continue
        group = sorted(
            (k for k in cells if (k[0], k[2]) == group_key), key=lambda k: (cells[k], k[1])
        )
        while True:
            hidden = [k for k in group if k in primary or k in secondary]
            if not hidden:
                break
            hidden_sum = sum(cells[k] for k in hidden)
            lowest = sum(1 if k in primary else min_count for k in hidden)
            only_small = all(k in primary for k in hidden)
            pinned = (
                len(hidden) == 1
                or hidden_sum == lowest
                or (only_small and hidden_sum == len(hidden) * (min_count - 1))
            )
            if not pinned:
                break
            visible = [k for k in group if k not in primary and k not in secondary]
            if visible:
                secondary.add(visible[0])
            else:
                total_secondary.add(group_key)
                break

    def shown(count: int, small: bool, protective: bool) -> tuple[int | None, str]:
        if small:
            return None, _display(None, min_count)
        if protective:
            return None, SECONDARY_DISPLAY
        return count, str(count)

    rows: list[PublicCount] = []
    for key, count in cells.items():
        period_key, area, category = key
        value, display = shown(count, key in primary, key in secondary)
        rows.append(PublicCount(area, period_key, category, value, display))
    for total_key, count in totals.items():
        period_key, category = total_key
        value, display = shown(count, total_key in total_hidden, total_key in total_secondary)
        rows.append(PublicCount(total_label, period_key, category, value, display))
    rows.sort(key=lambda r: (r.period, r.area == total_label, r.area, r.category or ""))
    return rows


def public_counts_for(
    items: Iterable[object],
    *,
    to_record: Callable[[object], PublicRecord],
    period: Period = "month",
    min_count: int = DEFAULT_MIN_COUNT,
    by_category: bool = False,
) -> list[PublicCount]:
    """The same, for model instances: ``to_record`` picks only what may be public."""
    return public_counts(
        (to_record(item) for item in items),
        period=period,
        min_count=min_count,
        by_category=by_category,
    )
